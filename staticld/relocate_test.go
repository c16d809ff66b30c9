package staticld

import (
	"encoding/binary"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"linkvm/objfmt"
	"linkvm/vm/isa"
)

func TestRelocationKinds(t *testing.T) {
	a := newMod()
	text := a.sec(".text", rx, 8, code(
		isa.Inst{Op: isa.LEA, RA: 1, Imm: 0x7777}, // the old imm is replaced
		isa.Inst{Op: isa.LI, RA: 2},
		isa.Inst{Op: isa.CALL},
		isa.Inst{Op: isa.NOP},
	))
	a.fn("_start", text, 0, 32)
	rod := a.sec(".rodata", ro, 8, []byte("hello"))
	msg := a.def("msg", objfmt.BindLocal, objfmt.SymObject, rod, 0)
	data := a.sec(".data", rw, 8, make([]byte, 24))
	fn := a.undef("fn", objfmt.BindGlobal)
	none := a.undef("unused", objfmt.BindWeak)
	a.reloc(text, 0, objfmt.RelInsnPC, msg, 0)
	a.reloc(text, 8, objfmt.RelInsnAbs, msg, 2)
	a.reloc(text, 16, objfmt.RelInsnPC, fn, 0)
	a.reloc(text, 24, objfmt.RelNone, none, 0)
	a.reloc(data, 0, objfmt.RelAbs64, fn, 1)
	a.reloc(data, 8, objfmt.RelAbs32, msg, 0)
	a.reloc(data, 12, objfmt.RelPC32, msg, 0)
	a.reloc(data, 16, objfmt.RelAbs64, a.secSym(rod), 3)

	b := newMod()
	b.fn("fn", b.sec(".text", rx, 8, nops(1)), 0, 8)

	f, err := Link(Config{}, in(a, b))
	require.NoError(t, err)
	// .text at 0x10000 (fn at 0x10020), .rodata at 0x11000, .data at 0x12000.
	assert.Equal(t, code(
		isa.Inst{Op: isa.LEA, RA: 1, Imm: 0x1000},
		isa.Inst{Op: isa.LI, RA: 2, Imm: 0x11002},
		isa.Inst{Op: isa.CALL, Imm: 0x10},
		isa.Inst{Op: isa.NOP},
		isa.Inst{Op: isa.NOP},
	), f.Sections[0].Data)
	want := binary.LittleEndian.AppendUint64(nil, 0x10021)
	want = binary.LittleEndian.AppendUint32(want, 0x11000)
	pc32 := int32(0x11000 - 0x1200c)
	want = binary.LittleEndian.AppendUint32(want, uint32(pc32))
	want = binary.LittleEndian.AppendUint64(want, 0x11003)
	assert.Equal(t, want, f.Sections[2].Data)
	for _, s := range f.Sections {
		assert.Empty(t, s.Relocs, s.Name)
	}
}

