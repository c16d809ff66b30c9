# arena.s: arenas (regions): many small blocks allocated one after the
# other and freed all at once, as GNU obstacks and APR pools do. The
# functions are arena_alloc, arena_reset and arena_free;
# docs/stdlib.md describes them:
#
# - struct arena { char *next, *end; struct chunk *chunks; }, 24 bytes.
#   All zero is an empty arena, so one in .bss needs no initialization.
# - Blocks are carved from chunks got from malloc, 64 KiB each or, for a
#   request that does not fit in one, as big as the request. The chunks
#   form a list, newest first, through their first word; the newest is
#   the one being carved, next..end its free bytes.
# - arena_alloc rounds n up to 16 and, when the block fits in the current
#   chunk, moves next up: 11 instructions. Otherwise it takes a new chunk
#   (the rest of the old one is left unused).
# - arena_reset frees every chunk but the newest and carves again from
#   its start; arena_free frees them all.

        .equ  A_NEXT, 0         # struct arena
        .equ  A_END, 8
        .equ  A_CHUNKS, 16
        .equ  C_PREV, 0         # struct chunk: the older chunk, then a
        .equ  C_HDR, 16         # pad word, so blocks are 16-byte aligned
        .equ  CHUNK, 65536
        .equ  MAX_REQUEST, 0x400000000000     # 2^46, as malloc

        .text
        .global arena_alloc, arena_reset, arena_free

# void *arena_alloc(struct arena *a, size_t n): a 16-byte aligned block of
# n bytes from a, or NULL when malloc cannot give a new chunk (or n is
# above 2^46). arena_alloc(a, 0) returns a pointer to no bytes.
arena_alloc:
        addi  r2, r1, 15
        bltu  r2, r1, .Lnomem   # n + 15 wrapped round: n is huge
        andi  r2, r2, -16       # r2: n rounded up to 16
        ld64  r3, [r0 + A_NEXT]
        ld64  r4, [r0 + A_END]
        sub   r4, r4, r3        # r4: the room left in the chunk
        bltu  r4, r2, .Lgrow
        add   r2, r3, r2
        st64  r2, [r0 + A_NEXT]
        mov   r0, r3
        ret

.Lgrow:                         # a new chunk, for a block of r2 bytes
        li64  r8, MAX_REQUEST
        bgtu  r2, r8, .Lnomem
        enter 16
        st64  r16, [fp - 8]
        st64  r17, [fp - 16]
        mov   r16, r0           # r16: a
        mov   r17, r2           # r17: the block's size
        addi  r0, r2, C_HDR     # the chunk's size: CHUNK or, if more,
        li    r8, CHUNK         # the header and the block
        bgeu  r0, r8, 1f
        mov   r0, r8
1:      call  malloc
        beqz  r0, 2f            # NULL: a is unchanged
        ld64  r8, [r16 + A_CHUNKS]
        st64  r8, [r0 + C_PREV] # push the chunk on a's list
        st64  r0, [r16 + A_CHUNKS]
        addi  r8, r17, C_HDR    # its end, from its size again
        li    r9, CHUNK
        bgeu  r8, r9, 3f
        mov   r8, r9
3:      add   r8, r0, r8
        st64  r8, [r16 + A_END]
        addi  r0, r0, C_HDR     # the block: the chunk's first
        add   r8, r0, r17
        st64  r8, [r16 + A_NEXT]
2:      ld64  r16, [fp - 8]
        ld64  r17, [fp - 16]
        leave
        ret

.Lnomem:
        li    r0, 0
        ret

# void arena_reset(struct arena *a): frees every block of a at once. a
# keeps its newest chunk, whose bytes the next blocks reuse, and gives
# the others back to malloc.
arena_reset:
        ld64  r8, [r0 + A_CHUNKS]
        beqz  r8, 1f            # no chunk: a is empty
        addi  r9, r8, C_HDR
        st64  r9, [r0 + A_NEXT] # carve the newest again from its start
        ld64  r0, [r8 + C_PREV]
        li    r9, 0
        st64  r9, [r8 + C_PREV] # the only chunk now
        b     .Lfree_chunks     # the older ones
1:      ret

# void arena_free(struct arena *a): frees every block of a and gives all
# its memory back to malloc; a is then empty, as if all zero.
arena_free:
        ld64  r8, [r0 + A_CHUNKS]
        li    r9, 0
        st64  r9, [r0 + A_NEXT]
        st64  r9, [r0 + A_END]
        st64  r9, [r0 + A_CHUNKS]
        mov   r0, r8

# .Lfree_chunks frees the chunk r0, if not NULL, and the older ones.
.Lfree_chunks:
        beqz  r0, 2f
        enter 16
        st64  r16, [fp - 8]
1:      ld64  r16, [r0 + C_PREV]
        call  free
        mov   r0, r16
        bnez  r0, 1b
        ld64  r16, [fp - 8]
        leave
2:      ret
