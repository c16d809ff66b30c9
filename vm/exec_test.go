package vm

import (
	"fmt"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"linkvm/vm/isa"
)

const (
	minInt64 = uint64(1 << 63)
	allOnes  = ^uint64(0)
	negZero  = uint64(1 << 63)
)

func fbits(f float64) uint64 { return math.Float64bits(f) }

// haltValue runs src, which must end with halt, and returns r0.
func haltValue(t *testing.T, src string) uint64 {
	t.Helper()
	res := runSrc(t, src, Config{})
	require.NoError(t, res.err)
	return uint64(res.status)
}

func TestThreeRegisterOps(t *testing.T) {
	nan := fbits(math.NaN())
	for _, tc := range []struct {
		op   string
		b, c uint64
		want uint64
	}{
		{"add", 1<<63 - 1, 1, minInt64},
		{"add", allOnes, 2, 1},
		{"sub", 0, 1, allOnes},
		{"sub", minInt64, 1, 1<<63 - 1},
		{"mul", 1 << 62, 4, 0},
		{"mul", allOnes, allOnes, 1},
		{"divs", neg(7), 2, neg(3)},
		{"divs", 7, neg(2), neg(3)},
		{"divs", minInt64, allOnes, minInt64},
		{"divu", allOnes, 2, 1<<63 - 1},
		{"rems", neg(7), 2, allOnes},
		{"rems", 7, neg(2), 1},
		{"rems", minInt64, allOnes, 0},
		{"remu", allOnes, 10, 5},
		{"and", 0xf0f0, 0xff00, 0xf000},
		{"or", 0xf0f0, 0xff00, 0xfff0},
		{"xor", 0xf0f0, 0xff00, 0x0ff0},
		{"shl", 1, 63, minInt64},
		{"shl", 3, 64, 3},
		{"shl", 3, 65, 6},
		{"shr", minInt64, 63, 1},
		{"shr", minInt64, 127, 1},
		{"shr", 5, 64, 5},
		{"sar", minInt64, 63, allOnes},
		{"sar", minInt64, 64 + 4, 0xf8 << 56},
		{"seq", 5, 5, 1},
		{"seq", 5, 6, 0},
		{"sne", 5, 6, 1},
		{"sne", 5, 5, 0},
		{"slt", allOnes, 0, 1},
		{"slt", 0, allOnes, 0},
		{"slt", 3, 3, 0},
		{"sle", 3, 3, 1},
		{"sle", 0, allOnes, 0},
		{"sltu", allOnes, 0, 0},
		{"sltu", 0, allOnes, 1},
		{"sleu", 3, 3, 1},
		{"sleu", allOnes, 3, 0},
		{"fadd", fbits(1.5), fbits(2.25), fbits(3.75)},
		{"fadd", fbits(math.Inf(1)), fbits(math.Inf(-1)), 0x7ff8000000000001}, // any NaN; checked below
		{"fsub", fbits(1), fbits(3), fbits(-2)},
		{"fsub", 0, 0, 0},
		{"fmul", fbits(-2), fbits(0), negZero},
		{"fmul", fbits(1e308), fbits(10), fbits(math.Inf(1))},
		{"fdiv", fbits(1), fbits(0), fbits(math.Inf(1))},
		{"fdiv", fbits(-1), fbits(0), fbits(math.Inf(-1))},
		{"fdiv", fbits(1), fbits(3), fbits(1.0 / 3)},
		{"feq", fbits(0), negZero, 1},
		{"feq", nan, nan, 0},
		{"feq", fbits(2), fbits(2), 1},
		{"flt", nan, fbits(1), 0},
		{"flt", fbits(1), nan, 0},
		{"flt", fbits(-1), fbits(1), 1},
		{"flt", fbits(1), fbits(1), 0},
		{"fle", fbits(1), fbits(1), 1},
		{"fle", nan, nan, 0},
		{"fle", fbits(2), fbits(1), 0},
	} {
		t.Run(fmt.Sprintf("%s_%#x_%#x", tc.op, tc.b, tc.c), func(t *testing.T) {
			got := haltValue(t, fmt.Sprintf(`
_start:	li64 r1, %d
	li64 r2, %d
	%s r20, r1, r2
	mov r0, r20
	halt`, tc.b, tc.c, tc.op))
			if tc.want == 0x7ff8000000000001 {
				assert.True(t, math.IsNaN(math.Float64frombits(got)), "%#x is not a NaN", got)
				return
			}
			assert.Equal(t, tc.want, got, "got %#x want %#x", got, tc.want)
		})
	}
}

