package main

import (
	"testing"

	"github.com/stretchr/testify/assert"

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

func TestReplayTilesAsRunDoes(t *testing.T) {
	// li, blt fused; then add alone (add, addi is not a pair here), a
	// candidate with the addi that starts the next dispatch; addi, addi
	// fused; ret alone.
	pairs := map[superinst.Pair]bool{pair(isa.LI, isa.BLT): true, pair(isa.ADDI, isa.ADDI): true}
	n, cand := replay(tr(isa.LI, isa.BLT, isa.ADD, isa.ADDI, isa.ADDI, isa.RET), pairs)
	assert.Equal(t, 4, n)
	// The second addi runs with the first, so addi, ret is no candidate.
	assert.Equal(t, map[superinst.Pair]int{pair(isa.ADD, isa.ADDI): 1}, cand)
}

func TestReplayNeedsConsecutiveWords(t *testing.T) {
	// A taken branch goes elsewhere: the instruction after it in the
	// trace is not the next word, so the two are neither fused nor a
	// candidate.
	trace := []step{{0x1000, isa.ADD}, {0x2000, isa.ADD}, {0x2008, isa.ADD}}
	n, cand := replay(trace, map[superinst.Pair]bool{pair(isa.ADD, isa.ADD): true})
	assert.Equal(t, 2, n)
	assert.Empty(t, cand)
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
