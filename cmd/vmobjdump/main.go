// Command vmobjdump displays information about linkvm object files:
// relocatable modules (.vo), images (.img) and the members of static
// libraries (.va), in the manner of GNU objdump.
//
// Usage:
//
//	vmobjdump [-f] [-h] [-t] [-r] [-d] [-S] [-x] [-json] file...
//
// At least one of the flags is required; single-letter flags may be grouped
// (-dr). A file that cannot be read is reported on one line naming it
// ("vmobjdump: x.vo: objfmt: bad magic ... at offset 0x0"), the other files
// are still shown, and the exit status is 1. Usage errors exit with status
// 2; -help prints the usage and exits 0 (-h is the section headers, as in
// objdump). The output is described in docs/tools.md.
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"

	"linkvm/internal/objdump"
	"linkvm/objfmt"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

const usage = `usage: vmobjdump [-f] [-h] [-t] [-r] [-d] [-S] [-x] [-json] file...

Displays information about linkvm object files (.vo, .img) and the
members of static libraries (.va). Single-letter flags may be grouped (-dr).

  -f      the file header: type, version, entry address
  -h      the section headers, as stored (symbol, string, relocation and
          line sections included)
  -t      the symbol table
  -r      the relocations of each section (with -d, those of the sections
          not disassembled; the others are shown under their instruction)
  -d      disassemble the executable sections
  -S      -d with the source lines from the line table interleaved
  -x      all headers: -f -h -t -r
  -json   everything above as one JSON document (the other flags are
          then ignored); see docs/tools.md for the schema
  -help   print this help
`

// JSONSchema is the version of the -json document's layout.
const JSONSchema = 1

// jsonDoc is the document vmobjdump -json prints.
type jsonDoc struct {
	Schema int             `json:"schema"`
	Files  []*objdump.Dump `json:"files"`
	Errors []string        `json:"errors"`
}

// run is vmobjdump with its arguments and output streams; it returns the
// exit status.
func run(args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("vmobjdump", flag.ContinueOnError)
	fl.SetOutput(io.Discard)
	var o objdump.TextOptions
	var all, asJSON bool
	fl.BoolVar(&o.FileHeader, "f", false, "")
	fl.BoolVar(&o.SectionHeaders, "h", false, "")
	fl.BoolVar(&o.Symbols, "t", false, "")
	fl.BoolVar(&o.Relocs, "r", false, "")
	fl.BoolVar(&o.Disasm, "d", false, "")
	fl.BoolVar(&o.Source, "S", false, "")
	fl.BoolVar(&all, "x", false, "")
	fl.BoolVar(&asJSON, "json", false, "")
	if err := fl.Parse(objdump.SplitFlags(args, "fhtrdSx")); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stderr, usage)
			return 0
		}
		fmt.Fprintf(stderr, "vmobjdump: error: %v\n%s", err, usage)
		return 2
	}
	if all {
		o.FileHeader, o.SectionHeaders, o.Symbols, o.Relocs = true, true, true, true
	}
	if !o.Any() && !asJSON {
		fmt.Fprintf(stderr, "vmobjdump: error: no display flag given (one of -f -h -t -r -d -S -x -json)\n%s", usage)
		return 2
	}
	if fl.NArg() == 0 {
		fmt.Fprintf(stderr, "vmobjdump: error: no input files\n%s", usage)
		return 2
	}
	bopts := objdump.Options{}
	if o.Source || asJSON {
		bopts.ReadSource = os.ReadFile
	}
	doc := &jsonDoc{Schema: JSONSchema, Files: []*objdump.Dump{}, Errors: []string{}}
	status := 0
	fail := func(msg string) {
		fmt.Fprintf(stderr, "vmobjdump: %s\n", msg)
		doc.Errors = append(doc.Errors, msg)
		status = 1
	}
	for _, name := range fl.Args() {
		dumps, archive, err := load(name, bopts)
		if err != nil {
			fail(err.Error())
			if len(dumps) == 0 && archive == "" {
				continue
			}
		}
		if asJSON {
			doc.Files = append(doc.Files, dumps...)
			continue
		}
		if archive != "" {
			fmt.Fprintf(stdout, "In archive %s:\n", archive)
		}
		for _, d := range dumps {
			if err := objdump.WriteText(stdout, d, o); err != nil {
				fmt.Fprintf(stderr, "vmobjdump: error: %v\n", err)
				return 1
			}
		}
	}
	if asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(doc); err != nil {
			fmt.Fprintf(stderr, "vmobjdump: error: %v\n", err)
			return 1
		}
	}
	return status
}

// load reads the file name: an object file gives one Dump, a static
// library one per member (and its name as archive). The error is one line
// naming the file, or the member as "lib.va(member.vo)"; the members
// before a bad one are still returned.
func load(name string, opts objdump.Options) (dumps []*objdump.Dump, archive string, err error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, "", fmt.Errorf("%s: %s", name, describe(err))
	}
	if !objfmt.IsArchive(data) {
		d, err := objdump.Build(name, data, opts)
		if err != nil {
			return nil, "", fmt.Errorf("%s: %v", name, err)
		}
		return []*objdump.Dump{d}, "", nil
	}
	a, err := objfmt.ParseArchive(data)
	if err != nil {
		return nil, "", fmt.Errorf("%s: %v", name, err)
	}
	for _, m := range a.Members {
		d, err := objdump.Build(m.Name, m.Data, opts)
		if err != nil {
			return dumps, name, fmt.Errorf("%s(%s): %v", name, m.Name, err)
		}
		d.Archive = name
		dumps = append(dumps, d)
	}
	return dumps, name, nil
}

// describe drops the operation and path that an *fs.PathError repeats.
func describe(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}