func TestImmediateOps(t *testing.T) {
	for _, tc := range []struct {
		op   string
		b    uint64
		imm  int32
		want uint64
	}{
		{"addi", 5, -6, allOnes},
		{"addi", 1<<63 - 1, 1, minInt64},
		{"muli", 3, -2, neg(6)},
		{"andi", 0x1234_5678_9abc_def0, -1, 0x1234_5678_9abc_def0},
		{"andi", 0x1234_5678_9abc_def0, 0xff, 0xf0},
		{"ori", 0, -2, allOnes - 1},
		{"xori", 0xff, -1, ^uint64(0xff)},
		{"shli", 1, 64, 1},
		{"shli", 1, 65, 2},
		{"shli", 1, -1, minInt64},
		{"shri", allOnes, 60, 0xf},
		{"shri", allOnes, 64, allOnes},
		{"sari", minInt64, 60, neg(8)},
		{"seqi", allOnes, -1, 1},
		{"seqi", 1, -1, 0},
		{"snei", 1, -1, 1},
		{"slti", allOnes, 0, 1},
		{"slti", 0, -1, 0},
		{"slei", allOnes, -1, 1},
		{"sgti", 0, -1, 1},
		{"sgti", allOnes, -1, 0},
		{"sltui", 5, -1, 1},      // -1 sign-extends to the largest unsigned value
		{"sltui", allOnes, 5, 0}, // unsigned
		{"sleui", allOnes, -1, 1},
		{"sgtui", allOnes, 5, 1},
		{"sgtui", 5, -1, 0},
	} {
		t.Run(fmt.Sprintf("%s_%#x_%d", tc.op, tc.b, tc.imm), func(t *testing.T) {
			// The assembler refuses shift amounts outside 0..63, so
			// those words are written as data to test the masking.
			op, ok := isa.Lookup(tc.op)
			require.True(t, ok)
			insn := fmt.Sprintf(".quad %#x", isa.Encode(op, 0, 1, 0, int32(tc.imm)))
			got := haltValue(t, fmt.Sprintf(`
_start:	li64 r1, %d
	%s
	halt`, tc.b, insn))
			assert.Equal(t, tc.want, got, "got %#x want %#x", got, tc.want)
		})
	}
}

