package objfmt

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"
)

// This file holds the rules File.Dynamic must follow. Encode checks them on
// a File (validateDynamic); the reader checks the same rules on the disk
// form (dynamic_read.go) with the check functions below, so that every
// File the reader returns can be encoded again.

// addrIndex tells whether an address range lies inside one of a set of
// sections. Sections may overlap (the reader does not forbid it), so it
// keeps, for the sections sorted by address, the largest end address among
// each prefix: some section holds [lo, hi] exactly when the largest end
// among the sections starting at or below lo is at least hi.
type addrIndex struct {
	starts []uint64 // section addresses, sorted
	maxEnd []uint64 // maxEnd[i] = the largest end of the sections starting at starts[0..i]
}

// newAddrIndex indexes the sections whose flags include all of want.
func newAddrIndex(secs []*Section, want SectionFlags) addrIndex {
	type span struct{ start, end uint64 }
	var spans []span
	for _, s := range secs {
		if s == nil || s.Flags&want != want {
			continue
		}
		end := s.Addr + s.Size
		if end < s.Addr {
			end = math.MaxUint64
		}
		spans = append(spans, span{s.Addr, end})
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i].start < spans[j].start })
	x := addrIndex{starts: make([]uint64, len(spans)), maxEnd: make([]uint64, len(spans))}
	for i, sp := range spans {
		x.starts[i] = sp.start
		x.maxEnd[i] = sp.end
		if i > 0 && x.maxEnd[i-1] > sp.end {
			x.maxEnd[i] = x.maxEnd[i-1]
		}
	}
	return x
}

// contains reports whether the n bytes at lo lie inside one indexed
// section; with n = 0, whether lo lies inside one or at its end.
func (x addrIndex) contains(lo, n uint64) bool {
	hi := lo + n
	if hi < lo {
		return false
	}
	k := sort.Search(len(x.starts), func(i int) bool { return x.starts[i] > lo }) - 1
	return k >= 0 && x.maxEnd[k] >= hi
}

// dynChecker holds what the checks of one Dynamic need to know about the
// File's sections.
type dynChecker struct {
	alloc, exec, write addrIndex
}

func newDynChecker(secs []*Section) *dynChecker {
	return &dynChecker{
		alloc: newAddrIndex(secs, FlagAlloc),
		exec:  newAddrIndex(secs, FlagAlloc|FlagExec),
		write: newAddrIndex(secs, FlagAlloc|FlagWrite),
	}
}

// checkDynType reports whether a file of type t may have dynamic-linking
// information.
func checkDynType(t Type) error {
	if !isImage(t) {
		return fmt.Errorf("dynamic-linking information in a %s file (only executables and shared modules have it)", t)
	}
	return nil
}

// checkVersion checks Dynamic.Version: empty, or "MAJOR.MINOR" with two
// decimal numbers of at most 9 digits.
func checkVersion(v string) error {
	if v == "" {
		return nil
	}
	major, minor, ok := strings.Cut(v, ".")
	if !ok || !isDecimal(major) || !isDecimal(minor) {
		return fmt.Errorf("version %q is not MAJOR.MINOR (two decimal numbers of at most 9 digits)", v)
	}
	return nil
}

