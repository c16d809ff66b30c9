package isa

import (
	"fmt"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"linkvm/internal/golden"
)

func TestTableComplete(t *testing.T) {
	seen := map[string]bool{}
	for i, in := range Table {
		require.NotEmpty(t, in.Name, "opcode %d has no entry", i)
		require.NotEmpty(t, in.Meaning, "opcode %s has no meaning", in.Name)
		require.False(t, seen[in.Name], "duplicate mnemonic %s", in.Name)
		seen[in.Name] = true
		op, ok := Lookup(in.Name)
		require.True(t, ok)
		assert.Equal(t, Op(i), op)
		assert.Equal(t, in.Name, Op(i).String())
	}
	assert.Equal(t, "op(200)", Op(200).String())
	_, ok := Lookup("nosuch")
	assert.False(t, ok)
}

func TestEncodeDecode(t *testing.T) {
	w := Encode(ADDI, 1, 31, 0, -8)
	assert.Equal(t, uint64(0xfffffff8_00_1f_01_15), w)
	assert.Equal(t, Inst{Op: ADDI, RA: 1, RB: 31, Imm: -8}, Decode(w))
	for op := Op(0); op < NumOps; op++ {
		u := Table[op].Format.Uses()
		var ra, rb, rc uint8
		var imm int32
		if u.RA {
			ra = 7
		}
		if u.RB {
			rb = 30
		}
		if u.RC {
			rc = 31
		}
		if u.Imm {
			imm = -123456
		}
		w := Encode(op, ra, rb, rc, imm)
		require.NoError(t, Validate(w), op.String())
		assert.Equal(t, Inst{op, ra, rb, rc, imm}, Decode(w))
	}
}

func TestValidate(t *testing.T) {
	for _, tc := range []struct {
		w   uint64
		msg string
	}{
		{uint64(NumOps), fmt.Sprintf("illegal opcode %d", NumOps)},
		{0xff, "illegal opcode 255"},
		{Encode(ADD, 32, 0, 0, 0), "add: register field ra = 32 out of range"},
		{Encode(RET, 1, 0, 0, 0), "ret: unused field ra is 1, not 0"},
		{Encode(MOV, 1, 2, 3, 0), "mov: unused field rc is 3, not 0"},
		{Encode(ADD, 1, 2, 3, 5), "add: unused imm field is 5, not 0"},
	} {
		assert.EqualError(t, Validate(tc.w), tc.msg)
	}
}

func TestRegNames(t *testing.T) {
	for r := uint8(0); r < NumRegs; r++ {
		got, ok := RegByName(RegName(r))
		require.True(t, ok, RegName(r))
		assert.Equal(t, r, got)
		got, ok = RegByName("r" + itoa(r))
		require.True(t, ok)
		assert.Equal(t, r, got)
	}
	assert.Equal(t, "sp", RegName(31))
	for _, bad := range []string{"r32", "r01", "r", "x1", "r1a", "", "r100"} {
		_, ok := RegByName(bad)
		assert.False(t, ok, bad)
	}
}

func itoa(r uint8) string {
	if r < 10 {
		return string(rune('0' + r))
	}
	return string(rune('0'+r/10)) + string(rune('0'+r%10))
}

func TestDisasm(t *testing.T) {
	name := func(a uint64) string {
		if a == 0x10000 {
			return "main"
		}
		return ""
	}
	for _, tc := range []struct {
		w, next, pc uint64
		want        string
	}{
		{Encode(ADD, 1, 2, 3, 0), 0, 0, "add   r1, r2, r3"},
		{Encode(LD64, 0, 31, 0, 16), 0, 0, "ld64  r0, [sp + 16]"},
		{Encode(ST8, 0, 29, 0, -8), 0, 0, "st8   r0, [fp - 8]"},
		{Encode(LD32U, 4, 5, 0, 0), 0, 0, "ld32u r4, [r5]"},
		{Encode(CALL, 0, 0, 0, -16), 0, 0x10010, "call  0x10000 <main>"},
		{Encode(BEQ, 1, 2, 0, 8), 0, 0x10010, "beq   r1, r2, 0x10018"},
		{Encode(LI64, 3, 0, 0, 0), 0xdeadbeef, 0, "li64  r3, 0xdeadbeef"},
		{Encode(RET, 0, 0, 0, 0), 0, 0, "ret"},
		{Encode(SYS, 0, 0, 0, 1), 0, 0, "sys   1"},
		{Encode(LI, 2, 0, 0, -5), 0, 0, "li    r2, -5"},
		{0xee, 0, 0, ".quad 0xee  # illegal opcode 238"},
	} {
		assert.Equal(t, tc.want, Disasm(tc.w, tc.next, tc.pc, name))
	}
}

// TestDocCurrent keeps the opcode list in docs/isa.md generated from Table.
// Run `go test ./vm/isa -run TestDocCurrent -update` (or `make docs`) after
// changing the table.
func TestDocCurrent(t *testing.T) {
	const path = "../../docs/isa.md"
	doc, err := os.ReadFile(path)
	require.NoError(t, err)
	want, err := ReplaceGenerated(string(doc), OpcodeMarkdown())
	require.NoError(t, err)
	if golden.Update() {
		require.NoError(t, os.WriteFile(path, []byte(want), 0o644))
		return
	}
	assert.Equal(t, want, string(doc), "docs/isa.md is stale: run `make docs`")
}
