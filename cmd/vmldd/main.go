// Command vmldd prints the shared modules an executable image or shared
// module needs, as ldd does, without running anything.
//
//	vmldd FILE...
//
// For each module, in the order the loader would load it (preloads
// first, then breadth-first):
//
//	libgreet.vso.1 => /abs/path/libgreet.vso (0x0000000100000000)
//	libnope.vso.1 => not found
//
// with the address it would be loaded at. The search honours
// VM_LIBRARY_PATH, VM_PRELOAD and runpaths like vmrun (docs/dynld.md). A
// static image prints "not a dynamic executable". The exit status is 1 if
// a module is missing or unusable, or a file is static or unreadable; 2
// for a usage error.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"

	"linkvm/dynld"
	"linkvm/internal/install"
)

// libDirs returns the installation's default library directories (tests
// replace it so that their results do not depend on the installation).
var libDirs = install.LibDirs

const usage = `usage: vmldd FILE...

Prints the shared modules that each executable image or shared module FILE
needs, in load order, with the file each resolves to and its load address:

	libgreet.vso.1 => /abs/path/libgreet.vso (0x0000000100000000)
	libnope.vso.1 => not found

Modules are searched as vmrun does: the needing module's runpath,
VM_LIBRARY_PATH, the default library directories; VM_PRELOAD modules are
listed first.

Exit status: 0 if every module was found; 1 if one was not (or was
unusable), a file is a static image or cannot be read; 2 for a usage error.
`

func main() {
	os.Exit(run(os.Args[1:], os.Getenv, os.Stdout, os.Stderr))
}

// run is vmldd with its arguments, environment and streams; it returns
// the exit status.
func run(args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	var files []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			files = append(files, args[i+1:]...)
			i = len(args)
		case a == "-h" || a == "-help" || a == "--help":
			fmt.Fprint(stderr, usage)
			return 0
		case len(a) > 1 && a[0] == '-':
			fmt.Fprintf(stderr, "vmldd: unknown flag %s\nusage: vmldd FILE... (vmldd -h for help)\n", a)
			return 2
		default:
			files = append(files, a)
		}
	}
	if len(files) == 0 {
		fmt.Fprintln(stderr, "vmldd: no file given\nusage: vmldd FILE... (vmldd -h for help)")
		return 2
	}
	cfg := dynld.ConfigFromEnv(getenv)
	cfg.DefaultLibDirs = libDirs()
	status := 0
	for _, file := range files {
		if len(files) > 1 {
			fmt.Fprintf(stdout, "%s:\n", file)
		}
		if !list(file, cfg, stdout, stderr) {
			status = 1
		}
	}
	return status
}

// list prints the modules file needs; false if one is missing, the file
// is static, or it cannot be read.
func list(file string, cfg dynld.Config, stdout, stderr io.Writer) bool {
	root, err := dynld.Tree(file, cfg)
	if err != nil {
		fmt.Fprintf(stderr, "vmldd: %v\n", err)
		return false
	}
	if !root.Dynamic {
		fmt.Fprintln(stdout, "\tnot a dynamic executable")
		return false
	}
	ok := true
	for _, n := range root.Modules {
		var nf *dynld.NotFoundError
		switch {
		case n.Err == nil:
			fmt.Fprintf(stdout, "\t%s => %s (0x%016x)\n", n.Name, n.Path, n.Base)
		case errors.As(n.Err, &nf):
			fmt.Fprintf(stdout, "\t%s => not found\n", n.Name)
			ok = false
		default:
			fmt.Fprintf(stdout, "\t%s => error: %v\n", n.Name, n.Err)
			ok = false
		}
	}
	return ok
}
