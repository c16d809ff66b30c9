package staticld

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"linkvm/objfmt"
)

// secSummary is an output section without its bytes.
type secSummary struct {
	Name  string
	Kind  objfmt.SectionKind
	Flags objfmt.SectionFlags
	Align uint64
	Addr  uint64
	Size  uint64
}

func summarize(f *objfmt.File) []secSummary {
	var out []secSummary
	for _, s := range f.Sections {
		out = append(out, secSummary{s.Name, s.Kind, s.Flags, s.Align, s.Addr, s.Size})
	}
	return out
}

func TestLayoutMergesAndOrdersSections(t *testing.T) {
	a := start() // .text: 16 bytes, align 8
	a.bss(".mybss", rw, 8, 10)
	a.sec(".mydata", rw, 4, []byte{1, 2, 3, 4})
	a.sec(".myro", ro, 1, []byte{5, 6, 7})
	a.sec(".init", rx, 8, nops(1))
	a.sec(".comment", 0, 1, []byte("not loaded"))
	ar := a.sec(".rodata.str", ro, 1, []byte("hello"))
	a.def("a_ro", objfmt.BindLocal, objfmt.SymObject, ar, 0)
	a.sec(".data", rw, 8, []byte{9, 9, 9, 9, 9, 9, 9, 9})
	a.bss(".bss", rw, 8, 16)

	b := newMod()
	bt := b.sec(".text.hot", rx, 16, nops(1))
	b.def("b_text", objfmt.BindLocal, objfmt.SymFunc, bt, 0)
	br := b.sec(".rodata", ro, 4, []byte{0xaa, 0xbb, 0xcc})
	b.def("b_ro", objfmt.BindLocal, objfmt.SymObject, br, 1)
	b.sec(".data.x", rw, 2, []byte{7})
	bb := b.bss(".bss.y", rw, 32, 4)
	b.def("b_bss", objfmt.BindLocal, objfmt.SymObject, bb, 0)
	b.bss(".mybss", rw, 64, 8)

	f, err := Link(Config{}, in(a, b))
	require.NoError(t, err)
	assert.Equal(t, []secSummary{
		{".text", pb, rx, 16, 0x10000, 16 + 8},
		{".rodata", pb, ro, 4, 0x11000, 8 + 3},
		{".data", pb, rw, 8, 0x12000, 9},
		{".bss", nob, rw, 32, 0x13000, 32 + 4},
		{".init", pb, rx, 8, 0x14000, 8},
		{".myro", pb, ro, 1, 0x15000, 3},
		{".mydata", pb, rw, 4, 0x16000, 4},
		{".mybss", nob, rw, 64, 0x17000, 64 + 8},
	}, summarize(f))

	assert.Equal(t, append(nops(2), nops(1)...), f.Sections[0].Data)
	assert.Equal(t, []byte("hello\x00\x00\x00\xaa\xbb\xcc"), f.Sections[1].Data)
	assert.Equal(t, []byte{9, 9, 9, 9, 9, 9, 9, 9, 7}, f.Sections[2].Data)
	assert.Nil(t, f.Sections[3].Data)

	want := map[string]objfmt.Symbol{
		"_start": {Name: "_start", Bind: objfmt.BindGlobal, Type: objfmt.SymFunc, Section: 0, Value: 0x10000, Size: 16},
		"a_ro":   {Name: "a_ro", Type: objfmt.SymObject, Section: 1, Value: 0x11000},
		"b_text": {Name: "b_text", Type: objfmt.SymFunc, Section: 0, Value: 0x10010},
		"b_ro":   {Name: "b_ro", Type: objfmt.SymObject, Section: 1, Value: 0x11009},
		"b_bss":  {Name: "b_bss", Type: objfmt.SymObject, Section: 3, Value: 0x13020},
	}
	for name, w := range want {
		s, ok := symbol(f, name)
		require.True(t, ok, name)
		assert.Equal(t, w, s, name)
	}
	assert.Equal(t, uint64(0x10000), f.Entry)
	assert.Equal(t, objfmt.TypeExec, f.Type)
}

func TestLayoutBaseAndBigAlignment(t *testing.T) {
	a := start()
	a.sec(".rodata", ro, 0x4000, []byte{1})
	f, err := Link(Config{Base: 0x400000}, in(a))
	require.NoError(t, err)
	assert.Equal(t, []secSummary{
		{".text", pb, rx, 8, 0x400000, 16},
		{".rodata", pb, ro, 0x4000, 0x404000, 1},
	}, summarize(f))
}

func TestLayoutNobitsInputInProgbitsOutput(t *testing.T) {
	a := start()
	a.sec(".data", rw, 1, []byte{1, 2})
	a.bss(".data.zero", rw, 4, 3)
	a.sec(".data.more", rw, 1, []byte{5})
	f, err := Link(Config{}, in(a))
	require.NoError(t, err)
	assert.Equal(t, secSummary{".data", pb, rw, 4, 0x11000, 8}, summarize(f)[1])
	assert.Equal(t, []byte{1, 2, 0, 0, 0, 0, 0, 5}, f.Sections[1].Data)
}

func TestLayoutDropsEmptySections(t *testing.T) {
	a := start()
	d := a.sec(".data", rw, 8, nil)
	a.def("edata", objfmt.BindGlobal, objfmt.SymNoType, d, 0)
	a.bss(".bss", rw, 8, 8)
	f, err := Link(Config{}, in(a))
	require.NoError(t, err)
	assert.Equal(t, []secSummary{
		{".text", pb, rx, 8, 0x10000, 16},
		{".bss", nob, rw, 8, 0x11000, 8},
	}, summarize(f))
	s, ok := symbol(f, "edata")
	require.True(t, ok)
	assert.Equal(t, objfmt.Symbol{Name: "edata", Bind: objfmt.BindGlobal, Section: objfmt.SecAbs, Value: 0x10010}, s)
}

func TestLinesMergedAndRebased(t *testing.T) {
	a := start()
	a.line(0, 0, "a.s", 3)
	a.line(0, 8, "a.s", 4)
	a.sec(".comment", 0, 1, []byte("x"))
	b := newMod()
	bt := b.sec(".text", rx, 32, nops(2))
	b.line(bt, 0, "b.s", 10)
	b.line(bt, 8, "b.s", 12)
	f, err := Link(Config{}, in(a, b))
	require.NoError(t, err)
	assert.Equal(t, []objfmt.Line{
		{Offset: 0, File: "a.s", Line: 3, Col: 1},
		{Offset: 8, File: "a.s", Line: 4, Col: 1},
		{Offset: 32, File: "b.s", Line: 10, Col: 1},
		{Offset: 40, File: "b.s", Line: 12, Col: 1},
	}, f.Sections[0].Lines)
}