func isDecimal(s string) bool {
	if s == "" || len(s) > 9 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// checkDynString checks a string that is stored in the string table.
func checkDynString(s string) error {
	if strings.IndexByte(s, 0) >= 0 {
		return errors.New("contains NUL")
	}
	return nil
}

// checkDynName checks a Needed or Runpath entry or a dynamic symbol name.
func checkDynName(s string) error {
	if s == "" {
		return errors.New("empty name")
	}
	return checkDynString(s)
}

// checkCodeAddr checks Init, Fini or PLTResolve: 0, or the address of an
// instruction word inside an executable section.
func (c *dynChecker) checkCodeAddr(addr uint64) error {
	if addr != 0 && !c.exec.contains(addr, 8) {
		return fmt.Errorf("0x%x is not inside an executable section", addr)
	}
	return nil
}

// checkDynSymbol checks a dynamic symbol apart from its name.
func (c *dynChecker) checkDynSymbol(s *DynSymbol) error {
	switch {
	case s.Bind != BindGlobal && s.Bind != BindWeak:
		return fmt.Errorf("binding %d is not GLOBAL (1) or WEAK (2)", s.Bind)
	case s.Type != SymNoType && s.Type != SymFunc && s.Type != SymObject:
		return fmt.Errorf("type %d is not NOTYPE (0), FUNC (1) or OBJECT (2)", s.Type)
	case !s.Defined && (s.Value != 0 || s.Size != 0):
		return fmt.Errorf("undefined symbol has value 0x%x and size 0x%x, not 0", s.Value, s.Size)
	case s.Defined && !c.alloc.contains(s.Value, 0):
		return fmt.Errorf("value 0x%x is not inside a loaded section", s.Value)
	}
	return nil
}

// checkDynReloc checks a dynamic relocation against a table of nsyms
// dynamic symbols.
func (c *dynChecker) checkDynReloc(r *DynReloc, nsyms int) error {
	switch {
	case !r.Kind.Known():
		return fmt.Errorf("unknown kind %d", uint32(r.Kind))
	case r.Kind == DynRelative && r.Sym != -1:
		return fmt.Errorf("RELATIVE relocation has symbol %d, not none (-1)", r.Sym)
	case r.Kind != DynRelative && (r.Sym < 0 || r.Sym >= nsyms):
		return fmt.Errorf("%s relocation: symbol index %d out of range (%d dynamic symbols)", r.Kind, r.Sym, nsyms)
	case !c.write.contains(r.Offset, 8):
		return fmt.Errorf("%s at 0x%x: the 8 bytes patched are not inside a writable section", r.Kind, r.Offset)
	}
	return nil
}

// validateDynamic reports the first reason f.Dynamic cannot be encoded, or
// nil. Errors start with "objfmt: dynamic".
func (f *File) validateDynamic() error {
	d := f.Dynamic
	if d == nil {
		return nil
	}
	wrap := func(format string, args ...any) error {
		return fmt.Errorf("objfmt: dynamic"+format, args...)
	}
	if err := checkDynType(f.Type); err != nil {
		return wrap(": %w", err)
	}
	if err := checkDynString(d.Soname); err != nil {
		return wrap(": soname %w", err)
	}
	if err := checkDynString(d.Version); err != nil {
		return wrap(": version %w", err)
	}
	if err := checkVersion(d.Version); err != nil {
		return wrap(": %w", err)
	}
	for _, l := range []struct {
		what  string
		names []string
	}{{"needed", d.Needed}, {"runpath", d.Runpath}} {
		if uint64(len(l.names)) > maxCount {
			return wrap(": too many %s entries (%d)", l.what, len(l.names))
		}
		for i, s := range l.names {
			if err := checkDynName(s); err != nil {
				return wrap(": %s %d: %w", l.what, i, err)
			}
		}
	}
	c := newDynChecker(f.Sections)
	for _, a := range []struct {
		what string
		addr uint64
	}{{"init", d.Init}, {"fini", d.Fini}, {"PLT resolver", d.PLTResolve}} {
		if err := c.checkCodeAddr(a.addr); err != nil {
			return wrap(": %s %w", a.what, err)
		}
	}
	if uint64(len(d.Symbols)) >= maxCount {
		return wrap(": too many symbols (%d)", len(d.Symbols))
	}
	if uint64(len(d.Relocs)) > maxCount {
		return wrap(": too many relocations (%d)", len(d.Relocs))
	}
	seen := make(map[string]int, len(d.Symbols))
	for i := range d.Symbols {
		s := &d.Symbols[i]
		err := checkDynName(s.Name)
		if err == nil {
			err = c.checkDynSymbol(s)
		}
		if j, dup := seen[s.Name]; err == nil && dup {
			err = fmt.Errorf("second symbol of that name (the first is %d)", j)
		}
		if err != nil {
			return wrap(" symbol %d (%q): %w", i, s.Name, err)
		}
		seen[s.Name] = i
	}
	for i := range d.Relocs {
		if err := c.checkDynReloc(&d.Relocs[i], len(d.Symbols)); err != nil {
			return wrap(" relocation %d: %w", i, err)
		}
	}
	return nil
}
