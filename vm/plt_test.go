package vm

import (
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"unsafe"

	"linkvm/vm/isa"

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
			checkBudgets(t, src, free.steps, m.pcs, rng, 40)
		})
	}
}

func TestPLTCallsFollowTheirSlot(t *testing.T) {
	// run remembers where each call through a stub went (btbEntry), and
	// checks the GOT slot at every call: a program that points the slot
	// at f and f2 in turn between its calls gets each in turn.
	src := `
	.text
_start:	li r20, 10
	la r21, slot_f
	la r22, f2
	la r23, f
	li r1, 0
	li r3, 0
1:	li r0, 3
	call f_plt
	st64 r22, [r21]
	mov r24, r22
	mov r22, r23
	mov r23, r24
	addi r20, r20, -1
	bnez r20, 1b
	la r21, data
	st64 r1, [r21]
	st64 r3, [r21 + 8]
	halt
f_plt:	ldpc ip, slot_f
	jr ip

	.section .text2, "ax"
f:	add r1, r1, r0
	ret
f2:	addi r3, r3, 1
	add r3, r3, r0
	ret

	.data
data:	.zero 64
slot_f:	.quad f
`
	free := runEnd(t, src, Config{}, nil)
	require.Empty(t, free.err)
	assert.Equal(t, uint64(5*3), binary.LittleEndian.Uint64(free.data[0:]))
	assert.Equal(t, uint64(5*4), binary.LittleEndian.Uint64(free.data[8:]))
	var m stepper
	require.Equal(t, free, runEnd(t, src, Config{}, &m))
}

func TestPLTCallsForgetUnmappedModules(t *testing.T) {
	// A system call may unmap the module a stub's slot points into and
	// map another at its address: the next call through the stub runs
	// the new module's code, although the slot holds the same address.
	// The third call is the first that run predicts (the first finds
	// the module in the table, the second in s.alt and remembers it).
	exe := `
_start:	li r20, 0
	li r21, 4
1:	call f_plt
	li r8, 2
	bne r21, r8, 2f
	sys 12
2:	addi r21, r21, -1
	bnez r21, 1b
	mov r0, r20
	halt
f_plt:	ldpc ip, slot_f
	jr ip
	.data
slot_f:	.quad 0`
	lib := "\n\t.global f\nf:\taddi r20, r20, %d\n\tret"
	m := newMulti(t, exe, fmt.Sprintf(lib, 1), "f", nil, Config{})
	require.NoError(t, m.p.Write64(symbol(t, m.exe.File, "slot_f"), m.libAddr(t, "f")))
	cur := m.lib
	m.p.SetLinker(&fakeLinker{close: func(p *Process, _ uint64) error {
		if err := p.UnmapModule(cur); err != nil {
			return err
		}
		var err error
		cur, err = p.MapModule(sharedModule(t, fmt.Sprintf(lib, 100), "f"), "libt.vso", "/lib/libt.vso", libBase)
		require.NoError(t, err)
		require.Equal(t, m.libAddr(t, "f"), cur.Base+symbol(t, cur.File, "f"))
		return nil
	}})
	status, err := m.p.Run()
	require.NoError(t, err)
	assert.Equal(t, 1+1+1+100, status)
}

// lazyProgram calls h, in another code section, through a PLT stub, n
// times, with r0 = n down to 1. h runs from its section's lazy form
// (decoded.lazy) until it reads its segment: every fourth call with lea
// (and a load from .rodata, which first misses the caches),
// every eighth from the fifth with a call of its own (and li64), and
// the last runs off the end of the section.
func lazyProgram(n int) string {
	return fmt.Sprintf(`
	.text
_start:	li r20, %d
	li r1, 0
	li r2, 0
	li r3, 0
1:	mov r0, r20
	call h_plt
	addi r20, r20, -1
	bnez r20, 1b
	la r21, data
	st64 r1, [r21]
	st64 r2, [r21 + 8]
	st64 r3, [r21 + 16]
	halt
h_plt:	ldpc ip, slot_h
	jr ip

	.section .text2, "ax"
h:	addi r1, r1, 1
	andi r8, r0, 3
	beqz r8, 1f
	andi r9, r0, 7
	li r10, 5
	beq r9, r10, 2f
	li r10, 1
	beq r0, r10, hend
	ret
1:	lea r6, hconst
	ld64 r7, [r6]
	add r2, r2, r7
	ret
2:	enter 0
	call k
	leave
	ret
k:	li64 r11, 0x100000000
	add r3, r3, r11
	ret
hend:	addi r1, r1, 100

	.rodata
hconst:	.quad 11

	.data
data:	.zero 64
slot_h:	.quad h
`, n)
}

