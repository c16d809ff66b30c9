// Package superinst lists the interpreter's superinstructions: the pairs
// (and a few longer runs) of consecutive instructions that run executes
// with one dispatch. It is the one list both the decoder (vm/decode.go,
// which numbers the fused opcodes in this order and fuses them) and the
// generator of run's cases (vm/internal/genrun) read, so that adding a
// superinstruction is adding a row here and running `go generate ./vm`.
// Tile is how the decoder chooses where they start, which choose's replay
// of traces shares.
package superinst

import "linkvm/vm/isa"

// Pair is a superinstruction: First then Second, consecutive words of one
// section.
type Pair struct {
	First, Second isa.Op // the two instructions, in program order
}

// Pairs are the superinstructions, chosen among the pairs the benchmarks
// run most often (docs/performance.md): loop and comparison branches
// after an addition or a constant, argument set-up before a call, the
// prologue, frame saves and restores, the epilogue, the PLT stub (ldpc,
// jr), floating-point chains, byte copies. Pair i's fused opcode is the
// i-th after the decoder's other opcodes, and run's cases come in this
// order. A first instruction must fall through to the next word (no
// branch, jump or li64); the generator checks that.
var Pairs = [...]Pair{
	{isa.ADDI, isa.BLTU},
	{isa.ADDI, isa.BLT},
	{isa.ADDI, isa.BNE},
	{isa.ADDI, isa.BNEZ},
	{isa.ADD, isa.BLTU},
	{isa.LI, isa.BLT},
	{isa.LI, isa.BGE},
	{isa.LI, isa.BEQ},
	{isa.LI, isa.BNE},
	{isa.MOV, isa.ADDI},
	{isa.ADDI, isa.ADDI},
	{isa.ADDI, isa.CALL},
	{isa.MOV, isa.CALL},
	{isa.FMUL, isa.FMUL},
	{isa.FMUL, isa.FADD},
	{isa.LEAVE, isa.RET},
	{isa.LD64, isa.LD64},
	{isa.ST64, isa.ST64},
	{isa.ST8, isa.ADD},
	{isa.ST8, isa.ADDI},
	{isa.LD64, isa.FMUL},
	{isa.LDPC, isa.JR},
	{isa.ITOF, isa.FDIV},
	{isa.ADD, isa.ADDI},
	{isa.FADD, isa.ADD},
	{isa.FSUB, isa.FMUL},
	{isa.FADD, isa.FMUL},
	{isa.LD64, isa.FSUB},
	{isa.FADD, isa.ST64},
	{isa.ENTER, isa.ST64},
	{isa.LD8U, isa.ST8},
	{isa.LD8U, isa.LD8U},
	{isa.ST8, isa.ST8},
	{isa.ST64, isa.MOV},
	{isa.ADD, isa.LD64},
	{isa.LD64, isa.BEQZ},
	{isa.LD64, isa.ST64},
	{isa.MOV, isa.LD64},
	{isa.LI, isa.MOV},
	{isa.SHLI, isa.ADD},
	{isa.LD64, isa.ADD},
	{isa.FMUL, isa.FSUB},
	{isa.LD64, isa.FADD},
	{isa.ST64, isa.ADDI},
	{isa.ADD, isa.LD8U},
	{isa.MOV, isa.ADD},
	{isa.LI, isa.OR},

	// Chosen by `go run ./vm/internal/superinst/choose -n 22` over the six
	// benchmarks (docs/performance.md), in its order.
	{isa.ADDI, isa.LI},
	{isa.LD8U, isa.BNEZ},
	{isa.SHLI, isa.LEA},
	{isa.ADDI, isa.ST64},
	{isa.ADDI, isa.JMP},
	{isa.FADD, isa.FSQRT},
	{isa.MUL, isa.SHRI},
	{isa.LD64, isa.BNEZ},
	{isa.ENTER, isa.BNEZ},
	{isa.ADDI, isa.ST8},
	{isa.LD64, isa.ADDI},
	{isa.LI, isa.BGEU},
	{isa.LD8U, isa.BEQZ},
	{isa.XORI, isa.JMP},
	{isa.LI, isa.CALL},
	{isa.LI, isa.RET},
	{isa.ST64, isa.LD64},
	{isa.FMUL, isa.LD64},
	{isa.ADD, isa.ST8},
	{isa.ADD, isa.JMP},
	{isa.SUB, isa.BEQ},
}

// Seqs are the superinstructions of more than two instructions: runs
// that the ABI's frames repeat in every non-leaf function that keeps two
// values across its calls (docs/abi.md), the prologue that saves two
// callee-saved registers and the epilogue that restores them and
// returns, and a kept value with the next call's argument computed from
// it. Seq i's fused opcode follows the pairs', and run's cases come after
// theirs, in this order. Where a run and a pair both fit, Tile chooses.
// Every instruction but the last must fall through to the next word.
var Seqs = [...][]isa.Op{
	{isa.ENTER, isa.ST64, isa.ST64},
	{isa.LD64, isa.LD64, isa.LEAVE, isa.RET},
	{isa.MOV, isa.ADDI, isa.CALL},
}
