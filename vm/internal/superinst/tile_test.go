package superinst

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"linkvm/vm/isa"
)

func TestTile(t *testing.T) {
	always := func(int) bool { return true }
	for _, tc := range []struct {
		name string
		n    int
		fits map[int][]int
		// stops are the words control cannot go on from.
		stops map[int]bool
		want  []int
	}{
		{"nothing fits", 3, nil, nil, []int{1, 1, 1}},
		// add, ld64, ld64, leave, ret: add+ld64 is a pair, the epilogue a
		// run of four: the add runs alone.
		{"from the end", 5, map[int][]int{0: {2}, 1: {2, 4}, 3: {2}}, map[int]bool{4: true},
			[]int{1, 4, 1, 2, 1}},
		// The same dispatches either way: the longest.
		{"tie", 3, map[int][]int{0: {2, 3}}, nil, []int{3, 1, 1}},
		// After a word control cannot go on from (a ret at 1), what
		// follows costs nothing: the pair at 0 ends there.
		{"no fall through", 4, map[int][]int{0: {2}, 2: {2}}, map[int]bool{1: true}, []int{2, 1, 2, 1}},
		// A superinstruction may run past the end of the words tiled.
		{"past the end", 2, map[int][]int{1: {3}}, nil, []int{1, 3}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			falls := always
			if tc.stops != nil {
				falls = func(k int) bool { return !tc.stops[k] }
			}
			got := Tile(tc.n, func(k int) []int { return tc.fits[k] }, falls)
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestFallsThrough(t *testing.T) {
	for _, op := range []isa.Op{isa.JMP, isa.JR, isa.RET, isa.HALT, isa.TRAP} {
		assert.False(t, FallsThrough(op), "%s", op)
	}
	for _, op := range []isa.Op{isa.CALL, isa.CALLR, isa.BEQ, isa.ADD, isa.SYS} {
		assert.True(t, FallsThrough(op), "%s", op)
	}
}
