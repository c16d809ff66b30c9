package vm

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"linkvm/vm/isa"
)

// word is the little-endian bytes of instruction words.
func word(ws ...uint64) []byte {
	var b []byte
	for _, w := range ws {
		b = binary.LittleEndian.AppendUint64(b, w)
	}
	return b
}

func TestStoreIntoWritableCodeRunsTheNewInstruction(t *testing.T) {
	// The program copies `li r0, 42` over `li r0, 1` in a section that is
	// writable and executable, then runs it.
	res := runSrc(t, `
_start:	la r1, src
	ld64 r2, [r1]
	la r3, target
	st64 r2, [r3]
	jmp target
src:	li r0, 42
	.section .wx, "awx"
target:	li r0, 1
	halt`, Config{})
	require.NoError(t, res.err)
	assert.Equal(t, 42, res.status)
}

func TestStoreIntoWritableCodeChangesASuperinstruction(t *testing.T) {
	// li+blt run as one superinstruction; a store into either half makes
	// the pair decode again.
	for _, tc := range []struct {
		name, src string
		want      int
	}{
		{"first", "li r8, 1", 100},        // 3 < 1 is false
		{"second", "bge r0, r8, 3f", 100}, // 3 >= 5 is false
		{"neither", "li r8, 5", 200},      // 3 < 5
	} {
		t.Run(tc.name, func(t *testing.T) {
			at := "cmp"
			if tc.name == "second" {
				at = "br"
			}
			res := runSrc(t, fmt.Sprintf(`
_start:	li r0, 3
	la r1, src
	ld64 r2, [r1]
	la r3, %s
	st64 r2, [r3]
	jmp cmp
src:	%s
3:	halt
	.section .wx, "awx"
cmp:	li r8, 5
br:	blt r0, r8, small
	li r0, 100
	halt
small:	li r0, 200
	halt`, at, tc.src), Config{})
			require.NoError(t, res.err)
			assert.Equal(t, tc.want, res.status)
		})
	}
}

func TestReadIntoWritableCodeRunsTheNewInstruction(t *testing.T) {
	// read(0, target, 8) puts `li r0, 7` over `li r0, 1`.
	res := runSrc(t, `
_start:	li r0, 0
	la r1, target
	li r2, 8
	sys 2
	jmp target
	.section .wx, "awx"
target:	li r0, 1
	halt`, Config{Stdin: bytes.NewReader(word(isa.Encode(isa.LI, 0, 0, 0, 7)))})
	require.NoError(t, res.err)
	assert.Equal(t, 7, res.status)
}

func TestHostWriteIntoWritableCodeRunsTheNewInstruction(t *testing.T) {
	img := assemble(t, `
_start:	jmp target
	.section .wx, "awx"
	.global target
target:	li r0, 1
	halt`)
	p, err := Load(img, "t.img", Config{})
	require.NoError(t, err)
	require.NoError(t, p.Write64(symbol(t, img, "target"), isa.Encode(isa.LI, 0, 0, 0, 9)))
	status, err := p.Run()
	require.NoError(t, err)
	assert.Equal(t, 9, status)
}

func TestBranchesBetweenSections(t *testing.T) {
	// Conditional branches, jmp and call whose targets are in another
	// section, taken and not.
	res := runSrc(t, `
_start:	li r0, 1
	li r1, 1
	bne r0, r1, bad
	beq r0, r1, there
bad:	li r0, 99
	halt
back:	addi r0, r0, 10
	call add100
	halt
	.section .c1, "ax"
there:	bne r0, r1, bad
	addi r0, r0, 1
	jmp back
	.section .c2, "ax"
add100:	addi r0, r0, 100
	ret`, Config{})
	require.NoError(t, res.err)
	assert.Equal(t, 112, res.status)
}

