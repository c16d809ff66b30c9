package objdump

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"linkvm/objfmt"
)

// symbolizer names addresses as "sym" or "sym+0x8", in the manner of
// objdump's <sym+0x8>.
type symbolizer struct {
	f *objfmt.File
	// bySec[i] lists, for API section i, one symbol per distinct value (the
	// preferred one, see better), sorted by value.
	bySec [][]int
}

// rank orders the symbols that share an address: functions before objects
// before untyped labels, then global before weak before local.
func rank(s *objfmt.Symbol) (int, int) {
	t := 2
	switch s.Type {
	case objfmt.SymFunc:
		t = 0
	case objfmt.SymObject:
		t = 1
	}
	b := 2
	switch s.Bind {
	case objfmt.BindGlobal:
		b = 0
	case objfmt.BindWeak:
		b = 1
	}
	return t, b
}

// nameable reports whether s can name an address: a named, non-section
// symbol of a content section that is not an assembler-local ".L" label.
func nameable(s *objfmt.Symbol) bool {
	return s.Section >= 0 && s.Type != objfmt.SymSection && s.Name != "" && !strings.HasPrefix(s.Name, ".L")
}

func newSymbolizer(f *objfmt.File) *symbolizer {
	z := &symbolizer{f: f, bySec: make([][]int, len(f.Sections))}
	for i := range f.Symbols {
		s := &f.Symbols[i]
		if nameable(s) && s.Section < len(f.Sections) {
			z.bySec[s.Section] = append(z.bySec[s.Section], i)
		}
	}
	for si, list := range z.bySec {
		slices.SortStableFunc(list, func(a, b int) int {
			sa, sb := &f.Symbols[a], &f.Symbols[b]
			if c := cmp.Compare(sa.Value, sb.Value); c != 0 {
				return c
			}
			ta, ba := rank(sa)
			tb, bb := rank(sb)
			if c := cmp.Compare(ta, tb); c != 0 {
				return c
			}
			return cmp.Compare(ba, bb)
		})
		out := list[:0]
		for _, x := range list {
			if len(out) > 0 && f.Symbols[out[len(out)-1]].Value == f.Symbols[x].Value {
				continue
			}
			out = append(out, x)
		}
		z.bySec[si] = out
	}
	return z
}

// section returns the section that holds addr: in an image the loaded
// section whose range holds it, in a relocatable module (where every
// section starts at 0) the section hint, if addr lies inside it. It
// returns -1 if there is none.
func (z *symbolizer) section(hint int, addr uint64) int {
	if z.f.Type == objfmt.TypeRel {
		if hint >= 0 && hint < len(z.f.Sections) && addr < z.f.Sections[hint].Size {
			return hint
		}
		return -1
	}
	for i, s := range z.f.Sections {
		if s.Flags&objfmt.FlagAlloc != 0 && addr >= s.Addr && addr-s.Addr < s.Size {
			return i
		}
	}
	return -1
}

// name names addr ("fib", "fib+0x8", or ".text+0x10" when no symbol of
// its section precedes it), or returns "" if no section holds it. hint is
// the section being disassembled.
func (z *symbolizer) name(hint int, addr uint64) string {
	si := z.section(hint, addr)
	if si < 0 {
		return ""
	}
	list := z.bySec[si]
	n, _ := slices.BinarySearchFunc(list, addr, func(x int, a uint64) int {
		return cmp.Compare(z.f.Symbols[x].Value, a+1)
	})
	if n == 0 {
		return withOffset(z.f.Sections[si].Name, addr-z.f.Sections[si].Addr)
	}
	s := &z.f.Symbols[list[n-1]]
	return withOffset(s.Name, addr-s.Value)
}

// label returns the name of the preferred symbol at exactly value v of
// section si, or "".
func (z *symbolizer) label(si int, v uint64) string {
	list := z.bySec[si]
	n, ok := slices.BinarySearchFunc(list, v, func(x int, a uint64) int {
		return cmp.Compare(z.f.Symbols[x].Value, a)
	})
	if !ok {
		return ""
	}
	return z.f.Symbols[list[n]].Name
}

func withOffset(name string, off uint64) string {
	if off == 0 {
		return name
	}
	return fmt.Sprintf("%s+%#x", name, off)
}
