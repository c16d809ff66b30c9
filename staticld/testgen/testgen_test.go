package testgen_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"linkvm/objfmt"
	"linkvm/staticld"
	"linkvm/staticld/testgen"
	"linkvm/vm/isa"
)

func TestConfigErrors(t *testing.T) {
	tests := []struct {
		cfg  testgen.Config
		want string
	}{
		{testgen.Config{Modules: 1, Funcs: 1}, "testgen: need at least 2 modules, got 1"},
		{testgen.Config{Modules: 2, Funcs: 0}, "testgen: need at least 1 function per module, got 0"},
		{testgen.Config{Modules: 2, Funcs: 1, Calls: -1}, "testgen: negative number of calls -1"},
		{testgen.Config{Modules: 1 << 15, Funcs: 1 << 14}, "testgen: too many functions (limit 2^28)"},
	}
	for _, tt := range tests {
		_, err := testgen.Generate(tt.cfg)
		require.EqualError(t, err, tt.want)
	}
	_, err := testgen.Module(testgen.Config{Modules: 2, Funcs: 1}, 2)
	require.EqualError(t, err, "testgen: module 2 out of range (2 modules)")
}

func TestShape(t *testing.T) {
	c := testgen.Config{Modules: 3, Funcs: 4, Seed: 7}
	assert.Equal(t, 12, c.Functions())
	assert.Equal(t, 12*6+1, c.Relocs())
	mods, err := testgen.Generate(c)
	require.NoError(t, err)
	require.Len(t, mods, 3)
	relocs := 0
	for i, f := range mods {
		b, err := f.Encode() // valid
		require.NoError(t, err)
		back, err := objfmt.Parse(b)
		require.NoError(t, err)
		require.Equal(t, f, back)

		require.Len(t, f.Sections, 2)
		text := f.Sections[0]
		assert.Equal(t, ".text", text.Name)
		assert.Equal(t, ".data", f.Sections[1].Name)
		relocs += len(text.Relocs)
		for j := range 4 {
			s := f.Symbols[j]
			assert.Equal(t, testgen.FuncName(i, j), s.Name)
			assert.Equal(t, objfmt.SymFunc, s.Type)
			assert.Equal(t, objfmt.BindGlobal, s.Bind)
			// enter, 5 calls to other modules' functions, li64 of
			// another module's variable, ld64, leave, ret.
			code := text.Data[s.Value : s.Value+s.Size]
			require.Len(t, code, 11*isa.WordSize)
			assert.Equal(t, isa.ENTER, isa.Op(code[0]))
			assert.Equal(t, isa.RET, isa.Op(code[len(code)-isa.WordSize]))
		}
		assert.Equal(t, testgen.DataName(i), f.Symbols[4].Name)
		for _, r := range text.Relocs {
			target := f.Symbols[r.Sym]
			if target.Name == "m0_f0" && i == 0 {
				continue // _start's lea
			}
			assert.Equal(t, objfmt.SecUndef, target.Section, "every reference goes to another module")
		}
		lines := 4 * 10 // one per instruction
		if i == 0 {
			lines += 3 // _start
		}
		assert.Len(t, text.Lines, lines)
	}
	assert.Equal(t, c.Relocs(), relocs)
}

func TestDeterministicAndIndependent(t *testing.T) {
	c := testgen.Config{Modules: 4, Funcs: 5, Seed: 3}
	a, err := testgen.Generate(c)
	require.NoError(t, err)
	b, err := testgen.Generate(c)
	require.NoError(t, err)
	require.Equal(t, a, b)
	m2, err := testgen.Module(c, 2)
	require.NoError(t, err)
	require.Equal(t, a[2], m2)
	c.Seed = 4
	other, err := testgen.Generate(c)
	require.NoError(t, err)
	require.NotEqual(t, a[0].Sections[0].Relocs, other[0].Sections[0].Relocs)
}

func TestLinks(t *testing.T) {
	c := testgen.Config{Modules: 5, Funcs: 6, Seed: 1}
	mods, err := testgen.Generate(c)
	require.NoError(t, err)
	ins := make([]staticld.Input, len(mods))
	for i, f := range mods {
		ins[i] = staticld.Input{Name: testgen.ModuleName(i), File: f}
	}
	img, err := staticld.Link(staticld.Config{}, ins)
	require.NoError(t, err)
	require.Equal(t, ".text", img.Sections[0].Name)
	// Every call lands on the first word (enter) of some function.
	text := img.Sections[0]
	funcs := map[uint64]bool{}
	for _, s := range img.Symbols {
		if s.Type == objfmt.SymFunc {
			funcs[s.Value] = true
		}
	}
	calls := 0
	for off := 0; off+isa.WordSize <= len(text.Data); off += isa.WordSize {
		in := isa.Decode(leUint64(text.Data[off:]))
		if in.Op == isa.LI64 {
			off += isa.WordSize // skip the constant
			continue
		}
		if in.Op == isa.CALL {
			calls++
			assert.True(t, funcs[text.Addr+uint64(off)+uint64(int64(in.Imm))], "call at %#x", off)
		}
	}
	assert.Equal(t, c.Functions()*testgen.DefaultCalls, calls)
}

func leUint64(b []byte) uint64 {
	var v uint64
	for i := 7; i >= 0; i-- {
		v = v<<8 | uint64(b[i])
	}
	return v
}