func TestLi64EndingItsSection(t *testing.T) {
	// Control runs off the end of .c1 after an li64 whose constant is the
	// section's last word: the trap is at the li64, as for any
	// instruction that falls off the end.
	img := assemble(t, `
_start:	jmp f
	.section .c1, "ax"
	.global f
f:	li64 r1, 5`)
	p, err := Load(img, "t.img", Config{})
	require.NoError(t, err)
	_, err = p.Run()
	var trap *Trap
	require.ErrorAs(t, err, &trap)
	assert.ErrorIs(t, trap, ErrBadJump)
	assert.Equal(t, symbol(t, img, "f"), trap.PC)
	assert.Equal(t, uint64(5), p.Regs()[1])
}

func TestStepLimitBetweenTheHalvesOfASuperinstruction(t *testing.T) {
	// li r8, 2 and blt run as one superinstruction; a budget of one
	// instruction stops between them.
	img := assemble(t, `
_start:	li r8, 2
	.global br
br:	blt r0, r8, 1f
1:	halt`)
	p, err := Load(img, "t.img", Config{MaxSteps: 1})
	require.NoError(t, err)
	_, err = p.Run()
	var trap *Trap
	require.ErrorAs(t, err, &trap)
	assert.ErrorIs(t, trap, ErrStepLimit)
	assert.Equal(t, symbol(t, img, "br"), trap.PC)
	assert.Equal(t, uint64(1), p.Steps())
	assert.Equal(t, uint64(2), p.Regs()[8])
}

func TestTrapInTheSecondHalfOfASuperinstruction(t *testing.T) {
	// ld64+ld64 run as one; the second faults: the trap is at it, and
	// both count as run.
	img := assemble(t, `
_start:	li r0, 0
	ld64 r1, [sp]
	.global second
second:	ld64 r2, [r0 + 8]
	halt`)
	p, err := Load(img, "t.img", Config{})
	require.NoError(t, err)
	_, err = p.Run()
	var trap *Trap
	require.ErrorAs(t, err, &trap)
	assert.ErrorIs(t, trap, ErrNullPointer)
	assert.Equal(t, symbol(t, img, "second"), trap.PC)
	assert.Equal(t, uint64(3), p.Steps())
}

func TestDecodedCodeSharedBetweenProcesses(t *testing.T) {
	img := assemble(t, "_start:\thalt\n\t.section .c1, \"ax\"\nf:\tret")
	var decs [][]*decoded
	for range 2 {
		p, err := Load(img, "t.img", Config{})
		require.NoError(t, err)
		var ds []*decoded
		for _, c := range p.as.code {
			ds = append(ds, c.seg.dec)
		}
		require.Len(t, ds, 2)
		decs = append(decs, ds)
	}
	assert.Same(t, decs[0][0], decs[1][0])
	assert.Same(t, decs[0][1], decs[1][1])
	assert.NotSame(t, decs[0][0], decs[0][1])
}

func TestDecodeWord(t *testing.T) {
	const nw = 4
	for _, tc := range []struct {
		name string
		w    uint64
		k    int
		want dinst
	}{
		{"fields masked", isa.Encode(isa.ADD, 33, 66, 99, 0), 0, dinst{op: uint8(isa.ADD), a: 1, b: 2, c: 3}},
		{"branch in the section", isa.Encode(isa.BEQ, 1, 2, 0, 16), 1, dinst{op: uint8(isa.BEQ), a: 1, b: 2, imm: 2}},
		{"branch backwards", isa.Encode(isa.BNEZ, 1, 0, 0, -24), 3, dinst{op: uint8(isa.BNEZ), a: 1, imm: -3}},
		{"branch past the end", isa.Encode(isa.BEQ, 1, 2, 0, 16), 2, dinst{op: dSlow, a: 1, b: 2, imm: 16}},
		{"branch misaligned", isa.Encode(isa.BEQ, 1, 2, 0, 4), 0, dinst{op: dSlow, a: 1, b: 2, imm: 4}},
		{"jmp before the start", isa.Encode(isa.JMP, 0, 0, 0, -8), 0, dinst{op: dFarJmp, imm: -8}},
		{"call elsewhere", isa.Encode(isa.CALL, 0, 0, 0, 1<<20), 0, dinst{op: dFarCall, imm: 1 << 20}},
		{"call in the section", isa.Encode(isa.CALL, 0, 0, 0, 8), 0, dinst{op: uint8(isa.CALL), imm: 1}},
		{"li64 with its constant", isa.Encode(isa.LI64, 5, 0, 0, 0), 1, dinst{op: uint8(isa.LI64), a: 5}},
		{"li64 ending the section", isa.Encode(isa.LI64, 5, 0, 0, 0), 2, dinst{op: dSlow, a: 5}},
		{"li64 cut off", isa.Encode(isa.LI64, 5, 0, 0, 0), 3, dinst{op: dSlow, a: 5}},
		{"illegal opcode", 0xff, 0, dinst{op: dSlow}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, decodeWord(tc.w, tc.k, nw))
		})
	}
}

