// Command genlink writes the synthetic modules of package testgen to disk,
// so that vmld can be timed as a process:
//
//	go run ./staticld/testgen/cmd/genlink -n 1000 -m 100 -o /tmp/link1000x100
//
// writes mod0000.vo ... mod0999.vo into the directory (created if needed)
// and prints the vmld command line that links them.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sync"

	"linkvm/objfmt"
	"linkvm/staticld/testgen"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// Exit statuses.
const (
	exitOK    = 0
	exitError = 1
	exitUsage = 2
)

// run is genlink with the given arguments; it returns the exit status.
func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("genlink", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c testgen.Config
	var dir string
	fs.IntVar(&c.Modules, "n", 1000, "number of modules")
	fs.IntVar(&c.Funcs, "m", 100, "functions per module")
	fs.IntVar(&c.Calls, "calls", testgen.DefaultCalls, "calls per function")
	fs.Uint64Var(&c.Seed, "seed", 1, "random seed of the call graph")
	fs.StringVar(&dir, "o", "", "output directory (required)")
	fs.Usage = func() {
		fmt.Fprint(stderr, "usage: genlink [-n N] [-m M] [-calls C] [-seed S] -o DIR\n\n"+
			"Writes N relocatable modules of M functions each (mod0000.vo, ...) into DIR\n"+
			"and prints the vmld command that links them.\n\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "genlink: unexpected argument %q\n", fs.Arg(0))
		return exitUsage
	}
	if dir == "" {
		fmt.Fprintln(stderr, "genlink: -o DIR is required")
		return exitUsage
	}
	if _, err := testgen.Module(c, 0); err != nil {
		fmt.Fprintf(stderr, "genlink: %v\n", err)
		return exitUsage
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		fmt.Fprintf(stderr, "genlink: %v\n", err)
		return exitError
	}
	if err := write(c, dir); err != nil {
		fmt.Fprintf(stderr, "genlink: %v\n", err)
		return exitError
	}
	fmt.Fprintf(stdout, "wrote %d modules, %d functions, %d relocations to %s\n",
		c.Modules, c.Functions(), c.Relocs(), dir)
	fmt.Fprintf(stdout, "link with: bin/vmld -o %s %s\n",
		filepath.Join(dir, "out.img"), filepath.Join(dir, "mod*.vo"))
	return exitOK
}

// write generates and writes the modules, one goroutine per CPU.
func write(c testgen.Config, dir string) error {
	errs := make([]error, c.Modules)
	var wg sync.WaitGroup
	next := make(chan int)
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for i := range next {
				f, err := testgen.Module(c, i)
				if err == nil {
					err = objfmt.WriteFile(filepath.Join(dir, testgen.ModuleName(i)), f)
				}
				errs[i] = err
			}
		})
	}
	for i := range c.Modules {
		next <- i
	}
	close(next)
	wg.Wait()
	return errors.Join(errs...)
}