func TestTwoRegisterOps(t *testing.T) {
	nan := fbits(math.NaN())
	for _, tc := range []struct {
		op   string
		b    uint64
		want uint64
	}{
		{"mov", 42, 42},
		{"not", 0, allOnes},
		{"neg", 1, allOnes},
		{"neg", minInt64, minInt64},
		{"neg", 0, 0},
		{"fsqrt", fbits(2), fbits(math.Sqrt2)},
		{"fsqrt", negZero, negZero},
		{"fneg", 0, negZero},
		{"fneg", negZero, 0},
		{"fneg", nan, nan | 1<<63},
		{"fabs", negZero, 0},
		{"fabs", fbits(-2.5), fbits(2.5)},
		{"fabs", nan | 1<<63, nan},
		{"ffloor", fbits(-1.5), fbits(-2)},
		{"ffloor", fbits(1.5), fbits(1)},
		{"ffloor", negZero, negZero},
		{"fceil", fbits(-1.5), fbits(-1)},
		{"fceil", fbits(-0.5), negZero},
		{"fceil", fbits(1.2), fbits(2)},
		{"ftrunc", fbits(-1.7), fbits(-1)},
		{"ftrunc", fbits(-0.7), negZero},
		{"ftrunc", fbits(math.Inf(1)), fbits(math.Inf(1))},
		{"itof", allOnes, fbits(-1)},
		{"itof", minInt64, fbits(-0x1p63)},
		{"itof", 1<<53 + 1, fbits(0x1p53)}, // rounds to nearest even
		{"utof", allOnes, fbits(0x1p64)},
		{"utof", minInt64, fbits(0x1p63)},
		{"ftoi", nan, 0},
		{"ftoi", fbits(math.Inf(1)), 1<<63 - 1},
		{"ftoi", fbits(math.Inf(-1)), minInt64},
		{"ftoi", fbits(0x1p63), 1<<63 - 1},
		{"ftoi", fbits(1e19), 1<<63 - 1},
		{"ftoi", fbits(-0x1p63), minInt64},
		{"ftoi", fbits(-1e19), minInt64},
		{"ftoi", fbits(-1.9), allOnes},
		{"ftoi", fbits(1.9), 1},
		{"ftoi", negZero, 0},
		{"ftoi", fbits(0x1p62), 1 << 62},
	} {
		t.Run(fmt.Sprintf("%s_%#x", tc.op, tc.b), func(t *testing.T) {
			got := haltValue(t, fmt.Sprintf(`
_start:	li64 r7, %d
	%s r0, r7
	halt`, tc.b, tc.op))
			assert.Equal(t, tc.want, got, "got %#x want %#x", got, tc.want)
		})
	}
}

func TestNoFusedMultiplyAdd(t *testing.T) {
	// a*b+c rounds twice; fused it would round once and differ.
	a, b := 1+0x1p-30, 1-0x1p-30
	c := -1.0
	p := a * b
	want := p + c
	require.NotEqual(t, math.FMA(a, b, c), want, "the test values must tell the two apart")
	got := haltValue(t, fmt.Sprintf(`
_start:	li64 r1, %d
	li64 r2, %d
	li64 r3, %d
	fmul r4, r1, r2
	fadd r0, r4, r3
	halt`, fbits(a), fbits(b), fbits(c)))
	assert.Equal(t, fbits(want), got)
}

func TestBranches(t *testing.T) {
	for _, tc := range []struct {
		op    string
		a, b  uint64
		taken bool
	}{
		{"beq", 3, 3, true}, {"beq", 3, 4, false},
		{"bne", 3, 4, true}, {"bne", 3, 3, false},
		{"blt", allOnes, 0, true}, {"blt", 0, allOnes, false}, {"blt", 2, 2, false},
		{"bge", 2, 2, true}, {"bge", allOnes, 0, false},
		{"bltu", 0, allOnes, true}, {"bltu", allOnes, 0, false},
		{"bgeu", allOnes, 0, true}, {"bgeu", 0, 1, false},
	} {
		t.Run(fmt.Sprintf("%s_%#x_%#x", tc.op, tc.a, tc.b), func(t *testing.T) {
			got := haltValue(t, fmt.Sprintf(`
_start:	li64 r1, %d
	li64 r2, %d
	%s r1, r2, .yes
	li r0, 0
	halt
.yes:	li r0, 1
	halt`, tc.a, tc.b, tc.op))
			assert.Equal(t, tc.taken, got == 1)
		})
	}
	for _, tc := range []struct {
		op    string
		a     uint64
		taken bool
	}{
		{"beqz", 0, true}, {"beqz", minInt64, false}, {"bnez", minInt64, true}, {"bnez", 0, false},
	} {
		t.Run(fmt.Sprintf("%s_%#x", tc.op, tc.a), func(t *testing.T) {
			got := haltValue(t, fmt.Sprintf(`
_start:	li64 r1, %d
	%s r1, .yes
	li r0, 0
	halt
.yes:	li r0, 1
	halt`, tc.a, tc.op))
			assert.Equal(t, tc.taken, got == 1)
		})
	}
}