func TestDecodeCodeFusesPairs(t *testing.T) {
	code := word(
		isa.Encode(isa.LI, 8, 0, 0, 2),
		isa.Encode(isa.BLT, 0, 8, 0, 16),
		isa.Encode(isa.ADDI, 1, 1, 0, -1),
	)
	d := decodeCode(code).ins
	require.Len(t, d, 4)
	// blt's target is index 3, past the last word: it is decoded as dSlow,
	// which is never part of a superinstruction.
	assert.Equal(t, []uint8{uint8(isa.LI), dSlow, uint8(isa.ADDI), dEnd}, []uint8{d[0].op, d[1].op, d[2].op, d[3].op})

	code = word(
		isa.Encode(isa.LI, 8, 0, 0, 2),
		isa.Encode(isa.BLT, 0, 8, 0, 8),
		isa.Encode(isa.ADDI, 1, 1, 0, -1),
		isa.Encode(isa.BNEZ, 1, 0, 0, -8),
	)
	d = decodeCode(code).ins
	assert.Equal(t, []uint8{fLiBlt, uint8(isa.BLT), fAddiBnez, uint8(isa.BNEZ), dEnd},
		[]uint8{d[0].op, d[1].op, d[2].op, d[3].op, d[4].op})
	for _, f := range fusions {
		assert.Equal(t, f.fused, fusedOf[f.first][f.second], "%s+%s", f.first, f.second)
		assert.Equal(t, uint8(f.first), firstOf[f.fused], "%s+%s", f.first, f.second)
	}
}

// randomInst is an instruction op with random operands for
// randomProgram: registers r1..r6, loads and stores at [r20 + small
// offsets] in .data (r20 is set first), on the stack or, rarely, at a
// null address; branch, jump and call targets among the labels l0..ln.
func randomInst(rng *rand.Rand, op isa.Op, n int) string {
	reg := func() string { return fmt.Sprintf("r%d", 1+rng.IntN(6)) }
	target := fmt.Sprintf("l%d", rng.IntN(n+1))
	name := op.String()
	switch op {
	case isa.LDPC:
		return fmt.Sprintf("ldpc ip, slot%d", rng.IntN(4))
	case isa.JR:
		return "jr ip"
	case isa.ENTER:
		return "enter 16"
	case isa.LEAVE: // after a frame of its own, so that it restores something
		return "enter 16\n\tleave"
	}
	switch isa.Table[op].Format {
	case isa.FmtRRR:
		return fmt.Sprintf("%s %s, %s, %s", name, reg(), reg(), reg())
	case isa.FmtRRI:
		if op == isa.SHLI || op == isa.SHRI || op == isa.SARI {
			return fmt.Sprintf("%s %s, %s, %d", name, reg(), reg(), rng.IntN(8))
		}
		return fmt.Sprintf("%s %s, %s, %d", name, reg(), reg(), rng.IntN(7)-3)
	case isa.FmtRI:
		return fmt.Sprintf("%s %s, %d", name, reg(), rng.IntN(5))
	case isa.FmtRR:
		return fmt.Sprintf("%s %s, %s", name, reg(), reg())
	case isa.FmtRM:
		switch rng.IntN(16) {
		case 0, 1:
			return fmt.Sprintf("%s %s, [sp - %d]", name, reg(), 8+8*rng.IntN(2))
		case 2:
			return fmt.Sprintf("%s %s, [r21 + %d]", name, reg(), 8*rng.IntN(2)) // r21 is 0: a fault
		}
		return fmt.Sprintf("%s %s, [r20 + %d]", name, reg(), 8*rng.IntN(4))
	case isa.FmtRRT:
		return fmt.Sprintf("%s %s, %s, %s", name, reg(), reg(), target)
	case isa.FmtRT:
		return fmt.Sprintf("%s %s, %s", name, reg(), target)
	case isa.FmtT:
		return fmt.Sprintf("%s %s", name, target)
	case isa.FmtRK:
		return fmt.Sprintf("%s %s, %d", name, reg(), rng.Int64())
	}
	return name
}

