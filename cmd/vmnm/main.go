// Command vmnm lists the symbols of linkvm object files (.vo, .img) and of
// the members of static libraries (.va), in the manner of GNU nm.
//
// Usage:
//
//	vmnm [-u] [-g] [-n | -p] [-A] file...
//
// Each symbol is printed as "value type name", sorted by name. The type
// letters are listed in docs/tools.md. A file that cannot be read is
// reported on one line naming it and the exit status is 1; usage errors
// exit with status 2; -h prints the usage and exits 0.
package main

import (
	"cmp"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"

	"linkvm/internal/objdump"
	"linkvm/objfmt"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

const usage = `usage: vmnm [-u] [-g] [-n | -p] [-A] file...

Lists the symbols of linkvm object files (.vo, .img) and of the members
of static libraries (.va), as "value type name" lines sorted by name.
Single-letter flags may be grouped (-gu).

  -u   undefined symbols only
  -g   external (global and weak) symbols only
  -n   sort by value (undefined symbols first), then by name
  -p   do not sort: symbol table order
  -A   prefix each line with the file name (lib.va:member.vo: for
       archive members) instead of printing headers
  -h   print this help

Type letters (lower case: local symbol): T text, R read-only data,
D writable data, B zero-filled (.bss), A absolute, U undefined,
W weak defined, w weak undefined.
`

// options are the parsed flags.
type options struct {
	undefinedOnly, externalOnly, numeric, noSort, prefix bool
}

// run is vmnm with its arguments and output streams; it returns the exit
// status.
func run(args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("vmnm", flag.ContinueOnError)
	fl.SetOutput(io.Discard)
	var o options
	fl.BoolVar(&o.undefinedOnly, "u", false, "")
	fl.BoolVar(&o.externalOnly, "g", false, "")
	fl.BoolVar(&o.numeric, "n", false, "")
	fl.BoolVar(&o.noSort, "p", false, "")
	fl.BoolVar(&o.prefix, "A", false, "")
	if err := fl.Parse(objdump.SplitFlags(args, "ugnpA")); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stderr, usage)
			return 0
		}
		fmt.Fprintf(stderr, "vmnm: error: %v\n%s", err, usage)
		return 2
	}
	if o.numeric && o.noSort {
		fmt.Fprintf(stderr, "vmnm: error: -n and -p cannot be used together\n%s", usage)
		return 2
	}
	if fl.NArg() == 0 {
		fmt.Fprintf(stderr, "vmnm: error: no input files\n%s", usage)
		return 2
	}
	status := 0
	several := fl.NArg() > 1
	for _, name := range fl.Args() {
		if err := nmFile(stdout, stderr, name, several, o); err != nil {
			fmt.Fprintf(stderr, "vmnm: %v\n", err)
			status = 1
		}
	}
	return status
}

// nmFile lists the symbols of one file. The error is one line naming the
// file (or "lib.va(member.vo)").
func nmFile(stdout, stderr io.Writer, name string, several bool, o options) error {
	data, err := os.ReadFile(name)
	if err != nil {
		return fmt.Errorf("%s: %s", name, describe(err))
	}
	if !objfmt.IsArchive(data) {
		f, err := objfmt.Parse(data)
		if err != nil {
			return fmt.Errorf("%s: %v", name, err)
		}
		if several && !o.prefix {
			fmt.Fprintf(stdout, "\n%s:\n", name)
		}
		list(stdout, stderr, f, name, name, o)
		return nil
	}
	a, err := objfmt.ParseArchive(data)
	if err != nil {
		return fmt.Errorf("%s: %v", name, err)
	}
	if several && !o.prefix {
		fmt.Fprintf(stdout, "\n%s:\n", name)
	}
	for _, m := range a.Members {
		f, err := m.File()
		if err != nil {
			return fmt.Errorf("%s(%s): %v", name, m.Name, err)
		}
		if !o.prefix {
			fmt.Fprintf(stdout, "\n%s:\n", m.Name)
		}
		list(stdout, stderr, f, name+":"+m.Name, name+"("+m.Name+")", o)
	}
	return nil
}

// entry is one listed symbol.
type entry struct {
	sym  *objfmt.Symbol
	kind byte
}

// list prints the symbols of f; prefix is printed before each line with
// -A, and what names f in the "no symbols" note.
func list(stdout, stderr io.Writer, f *objfmt.File, prefix, what string, o options) {
	var es []entry
	for i := range f.Symbols {
		s := &f.Symbols[i]
		if s.Type == objfmt.SymSection {
			continue
		}
		undef := s.Section == objfmt.SecUndef
		if (o.undefinedOnly && !undef) || (o.externalOnly && s.Bind == objfmt.BindLocal) {
			continue
		}
		es = append(es, entry{s, typeLetter(f, s)})
	}
	if len(f.Symbols) == 0 {
		fmt.Fprintf(stderr, "vmnm: %s: no symbols\n", what)
		return
	}
	switch {
	case o.noSort:
	case o.numeric:
		slices.SortStableFunc(es, func(a, b entry) int {
			ua, ub := a.sym.Section == objfmt.SecUndef, b.sym.Section == objfmt.SecUndef
			if ua != ub {
				if ua {
					return -1
				}
				return 1
			}
			if c := cmp.Compare(a.sym.Value, b.sym.Value); c != 0 && !ua {
				return c
			}
			return cmp.Compare(a.sym.Name, b.sym.Name)
		})
	default:
		slices.SortStableFunc(es, func(a, b entry) int {
			return cmp.Compare(a.sym.Name, b.sym.Name)
		})
	}
	for _, e := range es {
		if o.prefix {
			fmt.Fprintf(stdout, "%s:", prefix)
		}
		if e.sym.Section == objfmt.SecUndef {
			fmt.Fprintf(stdout, "%16s %c %s\n", "", e.kind, e.sym.Name)
		} else {
			fmt.Fprintf(stdout, "%016x %c %s\n", e.sym.Value, e.kind, e.sym.Name)
		}
	}
}

// typeLetter returns nm's letter for s: see the usage text.
func typeLetter(f *objfmt.File, s *objfmt.Symbol) byte {
	var c byte
	switch {
	case s.Section == objfmt.SecUndef && s.Bind == objfmt.BindWeak:
		return 'w'
	case s.Section == objfmt.SecUndef:
		return 'U'
	case s.Bind == objfmt.BindWeak:
		return 'W'
	case s.Section == objfmt.SecAbs:
		c = 'A'
	case s.Section < 0 || s.Section >= len(f.Sections):
		c = '?'
	default:
		sec := f.Sections[s.Section]
		switch {
		case sec.Kind == objfmt.KindNobits:
			c = 'B'
		case sec.Flags&objfmt.FlagExec != 0:
			c = 'T'
		case sec.Flags&objfmt.FlagWrite != 0:
			c = 'D'
		default:
			c = 'R'
		}
	}
	if s.Bind == objfmt.BindLocal {
		c += 'a' - 'A'
	}
	return c
}

// describe drops the operation and path that an *fs.PathError repeats.
func describe(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}