func TestBackwardBranchLoop(t *testing.T) {
	// sum 1..100 with a backward branch
	got := haltValue(t, `
_start:	li r0, 0
	li r1, 100
.loop:	add r0, r0, r1
	addi r1, r1, -1
	bnez r1, .loop
	halt`)
	assert.Equal(t, uint64(5050), got)
}

func TestLoadsAndStores(t *testing.T) {
	for _, tc := range []struct {
		st, ld string
		v      uint64
		want   uint64
	}{
		{"st8", "ld8u", 0x1ff, 0xff},
		{"st8", "ld8s", 0x1ff, allOnes},
		{"st8", "ld8s", 0x7f, 0x7f},
		{"st16", "ld16u", 0x18000, 0x8000},
		{"st16", "ld16s", 0x18000, 0xffff_ffff_ffff_8000},
		{"st32", "ld32u", 0x1_8000_0001, 0x8000_0001},
		{"st32", "ld32s", 0x1_8000_0001, 0xffff_ffff_8000_0001},
		{"st64", "ld64", 0x0123_4567_89ab_cdef, 0x0123_4567_89ab_cdef},
	} {
		for _, where := range []string{"data", "stack", "bss", "dataend"} {
			t.Run(tc.st+"_"+tc.ld+"_"+where, func(t *testing.T) {
				addr := map[string]string{
					"data":    "la r5, buf",
					"bss":     "la r5, zbuf",
					"dataend": "la r5, bufend\n\taddi r5, r5, -8", // last 8 bytes: the slow path
					"stack":   "addi r5, sp, -64",
				}[where]
				got := haltValue(t, fmt.Sprintf(`
_start:	%s
	li64 r1, %d
	%s r1, [r5 + 0]
	%s r0, [r5]
	halt
	.data
	.quad 0
buf:	.zero 16
bufend:
	.bss
zbuf:	.zero 16`, addr, tc.v, tc.st, tc.ld))
				assert.Equal(t, tc.want, got, "got %#x want %#x", got, tc.want)
			})
		}
	}
}

func TestMemoryIsLittleEndianAndOffsetsSignExtend(t *testing.T) {
	got := haltValue(t, `
_start:	la r5, buf
	addi r5, r5, 8
	ld8u r0, [r5 - 8]
	ld8u r1, [r5 - 1]
	shli r1, r1, 8
	or r0, r0, r1
	halt
	.rodata
buf:	.quad 0x1122334455667788
	.quad 0xaa00000000000000`)
	assert.Equal(t, uint64(0x1188), got) // byte 0 and byte 7 of the first quad
}

func TestReadOnlyDataIsReadable(t *testing.T) {
	// ld from .text reads the code bytes; ld from .rodata reads constants.
	got := haltValue(t, `
_start:	la r5, _start
	ld8u r0, [r5]
	la r6, k
	ld64 r1, [r6]
	add r0, r0, r1
	halt
	.rodata
k:	.quad 1000`)
	assert.Equal(t, uint64(1000)+uint64(isa.LEA), got) // the first byte of _start is lea's opcode
}

// neg returns -v as a register value.
func neg(v uint64) uint64 { return -v }

func TestLoadPCRelative(t *testing.T) {
	// ldpc reads the 64-bit word at a pc-relative address: here a slot in
	// .data (as a GOT slot would be) and a literal in .rodata.
	got := haltValue(t, `
_start:	ldpc r1, slot
	ldpc r2, lit
	add r0, r1, r2
	halt
	.rodata
lit:	.quad 0x100000000
	.data
slot:	.quad 42`)
	assert.Equal(t, uint64(0x10000002a), got)
}

func TestLoadPCRelativeFault(t *testing.T) {
	r := runSrc(t, `
_start:	ldpc r1, _start - 0x10000
	halt`, Config{})
	require.Error(t, r.err)
	assert.ErrorIs(t, r.err, ErrNullPointer)
}