// randomProgram is n random lines, each one of the superinstructions'
// pairs or a single instruction of the kinds they are made of, with
// random operands (randomInst), labelled l0..ln-1, then halt at ln. A
// loop may not end: the runs have a step budget.
func randomProgram(rng *rand.Rand, n int) string {
	singles := []isa.Op{isa.ADDI, isa.ADD, isa.LI, isa.MOV, isa.LD64, isa.ST64, isa.LD8U,
		isa.ST8, isa.FMUL, isa.FADD, isa.BLTU, isa.BNEZ, isa.BLT, isa.LEAVE, isa.ITOF, isa.LI64}
	var b strings.Builder
	b.WriteString("_start:\tla r20, data\n")
	for k := range n {
		fmt.Fprintf(&b, "l%d:\t", k)
		if f := fusions[rng.IntN(len(fusions))]; rng.IntN(2) == 0 {
			fmt.Fprintf(&b, "%s\n\t%s\n", randomInst(rng, f.first, n), randomInst(rng, f.second, n))
		} else {
			fmt.Fprintf(&b, "%s\n", randomInst(rng, singles[rng.IntN(len(singles))], n))
		}
	}
	fmt.Fprintf(&b, "l%d:\thalt\n\t.data\n\t.global data\ndata:\t.zero 64\n", n)
	for k := range 4 {
		fmt.Fprintf(&b, "slot%d:\t.quad l%d\n", k, rng.IntN(n+1))
	}
	return b.String()
}

// checkSteps checks that the pcs a stepper recorded are one instruction
// apart: after an instruction that does not jump, the next pc is the word
// after it (after li64's constant), so that no instruction ran unseen.
func checkSteps(t *testing.T, src string, pcs []uint64) {
	t.Helper()
	f := assemble(t, src)
	p, err := Load(f, "t.img", Config{})
	require.NoError(t, err)
	w := make([]byte, isa.WordSize)
	for k := 0; k+1 < len(pcs); k++ {
		require.NoError(t, p.ReadMemory(pcs[k], w))
		op := isa.Op(w[0])
		switch {
		case op == isa.SYS, op >= isa.JMP && op <= isa.BNEZ:
			continue // may go anywhere
		}
		next := pcs[k] + uint64(isa.Table[op].Format.Words())*isa.WordSize
		require.Equal(t, next, pcs[k+1], "after %s at %#x\n%s", op, pcs[k], src)
	}
}

// stepper is a Monitor that stops before every instruction and records
// the pcs.
type stepper struct{ pcs []uint64 }

func (m *stepper) Pause(p *Process) (uint64, error) {
	m.pcs = append(m.pcs, p.PC())
	return 1, nil
}

// endState is how a run ended and what it left.
type endState struct {
	status int
	err    string
	steps  uint64
	pc     uint64
	regs   [isa.NumRegs]uint64
	data   []byte
}

