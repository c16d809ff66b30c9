// Command genrun writes vm/exec_run.go, the interpreter's hot loop, from
// the instructions' halves (vm/internal/genrun/gen) and the list of
// superinstructions (vm/internal/superinst). vm runs it by go generate:
//
//	go generate ./vm
//
// or, from vm/, go run ./internal/genrun [-o exec_run.go].
package main

import (
	"flag"
	"fmt"
	"os"

	"linkvm/internal/atomicfile"
	"linkvm/vm/internal/genrun/gen"
)

func main() {
	out := flag.String("o", "exec_run.go", "the file to write")
	flag.Parse()
	src, err := gen.Generate()
	if err == nil {
		err = atomicfile.WriteFile(*out, src, 0o644)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "genrun: %v\n", err)
		os.Exit(1)
	}
}
