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

// TestMallocClasses: the capacity malloc gives at the edges of its fast
// path (n - 1 < 1024) and of the classes, malloc(0) included, and that
// a freed block is reused for the next request of its class only.
func TestMallocClasses(t *testing.T) {
	t.Parallel()
	runBoth(t, program{name: "classes.s", src: `
        .text
        .global main
main:
        enter 32
        st64  r16, [fp - 8]
        st64  r17, [fp - 16]
        la    r16, sizes
1:      ld64  r0, [r16]
        li    r8, -1
        beq   r0, r8, 2f
        call  malloc
        call  malloc_usable_size
        st64  r0, [sp + 8]
        ld64  r8, [r16]
        st64  r8, [sp]
        la    r0, fmt
        call  printf
        addi  r16, r16, 8
        b     1b
2:      li    r0, 1024          # freed, then asked again: the same block
        call  malloc
        mov   r16, r0
        call  free
        li    r0, 1009          # same class (1024)
        call  malloc
        sub   r17, r0, r16
        li    r0, 1008          # class 1008: not that block
        call  malloc
        seq   r0, r0, r16
        st64  r0, [sp + 8]
        st64  r17, [sp]
        la    r0, fmt_reuse
        call  printf
        li    r0, 0
        ld64  r16, [fp - 8]
        ld64  r17, [fp - 16]
        leave
        ret
        .data
sizes:  .quad 0, 1, 15, 16, 17, 1008, 1009, 1023, 1024, 1025, 2048, 2049, 65536, -1
        .rodata
fmt:    .asciz "%ld: %ld\n"
fmt_reuse:
        .asciz "same class moved by %ld, other class got it: %ld\n"
`}, func(t *testing.T, r runResult) {
		requireOK(t, r)
		assert.Equal(t, `0: 16
1: 16
15: 16
16: 16
17: 32
1008: 1008
1009: 1024
1023: 1024
1024: 1024
1025: 2048
2048: 2048
2049: 4096
65536: 65536
same class moved by 0, other class got it: 0
`, r.stdout)
	})
}

// TestFreeBadTag: free stops with user trap 7 when the tag word before
// the block is not that of a block in use with a class from 1 to 127:
// class 0, class 128, a freed block's tag, and no tag at all.
func TestFreeBadTag(t *testing.T) {
	t.Parallel()
	for _, tag := range []string{"0xA110C00", "0xA110C80", "0xF4EE001", "0"} {
		t.Run(tag, func(t *testing.T) {
			t.Parallel()
			runBoth(t, program{name: "badtag.s", src: `
        .text
        .global main
main:
        enter 0
        la    r0, block
        call  free
        li    r0, 0
        leave
        ret
        .data
        .align 16
        .quad 16, ` + tag + `
block:  .quad 0, 0
`}, func(t *testing.T, r runResult) {
				require.NotNil(t, r.trap)
				assert.Equal(t, "user trap 7", r.trap.Msg)
			})
		})
	}
}

// TestArena: arena blocks are aligned and consecutive, a zero arena
// works, a block bigger than a chunk, requests too big fail and leave the
// arena usable, reset and free reuse memory (the heap stops growing), and
// two arenas are independent; linked both ways.
func TestArena(t *testing.T) {
	t.Parallel()
	runBoth(t, testdata(t, "arena"), func(t *testing.T, r runResult) {
		requireOK(t, r)
		assert.Equal(t, `first: misaligned 0, next after 32
zero-byte block: next after 0
bad blocks: 0
bad blocks: 0
big block: bad 0
too big: (nil)
too big: (nil)
bad blocks: 0
after reset: offset in chunk 16
heap growth: 0
empty: 0
heap growth: 0
other arena's block: 1234
empty: 0
`, r.stdout)
	})
}
