# arena.s: arenas: blocks are 16-byte aligned and follow one another,
# a zero arena works, a block bigger than a chunk, failures leave the
# arena usable, reset and free reuse memory (the heap stops growing), two
# arenas are independent.
        .text
        .global main

# say(fmt, a, b): printf(fmt, a, b)
say:
        enter 16
        st64  r1, [sp]
        st64  r2, [sp + 8]
        call  printf
        leave
        ret

# fill(a, count, size): allocates count blocks of size bytes from a,
# writes each block's first and last byte; returns the number of blocks
# that were misaligned or did not start where the previous one ended
# (rounded up to 16), or -1 if one was NULL.
fill:
        enter 48
        st64  r16, [fp - 8]
        st64  r17, [fp - 16]
        st64  r18, [fp - 24]
        st64  r19, [fp - 32]
        st64  r20, [fp - 40]
        mov   r16, r0           # a
        mov   r17, r1           # blocks left
        mov   r18, r2           # size
        li    r19, 0            # bad blocks
        li    r20, 0            # the previous block's end, rounded
1:      beqz  r17, 3f
        mov   r0, r16
        mov   r1, r18
        call  arena_alloc
        beqz  r0, 8f
        andi  r8, r0, 15
        bnez  r8, 2f
        beqz  r20, 4f           # the first: nothing to compare with
        beq   r0, r20, 4f
        ld64  r8, [r16 + 16]    # else a new chunk started: the block
        addi  r8, r8, 16        # must be its first
        beq   r0, r8, 4f
2:      addi  r19, r19, 1
4:      li    r8, 0x5a
        st8   r8, [r0]
        add   r9, r0, r18
        st8   r8, [r9 - 1]
        addi  r20, r18, 15
        andi  r20, r20, -16
        add   r20, r0, r20
        addi  r17, r17, -1
        b     1b
8:      li    r19, -1
3:      mov   r0, r19
        ld64  r16, [fp - 8]
        ld64  r17, [fp - 16]
        ld64  r18, [fp - 24]
        ld64  r19, [fp - 32]
        ld64  r20, [fp - 40]
        leave
        ret

main:
        enter 32
        st64  r16, [fp - 8]
        st64  r17, [fp - 16]
        st64  r18, [fp - 24]

        # Two blocks from the zero arena in .bss: aligned, one after the
        # other, the sizes rounded up to 16.
        la    r0, a1
        li    r1, 24
        call  arena_alloc
        mov   r16, r0
        la    r0, a1
        li    r1, 1
        call  arena_alloc
        sub   r2, r0, r16
        andi  r1, r16, 15
        la    r0, fmt_first
        call  say
        la    r0, a1            # a zero-byte block: where the next starts
        li    r1, 0
        call  arena_alloc
        mov   r16, r0
        la    r0, a1
        li    r1, 16
        call  arena_alloc
        sub   r1, r0, r16
        la    r0, fmt_zero
        call  say

        # Many blocks of assorted sizes, over several chunks.
        la    r0, a1
        li    r1, 10000
        li    r2, 40
        call  fill
        mov   r1, r0
        la    r0, fmt_bad
        call  say
        la    r0, a1
        li    r1, 300
        li    r2, 1000
        call  fill
        mov   r1, r0
        la    r0, fmt_bad
        call  say

        # A block bigger than a chunk, written at both ends.
        la    r0, a1
        li    r1, 1
        li    r2, 200000
        call  fill
        mov   r1, r0
        la    r0, fmt_big
        call  say

        # Requests too big fail with NULL and leave the arena usable.
        la    r0, a1
        li    r1, -1
        call  arena_alloc
        mov   r1, r0
        la    r0, fmt_null
        call  say
        la    r0, a1
        li64  r1, 0x800000000000
        call  arena_alloc
        mov   r1, r0
        la    r0, fmt_null
        call  say
        la    r0, a1
        li    r1, 100
        li    r2, 16
        call  fill
        mov   r1, r0
        la    r0, fmt_bad
        call  say

        # reset: the next block is the newest chunk's first; 500 rounds of
        # 300 KiB in 32-byte blocks and a reset do not grow the heap.
        la    r0, a1
        call  arena_reset
        la    r0, a1
        li    r1, 16
        call  arena_alloc
        la    r8, a1
        ld64  r8, [r8 + 16]     # the newest chunk
        sub   r1, r0, r8
        la    r0, fmt_reset
        call  say
        li    r0, 0
        call  sbrk
        mov   r17, r0
        li    r16, 500
1:      la    r0, a1
        li    r1, 9600
        li    r2, 32
        call  fill
        bnez  r0, 9f
        la    r0, a1
        call  arena_reset
        addi  r16, r16, -1
        bnez  r16, 1b
        li    r0, 0
        call  sbrk
        sub   r1, r0, r17
        la    r0, fmt_growth
        call  say

        # free: the arena is all zero again; allocating and freeing again
        # does not grow the heap either.
        la    r0, a1
        call  arena_free
        la    r8, a1
        ld64  r1, [r8]
        ld64  r9, [r8 + 8]
        or    r1, r1, r9
        ld64  r9, [r8 + 16]
        or    r1, r1, r9
        la    r0, fmt_freed
        call  say
        li    r0, 0
        call  sbrk
        mov   r17, r0
        li    r16, 200
1:      la    r0, a1
        li    r1, 3000
        li    r2, 48
        call  fill
        bnez  r0, 9f
        la    r0, a1
        call  arena_free
        addi  r16, r16, -1
        bnez  r16, 1b
        li    r0, 0
        call  sbrk
        sub   r1, r0, r17
        la    r0, fmt_growth
        call  say

        # Two arenas: freeing one leaves the other's blocks alone.
        la    r0, a1
        li    r1, 16
        call  arena_alloc
        mov   r16, r0
        li    r8, 1234
        st64  r8, [r16]
        la    r0, a2
        li    r1, 100
        li    r2, 64
        call  fill
        la    r0, a2
        call  arena_free
        la    r0, a2            # a2 works again after arena_free
        li    r1, 64
        call  arena_alloc
        li    r8, 99
        st64  r8, [r0]
        ld64  r1, [r16]
        la    r0, fmt_kept
        call  say
        la    r0, a1
        call  arena_free
        la    r0, a2
        call  arena_free
        la    r0, a2            # reset of an empty arena does nothing
        call  arena_reset
        la    r8, a2
        ld64  r1, [r8 + 16]
        la    r0, fmt_freed
        call  say

        li    r0, 0
        b     8f
9:      li    r0, 1             # a fill went wrong
8:      ld64  r16, [fp - 8]
        ld64  r17, [fp - 16]
        ld64  r18, [fp - 24]
        leave
        ret

        .rodata
fmt_first:
        .asciz "first: misaligned %ld, next after %ld\n"
fmt_zero:
        .asciz "zero-byte block: next after %ld\n"
fmt_bad:
        .asciz "bad blocks: %ld\n"
fmt_big:
        .asciz "big block: bad %ld\n"
fmt_null:
        .asciz "too big: %p\n"
fmt_reset:
        .asciz "after reset: offset in chunk %ld\n"
fmt_growth:
        .asciz "heap growth: %ld\n"
fmt_freed:
        .asciz "empty: %ld\n"
fmt_kept:
        .asciz "other arena's block: %ld\n"

        .bss
        .align 8
a1:     .space 24
a2:     .space 24
