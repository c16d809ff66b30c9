package gen

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"linkvm/internal/golden"
	"linkvm/vm/internal/superinst"
	"linkvm/vm/isa"
)

// small is a table of a few halves of each kind: one that goes on to the
// next word, one that declares variables and may need exec, a branch, a
// jump through a register, a call, a decoded-only opcode and a PLT half
// for call (so add, call has a twin).
var small = []Half{
	{Ops: ops(isa.ADD), Next: 1, Body: "r[e.a] = r[e.b] + r[e.c]"},
	{Ops: ops(isa.LD64), Next: 1, Comment: "A load.", Body: lookup("rd") + "r[e.a] = *(*uint64)(m)"},
	{Ops: ops(isa.LD8U, isa.LD8S), Next: 1, Body: lookup("rd") + `
		v := uint64(*(*uint8)(m))
		if eOp == uint8(isa.LD8S) {
			v = uint64(int64(int8(v)))
		}
		r[e.a] = v`},
	{Ops: ops(isa.BNEZ), Next: 1, Body: branch("r[e.a] != 0")},
	{Ops: ops(isa.JR), Body: "to = r[e.a]\ngoto jump"},
	{Ops: ops(isa.CALL), Body: "r[isa.RegLR] = cs.base + ePC + isa.WordSize\nip = eAt(int(e.imm)<<3)\ngoto top"},
	{Decoded: "dEnd", Uncounted: true, Note: "off the end", Body: "to = cs.base + ePC\nip = eAt(-isa.WordSize)\ngoto far"},
	{Decoded: "dCallPLT", PLTOf: isa.CALL, Note: "a call of a stub", Body: "r[isa.RegLR] = cs.base + ePC + isa.WordSize\nip = eAt(int(e.imm)<<3)\nto = r[(*dinst)(ip).a]\nip = unsafe.Add(ip, isa.WordSize)\ngoto jump"},
}

// allBut is every instruction without a half in halves.
func allBut(halves []Half) []isa.Op {
	has := map[isa.Op]bool{}
	for _, h := range halves {
		for _, op := range h.Ops {
			has[op] = true
		}
	}
	var rest []isa.Op
	for op := range isa.NumOps {
		if !has[op] {
			rest = append(rest, op)
		}
	}
	return rest
}

// TestBuildSmall checks how halves make cases, alone and in
// superinstructions of two and four: the step counts at once and the
// steps given back when an instruction is left to exec, ip on every exit
// of a later half, eOp a constant, a half that declares what a later one
// does in a block of its own, maxRun, and add, call's twin, whose PLT
// half moves ip itself.
func TestBuildSmall(t *testing.T) {
	out, err := Build(small, allBut(small), []superinst.Pair{
		{First: isa.ADD, Second: isa.BNEZ},
		{First: isa.LD64, Second: isa.LD64},
		{First: isa.LD8U, Second: isa.JR},
		{First: isa.ADD, Second: isa.CALL},
		{First: isa.ADD, Second: isa.LD8S},
	}, [][]isa.Op{
		{isa.LD64, isa.LD8U, isa.ADD, isa.BNEZ},
	})
	require.NoError(t, err)
	golden.Check(t, "testdata/small.go.golden", string(out))
}

