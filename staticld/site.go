package staticld

import (
	"cmp"
	"fmt"
	"slices"
	"sort"
	"strings"

	"linkvm/objfmt"
)

// This file names places in the inputs for diagnostics: a module, a section
// offset, the function around it and the source line that produced it.

// refSite describes offset off of section si of o, such as
// "fib.s:21 (fib.vo: function main)" when the line table and a function
// symbol cover it, or "fib.vo:(.text+0x18)" when nothing does.
func (l *linker) refSite(o *object, si int, off uint64) string {
	loc := fmt.Sprintf("%s:(%s+%#x)", o.name, o.file.Sections[si].Name, off)
	pos := lineAt(o.file.Sections[si], off)
	fn := o.funcAt(si, off)
	switch {
	case pos != "" && fn != "":
		return fmt.Sprintf("%s (%s: function %s)", pos, o.name, fn)
	case pos != "":
		return fmt.Sprintf("%s (%s)", pos, loc)
	case fn != "":
		return fmt.Sprintf("%s (function %s)", loc, fn)
	}
	return loc
}

// defSite describes where the symbol r is defined: "a.vo (a.s:3)", or just
// "a.vo" without line information.
func (l *linker) defSite(r symRef) string {
	o := l.objs[r.obj]
	s := l.sym(r)
	if s.Section >= 0 {
		if pos := lineAt(o.file.Sections[s.Section], s.Value); pos != "" {
			return o.name + " (" + pos + ")"
		}
	}
	return o.name
}

// lineAt returns "file:line" for offset off of s, or "" if its line table
// does not cover off.
func lineAt(s *objfmt.Section, off uint64) string {
	ln, ok := s.LineAt(off)
	if !ok {
		return ""
	}
	return fmt.Sprintf("%s:%d", ln.File, ln.Line)
}

// funcAt returns the name of the function of section si around offset off,
// or "". A FUNC symbol whose [value, value+size) holds off is preferred;
// otherwise the nearest named FUNC or NOTYPE symbol at or before off is
// used (assemblers often leave labels untyped). Names starting with ".L"
// (assembler-local labels) are skipped.
func (o *object) funcAt(si int, off uint64) string {
	if o.funcs == nil {
		o.funcs = make([]*funcIndex, len(o.file.Sections))
	}
	fx := o.funcs[si]
	if fx == nil {
		fx = newFuncIndex(o.file.Symbols, si)
		o.funcs[si] = fx
	}
	syms := o.file.Symbols
	n := sort.Search(len(fx.syms), func(i int) bool { return syms[fx.syms[i]].Value > off })
	if n == 0 {
		return ""
	}
	// Functions do not nest: only the nearest FUNC symbol can contain off.
	if f := fx.lastFunc[n-1]; f >= 0 {
		if s := &syms[f]; s.Size > 0 && off-s.Value < s.Size {
			return s.Name
		}
	}
	return syms[fx.syms[n-1]].Name
}

// funcIndex lists the symbols of one section that can name a function.
type funcIndex struct {
	// syms are symbol indices sorted by value (stable: file order for ties).
	syms []int32
	// lastFunc[i] is the last FUNC symbol among syms[:i+1], or -1.
	lastFunc []int32
}

// newFuncIndex indexes the named FUNC and NOTYPE symbols of section si.
func newFuncIndex(syms []objfmt.Symbol, si int) *funcIndex {
	fx := &funcIndex{syms: []int32{}}
	for i := range syms {
		s := &syms[i]
		if s.Section == si && s.Name != "" && !strings.HasPrefix(s.Name, ".L") &&
			(s.Type == objfmt.SymFunc || s.Type == objfmt.SymNoType) {
			fx.syms = append(fx.syms, int32(i))
		}
	}
	slices.SortStableFunc(fx.syms, func(a, b int32) int {
		return cmp.Compare(syms[a].Value, syms[b].Value)
	})
	fx.lastFunc = make([]int32, len(fx.syms))
	last := int32(-1)
	for i, x := range fx.syms {
		if syms[x].Type == objfmt.SymFunc {
			last = x
		}
		fx.lastFunc[i] = last
	}
	return fx
}
