// Command vmas is linkvm's assembler: it assembles one source file into a
// relocatable module (.vo).
//
// Usage:
//
//	vmas [-o out.vo] [-I dir]... file.s
//
// The default output name is the input's with ".s" replaced by ".vo" (or
// ".vo" appended). On assembly errors every message is printed to stderr
// as "file:line:col: error: message", the exit status is 1 and no output is
// written (an existing output file is left untouched). Usage errors exit
// with status 2. The syntax is documented in docs/asm.md.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"linkvm/asm"
	"linkvm/objfmt"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// dirList collects repeated -I flags.
type dirList []string

func (d *dirList) String() string { return strings.Join(*d, ",") }

func (d *dirList) Set(v string) error {
	*d = append(*d, v)
	return nil
}

const usage = `usage: vmas [-o out.vo] [-I dir]... file.s

Assembles file.s into a relocatable module.

  -o file   output file (default: file.s with .s replaced by .vo)
  -I dir    search dir for .include files (repeatable), after the
            including file's directory
  -h        print this help
`

// run is vmas with its arguments and output streams; it returns the exit
// status.
func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("vmas", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	out := fs.String("o", "", "output file")
	var dirs dirList
	fs.Var(&dirs, "I", "include directory")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stderr, usage)
			return 0
		}
		fmt.Fprintf(stderr, "vmas: error: %v\n%s", err, usage)
		return 2
	}
	if fs.NArg() != 1 {
		fmt.Fprintf(stderr, "vmas: error: expected exactly one input file, got %d\n%s", fs.NArg(), usage)
		return 2
	}
	in := fs.Arg(0)
	if *out == "" {
		*out = strings.TrimSuffix(in, ".s") + ".vo"
	}
	if *out == in {
		fmt.Fprintf(stderr, "vmas: error: output file %s would overwrite the input\n", in)
		return 2
	}
	src, err := os.ReadFile(in)
	if err != nil {
		fmt.Fprintf(stderr, "vmas: error: %v\n", err)
		return 1
	}
	f, err := asm.Assemble(in, src, asm.Options{IncludeDirs: dirs})
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	if err := objfmt.WriteFile(*out, f); err != nil {
		fmt.Fprintf(stderr, "vmas: error: %v\n", err)
		return 1
	}
	return 0
}