func TestBuildErrors(t *testing.T) {
	pair := func(a, b isa.Op) []superinst.Pair { return []superinst.Pair{{First: a, Second: b}} }
	for _, tc := range []struct {
		name     string
		halves   []Half
		execOnly []isa.Op
		pairs    []superinst.Pair
		seqs     [][]isa.Op
		want     string
	}{
		{"no half", small, allBut(small)[1:], nil, nil,
			"halt has no half and is not left to exec: add it to Halves or ExecOnly"},
		{"half and exec", small, append(allBut(small), isa.ADD), nil, nil,
			"add has a half but is also left to exec"},
		{"two halves", append(small, Half{Ops: ops(isa.ADD), Next: 1}), allBut(small), nil, nil,
			"two halves for add"},
		{"two decoded halves", append(small, Half{Decoded: "dEnd"}), allBut(small), nil, nil,
			"two halves for dEnd"},
		{"PLT half of an instruction", append(small, Half{Ops: ops(isa.NOP), PLTOf: isa.JMP, Body: "goto jump"}), allBut(append(small, Half{Ops: ops(isa.NOP)})), nil, nil,
			"the PLT half for jmp must be a decoded-only opcode's alone"},
		{"no opcode", append(small, Half{Body: "goto slow"}), allBut(small), nil, nil,
			`a half for no opcode: "goto slow"`},
		{"illegal opcode", append(small, Half{Ops: ops(200)}), allBut(small), nil, nil,
			"a half for op(200), which the instruction set does not define"},
		{"first branches", small, allBut(small), pair(isa.BNEZ, isa.ADD), nil,
			"superinstruction bnez, add: bnez does not go on to the next word"},
		{"first jumps", small, allBut(small), pair(isa.JR, isa.ADD), nil,
			"superinstruction jr, add: jr does not go on to the next word"},
		{"first is two words", Halves, ExecOnly, pair(isa.LI64, isa.ADD), nil,
			"superinstruction li64, add: li64 does not go on to the next word"},
		{"exec runs it", small, allBut(small), pair(isa.ADD, isa.DIVS), nil,
			"superinstruction add, divs: run leaves divs to exec"},
		{"twice", small, allBut(small), append(pair(isa.ADD, isa.ADD), pair(isa.ADD, isa.ADD)...), nil,
			"superinstruction add, add: listed twice"},
		{"short run", small, allBut(small), nil, [][]isa.Op{{isa.ADD}},
			"superinstruction add: fewer than two instructions"},
		{"run branches inside", small, allBut(small), nil, [][]isa.Op{{isa.ADD, isa.BNEZ, isa.ADD}},
			"superinstruction add, bnez, add: bnez does not go on to the next word"},
		{"run and pair", small, allBut(small), pair(isa.ADD, isa.BNEZ), [][]isa.Op{{isa.ADD, isa.BNEZ}},
			"superinstruction add, bnez: listed twice"},
		// The line is where the template puts the case: any line, the
		// half's column.
		{"does not parse", append(small, Half{Ops: ops(isa.NOP), Next: 1, Body: "r[e.a] ="}), allBut(append(small, Half{Ops: ops(isa.NOP)})), nil, nil,
			`^generated run does not parse: \d+:4: expected '==', found '='$`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Build(tc.halves, tc.execOnly, tc.pairs, tc.seqs)
			require.Error(t, err)
			if strings.HasPrefix(tc.want, "^") {
				assert.Regexp(t, tc.want, err.Error())
			} else {
				assert.Equal(t, tc.want, err.Error())
			}
		})
	}
}

// TestHalvesComplete checks the real table: it generates, and every
// superinstruction is in it.
func TestHalvesComplete(t *testing.T) {
	out, err := Generate()
	require.NoError(t, err)
	for _, p := range superinst.Pairs {
		ops := []isa.Op{p.First, p.Second}
		assert.Contains(t, string(out), "case "+fusedName(ops)+": // "+opList(ops)+"\n")
	}
	for _, ops := range superinst.Seqs {
		assert.Contains(t, string(out), "case "+fusedName(ops)+": // "+opList(ops)+"\n")
	}
	// The twins of those that end with a call or jmp (Half.PLTOf).
	assert.Contains(t, string(out), "case fLiCallPLT: // li, call to a PLT stub, and the stub\n")
	assert.Contains(t, string(out), "case fMovAddiCallPLT: // mov, addi, call to a PLT stub, and the stub\n")
	assert.Contains(t, string(out), "case fAddiJmpPLT: // addi, jmp to a PLT stub, and the stub\n")
}
