package asm

import (
	"sort"

	"linkvm/objfmt"
)

// file builds the output after pass 2: sections, then the symbol table
// (section symbols first, then local symbols, then global and weak ones,
// each group in order of first appearance), then relocations renumbered to
// symbol-table indexes.
func (a *assembler) file() *objfmt.File {
	f := &objfmt.File{Type: objfmt.TypeRel}
	for _, s := range a.sections {
		os := &objfmt.Section{
			Name:   s.name,
			Kind:   s.kind,
			Flags:  s.flags,
			Align:  s.align,
			Size:   s.size,
			Lines:  s.lines,
			Relocs: nil,
		}
		if s.kind == objfmt.KindProgbits {
			os.Data = s.data
			if os.Data == nil {
				os.Data = []byte{}
			}
		}
		f.Sections = append(f.Sections, os)
	}

	index := map[*symbol]int{}
	add := func(s *symbol, sym objfmt.Symbol) {
		index[s] = len(f.Symbols)
		f.Symbols = append(f.Symbols, sym)
	}
	for _, s := range a.sections {
		if s.secSym != nil {
			add(s.secSym, objfmt.Symbol{Bind: objfmt.BindLocal, Type: objfmt.SymSection, Section: s.index})
		}
	}
	sizes := a.labelSizes()
	type entry struct {
		s   *symbol
		sym objfmt.Symbol
	}
	var entries []entry
	for _, s := range a.symList {
		if s.temp {
			continue
		}
		if sym, ok := a.symbolEntry(s, sizes); ok {
			entries = append(entries, entry{s, sym})
		}
	}
	for _, globals := range []bool{false, true} {
		for _, e := range entries {
			if (e.sym.Bind != objfmt.BindLocal) == globals {
				add(e.s, e.sym)
			}
		}
	}

	for i, s := range a.sections {
		for _, r := range s.relocs {
			idx, ok := index[r.sym]
			if !ok {
				// Not expected: every relocation names an emitted symbol.
				a.errorf(r.sym.defPos, "internal error: relocation against %q, which is not in the symbol table", r.sym.name)
				continue
			}
			f.Sections[i].Relocs = append(f.Sections[i].Relocs, objfmt.Reloc{Offset: r.off, Kind: r.kind, Sym: idx, Addend: r.addend})
		}
	}
	return f
}

// symbolEntry makes the symbol-table entry of a non-temporary symbol, if it
// has one.
func (a *assembler) symbolEntry(s *symbol, sizes map[*symbol]uint64) (objfmt.Symbol, bool) {
	sym := objfmt.Symbol{Name: s.name, Bind: objfmt.BindLocal, Type: s.typ}
	if s.bindSet {
		sym.Bind = s.bind
	}
	switch s.kind {
	case symLabel:
		sym.Section, sym.Value = s.sec.index, s.off
		sym.Type = labelType(s)
		sym.Size = sizes[s]
		if s.sizeSet {
			sym.Size = s.size
		}
		return sym, true
	case symEquate:
		// Equates are substituted where used; only global ones are
		// exported, as absolute symbols or aliases of a label.
		if !s.global() {
			return sym, false
		}
		v := s.val
		switch {
		case v.constant():
			sym.Section, sym.Value = objfmt.SecAbs, uint64(v.off)
		case v.minus == nil && v.plus.kind == symLabel && !v.plus.section:
			sym.Section, sym.Value = v.plus.sec.index, uint64(int64(v.plus.off)+v.off)
		default:
			a.errorf(s.defPos, "global symbol %q must be a constant or a label plus a constant, not %s", s.name, describe(v))
			return sym, false
		}
		if s.sizeSet {
			sym.Size = s.size
		}
		return sym, true
	}
	// Undefined: exported when referenced or declared global/weak.
	if !s.referenced && !s.global() {
		return sym, false
	}
	sym.Section = objfmt.SecUndef
	if !s.bindSet {
		sym.Bind = objfmt.BindGlobal
	}
	return sym, true
}

// labelType is the symbol type of a label: as .type says; else in an
// executable section a function if it is global or weak or used other than
// as a jump or branch target (called, address taken), and otherwise an
// untyped label inside a function; in other sections an object.
func labelType(s *symbol) objfmt.SymType {
	switch {
	case s.typeSet:
		return s.typ
	case !s.sec.exec():
		return objfmt.SymObject
	case s.global() || s.called:
		return objfmt.SymFunc
	}
	return objfmt.SymNoType
}

// labelSizes computes the default size of every symbol-table label: the
// distance to the next symbol-table label at a higher offset in its section,
// or to the section end. In executable sections untyped labels do not
// count, so a function's size covers the labels inside it, which get size 0.
func (a *assembler) labelSizes() map[*symbol]uint64 {
	bySec := map[*section][]*symbol{}
	for _, s := range a.symList {
		if s.kind == symLabel && !s.temp && (!s.sec.exec() || labelType(s) != objfmt.SymNoType) {
			bySec[s.sec] = append(bySec[s.sec], s)
		}
	}
	sizes := map[*symbol]uint64{}
	for sec, list := range bySec {
		sort.SliceStable(list, func(i, j int) bool { return list[i].off < list[j].off })
		for i, s := range list {
			end := sec.size
			for _, t := range list[i+1:] {
				if t.off > s.off {
					end = t.off
					break
				}
			}
			sizes[s] = end - s.off
		}
	}
	return sizes
}