// runEnd runs img with cfg and a monitor m (if not nil).
func runEnd(t *testing.T, img string, cfg Config, m Monitor) endState {
	t.Helper()
	f := assemble(t, img)
	p, err := Load(f, "t.img", cfg)
	require.NoError(t, err)
	if m != nil {
		p.SetMonitor(m, 0)
	}
	st := endState{}
	st.status, err = p.Run()
	if err != nil {
		st.err = err.Error()
	}
	st.steps, st.pc, st.regs = p.Steps(), p.PC(), p.Regs()
	st.data = make([]byte, 64)
	require.NoError(t, p.ReadMemory(symbol(t, f, "data"), st.data))
	return st
}

func TestSuperinstructionsMatchSingleSteps(t *testing.T) {
	// A run with superinstructions ends as a run that single-steps every
	// instruction (where none runs two at once), and a budget of k steps
	// stops where the single-stepping run was after k, inside pairs too.
	const budget = 300
	rng := rand.New(rand.NewPCG(8, 8))
	for prog := range 150 {
		src := randomProgram(rng, 24)
		t.Run(fmt.Sprint(prog), func(t *testing.T) {
			cfg := Config{MaxSteps: budget}
			free := runEnd(t, src, cfg, nil)
			var m stepper
			stepped := runEnd(t, src, cfg, &m)
			require.Equal(t, free, stepped, "%s", src)
			checkSteps(t, src, m.pcs)
			checkBudgets(t, src, free.steps, m.pcs, rng, 8)
		})
	}
}

// checkBudgets runs src n times, each with a budget of k steps, k at
// random below steps (a free run's), and checks that each run stops
// after k steps where the single-stepped run was (its pcs).
func checkBudgets(t *testing.T, src string, steps uint64, pcs []uint64, rng *rand.Rand, n int) {
	t.Helper()
	for range n {
		if steps < 2 {
			return
		}
		k := 1 + rng.Uint64N(steps-1)
		st := runEnd(t, src, Config{MaxSteps: k}, nil)
		require.Equal(t, k, st.steps, "%s", src)
		require.Equal(t, pcs[k], st.pc, "budget %d\n%s", k, src)
	}
}

func TestEveryInstructionCountsOneStep(t *testing.T) {
	// Each instruction that does not jump, single-stepped after setting
	// its registers: one step, and the next pause at the word after it.
	for op := range isa.NumOps {
		switch {
		case op == isa.HALT, op == isa.TRAP, op == isa.SYS,
			op >= isa.JMP && op <= isa.BNEZ:
			continue
		}
		t.Run(op.String(), func(t *testing.T) {
			var in string
			switch isa.Table[op].Format {
			case isa.FmtN:
				in = op.String()
			case isa.FmtR:
				in = op.String() + " r1"
			case isa.FmtRR:
				in = op.String() + " r1, r2"
			case isa.FmtRRR:
				in = op.String() + " r1, r2, r3"
			case isa.FmtRI:
				in = op.String() + " r1, 5"
			case isa.FmtRRI:
				in = op.String() + " r1, r2, 3"
			case isa.FmtRM:
				in = op.String() + " r1, [r20 + 8]"
			case isa.FmtRT:
				in = op.String() + " r1, data"
			case isa.FmtI:
				in = op.String() + " 16"
			case isa.FmtRK:
				in = op.String() + " r1, 0x123456789"
			}
			if op == isa.LEAVE {
				in = "enter 0\n\tleave"
			}
			src := fmt.Sprintf(`
_start:	la r20, data
	li r2, 7
	li r3, 2
	%s
	li r0, 0
	halt
	.data
	.global data
data:	.zero 64`, in)
			var m stepper
			st := runEnd(t, src, Config{}, &m)
			require.Empty(t, st.err)
			checkSteps(t, src, m.pcs)
			assert.Equal(t, uint64(len(m.pcs)), st.steps)
		})
	}
}

