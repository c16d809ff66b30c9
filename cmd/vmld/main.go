// Command vmld is linkvm's static linker: it links relocatable modules (.vo)
// into an executable image (.img).
//
//	vmld [-o out.img] [-e symbol] file.vo...
//
// See docs/linking.md for the options and the rules the linker follows.
package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	"linkvm/objfmt"
	"linkvm/staticld"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// Exit statuses.
const (
	exitOK    = 0
	exitError = 1 // the link failed
	exitUsage = 2 // bad command line
)

// run is vmld with the given arguments (without the program name); it
// returns the exit status.
func run(args []string, stdout, stderr io.Writer) int {
	opts, err := parseArgs(args)
	if err != nil {
		fmt.Fprintf(stderr, "vmld: %v\n%s", err, shortUsage)
		return exitUsage
	}
	if opts.help {
		printUsage(stderr)
		return exitOK
	}
	if len(opts.inputs) == 0 {
		fmt.Fprintf(stderr, "vmld: no input files\n%s", shortUsage)
		return exitUsage
	}

	inputs := make([]staticld.Input, 0, len(opts.inputs))
	failed := false
	for _, name := range opts.inputs {
		f, err := objfmt.Open(name)
		if err != nil {
			fmt.Fprintf(stderr, "vmld: error: %s\n", describeOpenError(name, err))
			failed = true
			continue
		}
		inputs = append(inputs, staticld.Input{Name: name, File: f})
	}
	if failed {
		return exitError
	}

	img, err := staticld.Link(staticld.Config{Entry: opts.entry}, inputs)
	if err != nil {
		var le *staticld.Error
		if errors.As(err, &le) {
			for _, d := range le.Diags {
				fmt.Fprintf(stderr, "vmld: %s\n", d)
			}
		} else {
			fmt.Fprintf(stderr, "vmld: error: %v\n", err)
		}
		return exitError
	}
	if err := objfmt.WriteFile(opts.output, img); err != nil {
		fmt.Fprintf(stderr, "vmld: error: cannot write %s: %s\n", opts.output, describeError(err))
		return exitError
	}
	return exitOK
}

// describeOpenError renders an error of objfmt.Open on one line naming the
// file.
func describeOpenError(name string, err error) string {
	var fe *objfmt.FormatError
	if errors.As(err, &fe) {
		return fmt.Sprintf("%s: %s at offset %#x", name, fe.Msg, fe.Off)
	}
	return fmt.Sprintf("cannot open %s: %s", name, describeError(err))
}

// describeError drops the operation and path that an *fs.PathError repeats.
func describeError(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}
