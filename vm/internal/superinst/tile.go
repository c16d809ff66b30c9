package superinst

import "linkvm/vm/isa"

// Tile chooses how a section of n words is split into dispatches: for
// each word k, the length of the superinstruction that starts there, or
// 1 for the instruction alone. fits(k) lists the lengths (2 or more) of
// the superinstructions whose instructions are the words from k, which
// may run past n; fallsThrough(k) reports whether control can go on to
// the word after k. Each word takes the choice that runs the words from
// it in the fewest dispatches when control falls through them, up to n
// or to a word it cannot go on from, the longest on a tie. It is a pass
// from the end, so that an instruction runs alone when that lets the next
// words run as one: an add before the epilogue ld64, ld64, leave, ret
// makes two dispatches, not add+ld64, ld64, leave+ret. The decoder
// (vm/decode.go) and choose's replay both tile with it, so that choose
// counts the dispatches run makes.
func Tile(n int, fits func(k int) []int, fallsThrough func(k int) bool) []int {
	lens := make([]int, n)
	cost := make([]int, n+1) // dispatches from each word on; 0 at n
	// after is the cost of going on at word k once the word before it ran.
	after := func(k int) int {
		if k >= n || !fallsThrough(k-1) {
			return 0
		}
		return cost[k]
	}
	for k := n - 1; k >= 0; k-- {
		lens[k], cost[k] = 1, 1+after(k+1)
		for _, l := range fits(k) {
			if c := 1 + after(k+l); c < cost[k] || c == cost[k] && l > lens[k] {
				lens[k], cost[k] = l, c
			}
		}
	}
	return lens
}

// FallsThrough reports whether control can go on to the next word after
// op: not after an unconditional jump, a return, a halt or a trap. A call
// does, when its callee returns.
func FallsThrough(op isa.Op) bool {
	switch op {
	case isa.JMP, isa.JR, isa.RET, isa.HALT, isa.TRAP:
		return false
	}
	return true
}
