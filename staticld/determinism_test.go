package staticld

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"linkvm/objfmt"
	"linkvm/vm/isa"
)

// program returns modules exercising every feature: several sections,
// globals, weak and local symbols, every relocation kind and line tables.
func program() []Input {
	a := newMod()
	t := a.sec(".text", rx, 8, code(isa.Inst{Op: isa.CALL}, isa.Inst{Op: isa.LI, RA: 1}, isa.Inst{Op: isa.HALT}))
	a.fn("_start", t, 0, 24)
	a.line(t, 0, "a.s", 1)
	a.line(t, 8, "a.s", 2)
	f := a.undef("f", objfmt.BindGlobal)
	w := a.undef("w", objfmt.BindWeak)
	a.reloc(t, 0, objfmt.RelInsnPC, f, 0)
	a.reloc(t, 8, objfmt.RelInsnAbs, w, 4)
	d := a.sec(".data", rw, 8, make([]byte, 16))
	a.def("tbl", objfmt.BindLocal, objfmt.SymObject, d, 0)
	a.reloc(d, 0, objfmt.RelAbs64, f, 0)
	a.reloc(d, 8, objfmt.RelAbs32, a.secSym(d), 8)
	a.reloc(d, 12, objfmt.RelPC32, f, 0)
	a.bss(".bss", rw, 16, 32)

	b := newMod()
	bt := b.sec(".text.f", rx, 16, nops(2))
	b.fn("f", bt, 0, 16)
	b.line(bt, 0, "b.s", 9)
	b.sec(".rodata", ro, 1, []byte("abc"))
	b.def("w", objfmt.BindWeak, objfmt.SymNoType, objfmt.SecAbs, 0x42)
	return in(a, b)
}

// encode returns the encoding of every input.
func encode(t *testing.T, ins []Input) [][]byte {
	var out [][]byte
	for _, in := range ins {
		b, err := in.File.Encode()
		require.NoError(t, err)
		out = append(out, b)
	}
	return out
}

func TestLinkIsDeterministic(t *testing.T) {
	ins := program()
	before := encode(t, ins)
	f1, err := Link(Config{}, ins)
	require.NoError(t, err)
	f2, err := Link(Config{}, program())
	require.NoError(t, err)
	assert.Equal(t, f1, f2)
	b1, err := f1.Encode()
	require.NoError(t, err)
	b2, err := f2.Encode()
	require.NoError(t, err)
	assert.Equal(t, b1, b2)
	assert.Equal(t, before, encode(t, ins), "Link modified its inputs")

	// The image survives a round trip through the object format.
	back, err := objfmt.Parse(b1)
	require.NoError(t, err)
	assert.Equal(t, f1.Entry, back.Entry)
	assert.Equal(t, len(f1.Sections), len(back.Sections))
	assert.Equal(t, f1.Symbols, back.Symbols)
}

// BenchmarkLinkManyFunctions links modules with many small functions that
// call each other across modules.
func BenchmarkLinkManyFunctions(b *testing.B) {
	const nmods, nfuncs = 10, 10000
	var ins []Input
	for m := range nmods {
		md := newMod()
		t := md.sec(".text", rx, 8, nops(2*nfuncs))
		for i := range nfuncs {
			md.fn(fmt.Sprintf("f%d_%d", m, i), t, uint64(16*i), 16)
			callee := md.undef(fmt.Sprintf("f%d_%d", (m+1)%nmods, i), objfmt.BindGlobal)
			md.reloc(t, uint64(16*i), objfmt.RelInsnPC, callee, 0)
		}
		if m == 0 {
			md.fn("_start", t, 0, 0)
		}
		ins = append(ins, Input{Name: fmt.Sprintf("m%d.vo", m), File: md.f})
	}
	b.ResetTimer()
	for range b.N {
		if _, err := Link(Config{}, ins); err != nil {
			b.Fatal(err)
		}
	}
}
