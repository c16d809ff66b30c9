package vm

import (
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// pltProgram calls f and tail-jumps to g, both in another code section,
// through PLT-style stubs in its own (ldpc ip, slot; jr ip), n times,
// from superinstructions (li, call and addi, jmp);
// slotG is what g's GOT slot holds (g itself, or an address with no
// code). f and g add to r1 and r2; data holds the sums.
func pltProgram(n int, slotG string) string {
	return fmt.Sprintf(`
	.text
_start:	li r20, %d
	la r21, data
	li r1, 0
	li r2, 0
1:	li r0, 3
	call f_plt
	call tail
	addi r20, r20, -1
	bnez r20, 1b
	st64 r1, [r21]
	st64 r2, [r21 + 8]
	halt
tail:	li r0, 2
	addi r0, r0, 3
	jmp g_plt
f_plt:	ldpc ip, slot_f
	jr ip
g_plt:	ldpc ip, slot_g
	jr ip

	.section .text2, "ax"
f:	add r1, r1, r0
	ret
g:	add r2, r2, r0
	ret

	.data
	.global data
data:	.zero 64
slot_f:	.quad f
slot_g:	.quad %s
`, n, slotG)
}

func TestPLTCallsDecodeLinked(t *testing.T) {
	// The call and the jump to a stub of their own section are decoded
	// as dCallPLT and dJmpPLT, and the superinstructions that end with
	// them as their twins (else the tests below would not test them).
	f := assemble(t, pltProgram(1, "g"))
	p, err := Load(f, "t.img", Config{})
	require.NoError(t, err)
	text := p.as.code[0]
	require.Equal(t, uint64(0x10000), text.base)
	ins := text.seg.dec.ins
	var calls, jumps, fusedCalls, fusedJumps int
	for _, in := range ins {
		switch in.op {
		case dCallPLT:
			calls++
		case dJmpPLT:
			jumps++
		case fLiCallPLT:
			fusedCalls++
		case fAddiJmpPLT:
			fusedJumps++
		}
	}
	assert.Equal(t, 1, calls)
	assert.Equal(t, 1, jumps)
	assert.Equal(t, 1, fusedCalls)
	assert.Equal(t, 1, fusedJumps)
	// Without superinstructions, as exec runs the steps before a pause.
	for _, in := range text.seg.dec.aloneIns() {
		assert.NotContains(t, []uint8{dCallPLT, dJmpPLT, fLiCallPLT, fAddiJmpPLT}, in.op)
	}
}

func TestPLTCallsMatchSingleSteps(t *testing.T) {
	// A call or jump through a stub runs the stub in the same dispatch:
	// the run still ends as a single-stepped run does, and a budget of k
	// steps stops where that run was after k, between the call and the
	// stub's ldpc or jr too. With no code at the slot's address the jump
	// traps from the stub's jr, linked or not.
	rng := rand.New(rand.NewPCG(3, 14))
	for _, slotG := range []string{"g", "0x7000000"} {
		t.Run(slotG, func(t *testing.T) {
			src := pltProgram(20, slotG)
			free := runEnd(t, src, Config{}, nil)
			var m stepper
			stepped := runEnd(t, src, Config{}, &m)
			require.Equal(t, free, stepped)
			checkSteps(t, src, m.pcs)
			if slotG == "g" {
				assert.Equal(t, uint64(20*3), binary.LittleEndian.Uint64(free.data[0:]))
				assert.Equal(t, uint64(20*5), binary.LittleEndian.Uint64(free.data[8:]))
				assert.Empty(t, free.err)
			} else {
				// Line 21 is g_plt's jr (the nearest symbol before it
				// is f_plt).
				assert.Equal(t, "trap: bad jump to 0x7000000 (unmapped) at f_plt+0x18 (t.s:21)", free.err)
			}
			for range 40 {
				k := 1 + rng.Uint64N(free.steps-1)
				st := runEnd(t, src, Config{MaxSteps: k}, nil)
				require.Equal(t, k, st.steps)
				require.Equal(t, m.pcs[k], st.pc, "budget %d", k)
			}
		})
	}
}
