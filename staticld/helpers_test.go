package staticld

import (
	"encoding/binary"

	"linkvm/objfmt"
	"linkvm/vm/isa"
)

// This file builds relocatable modules by hand for the tests.

const (
	rx  = objfmt.FlagAlloc | objfmt.FlagExec
	ro  = objfmt.FlagAlloc
	rw  = objfmt.FlagAlloc | objfmt.FlagWrite
	pb  = objfmt.KindProgbits
	nob = objfmt.KindNobits
)

// mod is a module under construction.
type mod struct{ f *objfmt.File }

func newMod() *mod { return &mod{f: &objfmt.File{Type: objfmt.TypeRel}} }

// code encodes instructions: each is op, ra, rb, rc, imm.
func code(insns ...isa.Inst) []byte {
	b := make([]byte, 0, 8*len(insns))
	for _, in := range insns {
		b = binary.LittleEndian.AppendUint64(b, isa.Encode(in.Op, in.RA, in.RB, in.RC, in.Imm))
	}
	return b
}

// nops returns n nop instructions.
func nops(n int) []byte {
	in := make([]isa.Inst, n)
	for i := range in {
		in[i] = isa.Inst{Op: isa.NOP}
	}
	return code(in...)
}

// sec adds a PROGBITS section holding data and returns its index.
func (m *mod) sec(name string, flags objfmt.SectionFlags, align uint64, data []byte) int {
	m.f.Sections = append(m.f.Sections, &objfmt.Section{
		Name: name, Kind: pb, Flags: flags, Align: align, Size: uint64(len(data)), Data: data,
	})
	return len(m.f.Sections) - 1
}

// bss adds a NOBITS section of the given size and returns its index.
func (m *mod) bss(name string, flags objfmt.SectionFlags, align, size uint64) int {
	m.f.Sections = append(m.f.Sections, &objfmt.Section{
		Name: name, Kind: nob, Flags: flags, Align: align, Size: size,
	})
	return len(m.f.Sections) - 1
}

// def adds a symbol defined at value in section sec and returns its index.
func (m *mod) def(name string, bind objfmt.SymBind, typ objfmt.SymType, sec int, value uint64) int {
	m.f.Symbols = append(m.f.Symbols, objfmt.Symbol{Name: name, Bind: bind, Type: typ, Section: sec, Value: value})
	return len(m.f.Symbols) - 1
}

// fn adds a global FUNC symbol of the given size.
func (m *mod) fn(name string, sec int, value, size uint64) int {
	i := m.def(name, objfmt.BindGlobal, objfmt.SymFunc, sec, value)
	m.f.Symbols[i].Size = size
	return i
}

// undef adds an undefined symbol and returns its index.
func (m *mod) undef(name string, bind objfmt.SymBind) int {
	return m.def(name, bind, objfmt.SymNoType, objfmt.SecUndef, 0)
}

// secSym adds the section symbol of section sec.
func (m *mod) secSym(sec int) int {
	return m.def("", objfmt.BindLocal, objfmt.SymSection, sec, 0)
}

// reloc adds a relocation to section sec.
func (m *mod) reloc(sec int, off uint64, kind objfmt.RelocKind, sym int, addend int64) {
	s := m.f.Sections[sec]
	s.Relocs = append(s.Relocs, objfmt.Reloc{Offset: off, Kind: kind, Sym: sym, Addend: addend})
}

// line adds a line table entry to section sec.
func (m *mod) line(sec int, off uint64, file string, line uint32) {
	s := m.f.Sections[sec]
	s.Lines = append(s.Lines, objfmt.Line{Offset: off, File: file, Line: line, Col: 1})
}

// start returns a module defining _start as 2 nops in .text.
func start() *mod {
	m := newMod()
	t := m.sec(".text", rx, 8, nops(2))
	m.fn("_start", t, 0, 16)
	return m
}

// in names modules a.vo, b.vo, ... in order.
func in(mods ...*mod) []Input {
	ins := make([]Input, len(mods))
	for i, m := range mods {
		ins[i] = Input{Name: string(rune('a'+i)) + ".vo", File: m.f}
	}
	return ins
}

// symbol returns the output symbol called name; it fails the lookup with ok
// false if there is none.
func symbol(f *objfmt.File, name string) (objfmt.Symbol, bool) {
	for _, s := range f.Symbols {
		if s.Name == name {
			return s, true
		}
	}
	return objfmt.Symbol{}, false
}