func TestLazyCalleesMatchSingleSteps(t *testing.T) {
	// A call through the PLT into another code section runs the callee
	// from its lazy form with the caller's segment current; an
	// instruction that reads its segment, a trap, a pause point or a
	// load that misses the caches first makes the callee's segment
	// current. The run ends as a single-stepped run does (which runs
	// every instruction from its segment's decoded form), and a budget
	// of k steps stops where that run was after k.
	src := lazyProgram(30)
	free := runEnd(t, src, Config{}, nil)
	var m stepper
	stepped := runEnd(t, src, Config{}, &m)
	require.Equal(t, free, stepped)
	checkSteps(t, src, m.pcs)
	// Line 40 is hend, the last word of .text2, named after the FUNC
	// symbol before it.
	assert.Equal(t, "trap: bad jump to 0x130b0 (ran off the end of section .text2) at k+0x20 (t.s:40)", free.err)
	assert.Equal(t, uint64(30+100), free.regs[1])
	assert.Equal(t, uint64(7*11), free.regs[2])            // 28, 24, ..., 4
	assert.Equal(t, uint64(4*(0x100000000)), free.regs[3]) // 29, 21, 13, 5
	checkBudgets(t, src, free.steps, m.pcs, rand.New(rand.NewPCG(5, 9)), 60)
}

func TestLazyFormsResyncSegmentReaders(t *testing.T) {
	// Each read-only code segment of a process with more than one has a
	// lazy form: its decoded form with the instructions whose case reads
	// the current segment (lea, call, li64 here, and the sentinel) as
	// dResync. A process with one code segment has none.
	p, err := Load(assemble(t, lazyProgram(1)), "t.img", Config{})
	require.NoError(t, err)
	require.Len(t, p.as.code, 2)
	text2 := p.as.code[1]
	ins, orig := text2.seg.dec.ins, text2.seg.dec.lazyIns()
	require.NotNil(t, p.as.code[0].lazy)
	require.Equal(t, unsafe.Pointer(&orig[0]), text2.lazy)
	require.Len(t, orig, len(ins))
	n := len(ins) - 1 // the sentinel's index
	assert.Equal(t, dEnd, ins[n].op)
	assert.Equal(t, dResync, orig[n].op)
	lazy := slices.Clone(orig[:n])
	var resynced []string
	for k := range lazy {
		if lazy[k].op == dResync {
			resynced = append(resynced, isa.Op(firstOf[ins[k].op]).String())
			lazy[k].op = ins[k].op
		}
		assert.Equal(t, ins[k], lazy[k], "entry %d", k)
	}
	assert.Equal(t, []string{"lea", "call", "li64"}, resynced)

	p, err = Load(assemble(t, "_start:\tli r0, 0\n\thalt"), "t.img", Config{})
	require.NoError(t, err)
	require.Len(t, p.as.code, 1)
	assert.Nil(t, p.as.code[0].lazy)
}

func TestRunReportsIPInNoLazyForm(t *testing.T) {
	// ip in a lazy form that no code segment of the process owns cannot
	// happen (only run's PLT cases take ip into one, from p.as.code);
	// if it did, run would return evLost rather than run on from
	// memory it does not know. A hand-made decoded form jumps out of
	// itself to a dResync two entries past its sentinel.
	p, err := Load(assemble(t, lazyProgram(1)), "t.img", Config{})
	require.NoError(t, err)
	backing := []dinst{{op: uint8(isa.JMP), imm: 2}, {op: dEnd}, {op: dResync}}
	fake := codeSeg{base: 0x50000, nw: 1, dec: unsafe.Pointer(&backing[0])}
	s := execState{cur: &fake, left: 100, alt: &noCode}
	assert.Equal(t, uint8(evLost), p.run(&s))
}
