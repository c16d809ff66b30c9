package main

import (
	"bytes"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"linkvm/asm"
	"linkvm/objfmt"
	"linkvm/staticld"
	"linkvm/vm/internal/superinst"
	"linkvm/vm/isa"
)

// tr is a trace of instructions at consecutive words from 0x1000.
func tr(ops ...isa.Op) []step {
	var t []step
	pc := uint64(0x1000)
	for _, op := range ops {
		t = append(t, step{pc, op})
		pc += isa.WordSize
	}
	return t
}

func pair(a, b isa.Op) superinst.Pair { return superinst.Pair{First: a, Second: b} }

// straight is a benchmark that runs ops once, one after the other, at
// consecutive words from 0x1000: its code is ops.
func straight(ops ...isa.Op) bench {
	return bench{trace: tr(ops...), code: []section{{0x1000, ops}}}
}

func TestReplayTilesAsRunDoes(t *testing.T) {
	// li, blt fused; then add alone (add, addi is not a pair here), a
	// candidate with the addi that starts the next dispatch; addi, addi
	// fused; ret alone.
	pairs := map[superinst.Pair]bool{pair(isa.LI, isa.BLT): true, pair(isa.ADDI, isa.ADDI): true}
	n, cand := replay(straight(isa.LI, isa.BLT, isa.ADD, isa.ADDI, isa.ADDI, isa.RET), pairs)
	assert.Equal(t, 4, n)
	// The second addi runs with the first, so addi, ret is no candidate.
	assert.Equal(t, map[superinst.Pair]int{pair(isa.ADD, isa.ADDI): 1}, cand)
}

func TestReplayNeedsConsecutiveWords(t *testing.T) {
	// A taken branch goes elsewhere: the instruction after it in the
	// trace is not the next word, so the two are neither fused nor a
	// candidate.
	b := bench{
		trace: []step{{0x1000, isa.ADD}, {0x2000, isa.ADD}, {0x2008, isa.ADD}},
		code:  []section{{0x1000, []isa.Op{isa.ADD, isa.ADD}}, {0x2000, []isa.Op{isa.ADD, isa.ADD}}},
	}
	n, cand := replay(b, map[superinst.Pair]bool{pair(isa.ADD, isa.ADD): true})
	assert.Equal(t, 2, n)
	assert.Empty(t, cand)
}

func TestReplayTilesFromTheEnd(t *testing.T) {
	// As the decoder does: add runs alone so that the epilogue (a run of
	// superinst.Seqs) is one dispatch, rather than add, ld64 fused, then
	// ld64 and leave, ret: two dispatches instead of three.
	pairs := map[superinst.Pair]bool{pair(isa.ADD, isa.LD64): true, pair(isa.LEAVE, isa.RET): true}
	b := straight(isa.ADD, isa.LD64, isa.LD64, isa.LEAVE, isa.RET)
	n, cand := replay(b, pairs)
	assert.Equal(t, 2, n)
	assert.Empty(t, cand)
	assert.Equal(t, map[uint64]int{0x1008: 4, 0x1018: 2}, tiling(b.code, pairs))
}

func TestFusable(t *testing.T) {
	assert.True(t, fusable(pair(isa.ADD, isa.BLT)))
	assert.True(t, fusable(pair(isa.LEAVE, isa.RET)))
	assert.False(t, fusable(pair(isa.BLT, isa.ADD)), "a branch first")
	assert.False(t, fusable(pair(isa.CALL, isa.ADD)), "a call first")
	assert.False(t, fusable(pair(isa.LI64, isa.ADD)), "two words first")
	assert.False(t, fusable(pair(isa.ADD, isa.DIVU)), "a division is left to exec")
	assert.False(t, fusable(pair(isa.SYS, isa.ADD)), "so is a system call")
}

func TestTopPairsOrder(t *testing.T) {
	score := map[superinst.Pair]float64{
		pair(isa.SUB, isa.ADD): 0.5,
		pair(isa.ADD, isa.SUB): 0.5,
		pair(isa.MOV, isa.ADD): 0.7,
		pair(isa.LI, isa.ADD):  0.1,
	}
	assert.Equal(t, []superinst.Pair{pair(isa.MOV, isa.ADD), pair(isa.ADD, isa.SUB), pair(isa.SUB, isa.ADD)}, topPairs(score, 3))
	best, ok := bestPair(score)
	assert.True(t, ok)
	assert.Equal(t, pair(isa.MOV, isa.ADD), best)
	_, ok = bestPair(nil)
	assert.False(t, ok)
}

// image assembles src, links it alone and writes it to a temporary file.
func image(t *testing.T, src string) string {
	t.Helper()
	obj, err := asm.Assemble("t.s", []byte(src), asm.Options{})
	require.NoError(t, err)
	img, err := staticld.Link(staticld.Config{}, []staticld.Input{{Name: "t.vo", File: obj}})
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "t.img")
	require.NoError(t, objfmt.WriteFile(path, img))
	return path
}

func TestRawPairs(t *testing.T) {
	// li, three rounds of addi+bnez (the branch back makes bnez, addi no
	// pair: the addi is not the word after the bnez), then li and halt.
	path := image(t, `
	.global _start
_start:	li r1, 3
1:	addi r1, r1, -1
	bnez r1, 1b
	li r0, 0
	halt`)
	var out, errb bytes.Buffer
	require.NoError(t, run([]string{"-pairs", "3", path}, &out, &errb))
	assert.Equal(t, path+`: 9 instructions

instruction       share
addi              33.3%
bnez              33.3%
li                22.2%

pair              share
addi bnez         33.3%
bnez li           11.1%
li addi           11.1%
`, out.String())
	assert.Empty(t, errb.String())
}

func TestUsage(t *testing.T) {
	var out, errb bytes.Buffer
	assert.EqualError(t, run(nil, &out, &errb), "usage: choose [-n N | -hot | -pairs N] 'image.img args' [more benchmarks]")
	assert.EqualError(t, run([]string{"/nonexistent.img"}, &out, &errb), "/nonexistent.img: open /nonexistent.img: no such file or directory")
}