// TestSymbolResolution observes resolution through ABS64 relocations in
// the first module's .data (output section 1) and the output symbols.
func TestSymbolResolution(t *testing.T) {
	word := func(n int) []byte { return make([]byte, 8*n) }
	tests := []struct {
		name string
		mods func() []*mod
		// want are the first words of the output .data.
		want []uint64
		// syms are the output symbols called x, in order.
		syms []objfmt.Symbol
	}{{
		name: "global beats earlier weak",
		mods: func() []*mod {
			a := start()
			d := a.sec(".data", rw, 8, word(2))
			x := a.def("x", objfmt.BindWeak, objfmt.SymObject, d, 8)
			a.reloc(d, 0, objfmt.RelAbs64, x, 0)
			b := newMod()
			b.def("x", objfmt.BindGlobal, objfmt.SymObject, b.sec(".data", rw, 8, word(1)), 0)
			return []*mod{a, b}
		},
		want: []uint64{0x11010},
		syms: []objfmt.Symbol{{Name: "x", Bind: objfmt.BindGlobal, Type: objfmt.SymObject, Section: 1, Value: 0x11010}},
	}, {
		name: "global beats later weak",
		mods: func() []*mod {
			a := start()
			d := a.sec(".data", rw, 8, word(2))
			x := a.def("x", objfmt.BindGlobal, objfmt.SymObject, d, 8)
			a.reloc(d, 0, objfmt.RelAbs64, x, 0)
			b := newMod()
			bd := b.sec(".data", rw, 8, word(1))
			bx := b.def("x", objfmt.BindWeak, objfmt.SymObject, bd, 0)
			b.reloc(bd, 0, objfmt.RelAbs64, bx, 0)
			return []*mod{a, b}
		},
		want: []uint64{0x11008, 0, 0x11008},
		syms: []objfmt.Symbol{{Name: "x", Bind: objfmt.BindGlobal, Type: objfmt.SymObject, Section: 1, Value: 0x11008}},
	}, {
		name: "first weak wins",
		mods: func() []*mod {
			a := start()
			d := a.sec(".data", rw, 8, word(1))
			x := a.undef("x", objfmt.BindGlobal)
			a.reloc(d, 0, objfmt.RelAbs64, x, 0)
			b := newMod()
			b.def("x", objfmt.BindWeak, objfmt.SymObject, b.sec(".data", rw, 8, word(1)), 0)
			c := newMod()
			c.def("x", objfmt.BindWeak, objfmt.SymObject, c.sec(".data", rw, 8, word(1)), 0)
			return []*mod{a, b, c}
		},
		want: []uint64{0x11008},
		syms: []objfmt.Symbol{{Name: "x", Bind: objfmt.BindWeak, Type: objfmt.SymObject, Section: 1, Value: 0x11008}},
	}, {
		name: "locals never clash",
		mods: func() []*mod {
			a := start()
			d := a.sec(".data", rw, 8, word(2))
			x := a.def("x", objfmt.BindLocal, objfmt.SymObject, d, 8)
			a.reloc(d, 0, objfmt.RelAbs64, x, 0)
			b := newMod()
			bd := b.sec(".data", rw, 8, word(1))
			bx := b.def("x", objfmt.BindLocal, objfmt.SymObject, bd, 0)
			b.reloc(bd, 0, objfmt.RelAbs64, bx, 4)
			c := newMod()
			c.def("x", objfmt.BindGlobal, objfmt.SymObject, c.sec(".data", rw, 8, word(1)), 0)
			return []*mod{a, b, c}
		},
		want: []uint64{0x11008, 0, 0x11014, 0},
		syms: []objfmt.Symbol{
			{Name: "x", Type: objfmt.SymObject, Section: 1, Value: 0x11008},
			{Name: "x", Type: objfmt.SymObject, Section: 1, Value: 0x11010},
			{Name: "x", Bind: objfmt.BindGlobal, Type: objfmt.SymObject, Section: 1, Value: 0x11018},
		},
	}, {
		name: "undefined weak is zero",
		mods: func() []*mod {
			a := start()
			d := a.sec(".data", rw, 8, word(2))
			x := a.undef("x", objfmt.BindWeak)
			a.reloc(d, 0, objfmt.RelAbs64, x, 0)
			a.reloc(d, 8, objfmt.RelAbs64, x, 5)
			return []*mod{a}
		},
		want: []uint64{0, 5},
	}, {
		name: "absolute symbol keeps its value",
		mods: func() []*mod {
			a := start()
			d := a.sec(".data", rw, 8, word(1))
			x := a.undef("x", objfmt.BindGlobal)
			a.reloc(d, 0, objfmt.RelAbs64, x, 1)
			b := newMod()
			b.def("x", objfmt.BindGlobal, objfmt.SymNoType, objfmt.SecAbs, 0x1234)
			return []*mod{a, b}
		},
		want: []uint64{0x1235},
		syms: []objfmt.Symbol{{Name: "x", Bind: objfmt.BindGlobal, Section: objfmt.SecAbs, Value: 0x1234}},
	}, {
		name: "reference to own global goes through the symbol table",
		mods: func() []*mod {
			a := start()
			d := a.sec(".data", rw, 8, word(2))
			x := a.def("x", objfmt.BindWeak, objfmt.SymObject, d, 8)
			a.reloc(d, 0, objfmt.RelAbs64, x, 0)
			b := newMod()
			b.def("x", objfmt.BindGlobal, objfmt.SymNoType, objfmt.SecAbs, 77)
			return []*mod{a, b}
		},
		want: []uint64{77},
		syms: []objfmt.Symbol{{Name: "x", Bind: objfmt.BindGlobal, Section: objfmt.SecAbs, Value: 77}},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Link(Config{}, in(tt.mods()...))
			require.NoError(t, err)
			data := f.Sections[1].Data
			for i, w := range tt.want {
				assert.Equal(t, w, binary.LittleEndian.Uint64(data[8*i:]), "word %d", i)
			}
			var syms []objfmt.Symbol
			for _, s := range f.Symbols {
				if s.Name == "x" {
					syms = append(syms, s)
				}
			}
			assert.Equal(t, tt.syms, syms)
		})
	}
}

func TestEntry(t *testing.T) {
	a := start()
	a.fn("main", 0, 8, 8)
	f, err := Link(Config{Entry: "main"}, in(a))
	require.NoError(t, err)
	assert.Equal(t, uint64(0x10008), f.Entry)

	b := newMod()
	b.def("_start", objfmt.BindGlobal, objfmt.SymNoType, objfmt.SecAbs, 0x20000)
	f, err = Link(Config{}, in(b))
	require.NoError(t, err)
	assert.Equal(t, uint64(0x20000), f.Entry)
}

func TestSymbolTableOrderAndContents(t *testing.T) {
	a := start()
	a.secSym(0)
	a.def("loop", objfmt.BindLocal, objfmt.SymNoType, 0, 8)
	a.undef("helper", objfmt.BindGlobal)
	a.undef("maybe", objfmt.BindWeak)
	c := a.sec(".comment", 0, 1, []byte("x"))
	a.def("note", objfmt.BindLocal, objfmt.SymNoType, c, 0)
	b := newMod()
	bt := b.sec(".text", rx, 8, nops(1))
	b.fn("helper", bt, 0, 8)
	b.def("_start", objfmt.BindWeak, objfmt.SymFunc, bt, 0)
	f, err := Link(Config{}, in(a, b))
	require.NoError(t, err)
	assert.Equal(t, []objfmt.Symbol{
		{Name: "_start", Bind: objfmt.BindGlobal, Type: objfmt.SymFunc, Section: 0, Value: 0x10000, Size: 16},
		{Name: "loop", Section: 0, Value: 0x10008},
		{Name: "helper", Bind: objfmt.BindGlobal, Type: objfmt.SymFunc, Section: 0, Value: 0x10010, Size: 8},
	}, f.Symbols)
}