func TestPauseWhereControlRunsIntoTheNextSection(t *testing.T) {
	// .text fills its page, so control runs off its end into .c1, whose
	// first two instructions are a superinstruction. Budgets that end
	// around the crossing stop where single steps are after as many: the
	// last step before a pause runs one instruction, even when it starts
	// at the sentinel after .text's last word.
	src := `
_start:	li r1, 1
` + strings.Repeat("\taddi r1, r1, 0\n", 511) + `
	.section .c1, "ax"
	.global next
next:	li r8, 5
	blt r1, r8, done
	li r0, 9
	halt
done:	li r0, 0
	halt
	.global data
data:	.zero 64`
	f := assemble(t, src)
	require.Equal(t, uint64(0x10000+512*isa.WordSize), symbol(t, f, "next"), "the sections must touch")
	var m stepper
	st := runEnd(t, src, Config{}, &m)
	require.Empty(t, st.err)
	require.Equal(t, uint64(516), st.steps)
	for k := uint64(509); k < st.steps; k++ {
		got := runEnd(t, src, Config{MaxSteps: k}, nil)
		assert.Equal(t, k, got.steps, "budget %d", k)
		assert.Equal(t, m.pcs[k], got.pc, "budget %d", k)
	}
}

func TestDecodeCodeTilesFromTheEnd(t *testing.T) {
	// add, ld64 is a pair and ld64, ld64, leave, ret a longer run: the
	// add runs alone so that the epilogue is one dispatch (two in all,
	// not add+ld64, ld64, leave+ret). Each entry after the run's first
	// keeps a superinstruction of its own, for control that reaches it.
	code := word(
		isa.Encode(isa.ADD, 0, 0, 16, 0),
		isa.Encode(isa.LD64, 16, 29, 0, -8),
		isa.Encode(isa.LD64, 17, 29, 0, -16),
		isa.Encode(isa.LEAVE, 0, 0, 0, 0),
		isa.Encode(isa.RET, 0, 0, 0, 0),
	)
	d := decodeCode(code).ins
	assert.Equal(t, []uint8{uint8(isa.ADD), fLd64Ld64LeaveRet, uint8(isa.LD64), fLeaveRet, uint8(isa.RET), dEnd},
		[]uint8{d[0].op, d[1].op, d[2].op, d[3].op, d[4].op, d[5].op})
	for _, f := range seqFusions {
		assert.Equal(t, uint8(f.ops[0]), firstOf[f.fused], "%v", f.ops)
	}
	// Without superinstructions, as exec runs the steps before a pause.
	alone := decodeCode(code).aloneIns()
	assert.Equal(t, []uint8{uint8(isa.ADD), uint8(isa.LD64), uint8(isa.LD64), uint8(isa.LEAVE), uint8(isa.RET), dEnd},
		[]uint8{alone[0].op, alone[1].op, alone[2].op, alone[3].op, alone[4].op, alone[5].op})
}

func TestStoreIntoWritableCodeChangesARun(t *testing.T) {
	// mov, addi, call run as one superinstruction (superinst.Seqs); a
	// store into its last word, two after the run's first, makes it
	// decode again.
	for _, tc := range []struct {
		name, from string
		want       int
	}{
		{"last", "src", 5},     // li r0, 5 in place of the call
		{"unchanged", "at", 7}, // the call's own word: f returns 7
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := runSrc(t, fmt.Sprintf(`
_start:	li r16, 3
	la r1, %s
	ld64 r2, [r1]
	la r3, at
	st64 r2, [r3]
	jmp run
src:	li r0, 5
	.section .wx, "awx"
run:	mov r17, r16
	addi r0, r17, 0
at:	call f
	halt
f:	li r0, 7
	ret`, tc.from), Config{})
			require.NoError(t, res.err)
			assert.Equal(t, tc.want, res.status)
		})
	}
}
