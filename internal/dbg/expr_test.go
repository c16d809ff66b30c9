package dbg

import (
	"encoding/binary"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fakeEnv is an env with fixed registers, symbols and one word of memory.
type fakeEnv struct {
	regs [regPC + 1]uint64
	syms map[string]uint64
	mem  map[uint64]uint64
}

func (e fakeEnv) reg(r int) (uint64, error) { return e.regs[r], nil }

func (e fakeEnv) lookup(name string) *symbol {
	if a, ok := e.syms[name]; ok {
		return &symbol{name: name, addr: a}
	}
	return nil
}

func (e fakeEnv) read(addr uint64, b []byte) error {
	v, ok := e.mem[addr]
	if !ok {
		return errors.New("unmapped")
	}
	binary.LittleEndian.PutUint64(b, v)
	return nil
}

func testEnv() fakeEnv {
	e := fakeEnv{syms: map[string]uint64{"counter": 0x11000, "fib": 0x10078, "libstd.vso:puts": 0x100001128},
		mem: map[uint64]uint64{0x11000: 42}}
	e.regs[0], e.regs[3], e.regs[31], e.regs[regPC] = 5, 0xfffffffffffffffe, 0x7fffffd0, 0x10080
	return e
}

func TestExprEval(t *testing.T) {
	for _, tc := range []struct {
		src  string
		want uint64
		text string
	}{
		{"42", 42, "42"},
		{"0x2a", 42, "0x2a"},
		{"'A'", 65, "'A'"},
		{"$r0", 5, "$r0"},
		{"r0", 5, "r0"},
		{"$sp", 0x7fffffd0, "$sp"},
		{"sp + 16", 0x7fffffe0, "sp + 16"},
		{"$pc - 8", 0x10078, "$pc - 8"},
		{"fib", 0x10078, "fib"},
		{"&fib", 0x10078, "&fib"},
		{"fib+8", 0x10080, "fib+8"},
		{"libstd.vso:puts", 0x100001128, "libstd.vso:puts"},
		{"*counter", 42, "*counter"},
		{"*counter + 1", 43, "*counter + 1"},
		{"-1", ^uint64(0), "-1"},
		{"-(2 - 5)", 3, "-(2 - 5)"},
		{"r0 == 5", 1, "r0 == 5"},
		{"r0 != 5", 0, "r0 != 5"},
		{"$r3 < 0", 1, "$r3 < 0"},
		{"$r3 <= -2", 1, "$r3 <= -2"},
		{"$r3 > -2", 0, "$r3 > -2"},
		{"$r3 >= -2", 1, "$r3 >= -2"},
		{"(1 + 2) == 3", 1, "(1 + 2) == 3"},
	} {
		t.Run(tc.src, func(t *testing.T) {
			n, err := parseExpr(tc.src)
			require.NoError(t, err)
			v, err := n.eval(testEnv())
			require.NoError(t, err)
			assert.Equal(t, tc.want, v)
			assert.Equal(t, tc.text, n.text)
		})
	}
}

func TestExprErrors(t *testing.T) {
	for _, tc := range []struct{ src, parse, eval string }{
		{src: "", parse: "an expression is needed"},
		{src: "1 +", parse: `expression "1 +" ends too soon`},
		{src: "(1", parse: `missing ) in expression "(1"`},
		{src: "1 2", parse: `unexpected "2" in expression "1 2"`},
		{src: "1 ? 2", parse: `unexpected "?" in expression "1 ? 2"`},
		{src: "$r32", parse: "no register $r32 (the registers are $r0..$r27, $ip, $fp, $lr, $sp and $pc)"},
		{src: "$", parse: "no register $ (the registers are $r0..$r27, $ip, $fp, $lr, $sp and $pc)"},
		{src: "0x", parse: "bad number 0x"},
		{src: "'", parse: "bad character constant '"},
		{src: "''", parse: "bad character constant ''"},
		{src: "&(1)", parse: `& needs a symbol, not "1"`},
		{src: "nosuch", eval: "no symbol nosuch in the loaded modules"},
		{src: "*0x20", eval: "cannot read memory at 0x20: unmapped"},
	} {
		t.Run(tc.src, func(t *testing.T) {
			n, err := parseExpr(tc.src)
			if tc.parse != "" {
				require.EqualError(t, err, tc.parse)
				return
			}
			require.NoError(t, err)
			_, err = n.eval(testEnv())
			require.EqualError(t, err, tc.eval)
		})
	}
}

func TestExprBareSymbol(t *testing.T) {
	n, err := parseExpr("counter")
	require.NoError(t, err)
	assert.True(t, n.isSym)
	for _, src := range []string{"&counter", "counter + 0", "$r0", "r0"} {
		n, err := parseExpr(src)
		require.NoError(t, err)
		assert.False(t, n.isSym, src)
	}
}
