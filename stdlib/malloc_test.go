package stdlib

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestMalloc: alignment, reuse (the heap stops growing: sbrk(0) does not
// move over repeated malloc/free), realloc and calloc, linked both ways.
func TestMalloc(t *testing.T) {
	t.Parallel()
	runBoth(t, testdata(t, "malloc"), func(t *testing.T, r runResult) {
		requireOK(t, r)
		assert.Equal(t, `misaligned: 0
heap growth: 0
heap growth: 0
nodes: 2047
heap growth: 0
bad bytes: 0
realloc: abcdefghi
moved by: 0
non-null: 1
pointer: (nil)
moved by: 0
sum: 0
pointer: (nil)
moved by: 0
pointer: (nil)
pointer: (nil)
non-null: 1
`, r.stdout)
	})
}

// TestDoubleFree: freeing a block twice stops the program with user
// trap 7.
func TestDoubleFree(t *testing.T) {
	t.Parallel()
	runBoth(t, program{name: "dfree.s", src: `
        .text
        .global main
main:
        enter 16
        li    r0, 32
        call  malloc
        st64  r0, [fp - 8]
        call  free
        ld64  r0, [fp - 8]
        call  free
        li    r0, 0
        leave
        ret
`}, func(t *testing.T, r runResult) {
		require.NotNil(t, r.trap)
		assert.Equal(t, "user trap 7", r.trap.Msg)
		assert.Contains(t, r.trap.Report(), "free")
	})
}
