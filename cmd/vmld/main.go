// Command vmld is linkvm's linker: it links relocatable modules (.vo), the
// members of static libraries (.va) that they need and shared modules
// (.vso) into an executable image (.img), or with -shared into a shared
// module (.vso).
//
//	vmld [-o out.img] [-e symbol] [-L dir] file.vo... [lib.va...] [lib.vso...] [-lname...]
//	vmld -shared -soname libNAME.vso.MAJOR -o libNAME.vso file.vo...
//
// See docs/linking.md for the options and the rules the linker follows.
package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"runtime/debug"

	"linkvm/internal/atomicfile"
	"linkvm/internal/install"
	"linkvm/objfmt"
	"linkvm/staticld"
)

// libDirs returns the installation's default library directories (tests
// replace it so that their results do not depend on the installation).
var libDirs = install.LibDirs

func main() {
	// A link allocates its working set once and exits: not collecting
	// garbage (unless the heap reaches 4 GiB) saves about a fifth of the
	// CPU time of a large link (docs/performance.md) at the cost of a
	// larger peak heap.
	debug.SetGCPercent(-1)
	debug.SetMemoryLimit(4 << 30)
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

	cfg := opts.cfg
	// The default directory is looked for (and, for a go-installed vmld,
	// libstd built into the cache) only when a -l needs it.
	for _, in := range opts.inputs {
		if in.Library != "" {
			cfg.DefaultLibDirs = libDirs()
			break
		}
	}
	inputs, err := staticld.ReadInputs(cfg, opts.inputs)
	if err != nil {
		printError(stderr, err)
		return exitError
	}

	cfg.Trace = stdout
	cfg.Log = func(d staticld.Diag) { fmt.Fprintf(stderr, "vmld: %s\n", d) }
	var whyBuf, mapBuf bytes.Buffer
	cfg.WhyExtract = reportWriter(opts.whyExtract, stdout, &whyBuf)
	cfg.Map = reportWriter(opts.mapFile, stdout, &mapBuf)

	img, err := staticld.Link(cfg, inputs)
	// The --why-extract table is written once symbols are resolved, even
	// if the link fails afterwards: it helps to explain the failure.
	failed := false
	if opts.whyExtract != "" && opts.whyExtract != "-" && whyBuf.Len() > 0 {
		failed = !writeReport(stderr, opts.whyExtract, whyBuf.Bytes())
	}
	if err != nil {
		printError(stderr, err)
		return exitError
	}
	if opts.mapFile != "" && opts.mapFile != "-" && !writeReport(stderr, opts.mapFile, mapBuf.Bytes()) {
		failed = true
	}
	if failed {
		return exitError
	}
	if err := objfmt.WriteFile(opts.output, img); err != nil {
		fmt.Fprintf(stderr, "vmld: error: cannot write %s: %s\n", opts.output, describeError(err))
		return exitError
	}
	return exitOK
}

// reportWriter returns where a report asked for with file goes: nowhere
// (nil) for "", stdout for "-", else buf, to be written to the file.
func reportWriter(file string, stdout io.Writer, buf *bytes.Buffer) io.Writer {
	switch file {
	case "":
		return nil
	case "-":
		return stdout
	}
	return buf
}

// writeReport writes a report file atomically; on failure it prints an
// error and returns false.
func writeReport(stderr io.Writer, name string, data []byte) bool {
	if err := atomicfile.WriteFile(name, data, 0o644); err != nil {
		fmt.Fprintf(stderr, "vmld: error: cannot write %s: %s\n", name, describeError(err))
		return false
	}
	return true
}

// printError prints an error of staticld, one "vmld: " line per
// diagnostic.
func printError(stderr io.Writer, err error) {
	var le *staticld.Error
	if errors.As(err, &le) {
		for _, d := range le.Diags {
			fmt.Fprintf(stderr, "vmld: %s\n", d)
		}
		return
	}
	fmt.Fprintf(stderr, "vmld: error: %v\n", err)
}

// describeError drops the operation and path that an *fs.PathError repeats.
func describeError(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}
