# malloc.s: the allocator: reuse (the heap stops growing), alignment,
# many sizes without overlap, realloc, calloc, large blocks, failure.
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

# churn(): 200 rounds of: allocate 100 blocks of assorted sizes, free them
# in a scrambled order.
churn:
        enter 32
        st64  r16, [fp - 8]
        st64  r17, [fp - 16]
        st64  r18, [fp - 24]
        li    r16, 0            # round
1:      li    r17, 0            # i
2:      muli  r0, r17, 37       # size: (i*37 + round) % 3000
        add   r0, r0, r16
        li    r8, 3000
        remu  r0, r0, r8
        call  malloc
        andi  r8, r0, 15        # every block 16-byte aligned
        bnez  r8, 9f
        la    r8, ptrs
        shli  r9, r17, 3
        add   r8, r8, r9
        st64  r0, [r8]
        addi  r17, r17, 1
        li    r8, 100
        blt   r17, r8, 2b
        li    r17, 0
3:      muli  r18, r17, 41      # free in the order (i*41) % 100
        li    r8, 100
        remu  r18, r18, r8
        la    r8, ptrs
        shli  r9, r18, 3
        add   r8, r8, r9
        ld64  r0, [r8]
        call  free
        addi  r17, r17, 1
        li    r8, 100
        blt   r17, r8, 3b
        addi  r16, r16, 1
        li    r8, 200
        blt   r16, r8, 1b
        li    r0, 0
        b     8f
9:      li    r0, 1             # misaligned
8:      ld64  r16, [fp - 8]
        ld64  r17, [fp - 16]
        ld64  r18, [fp - 24]
        leave
        ret

# tree(depth): a binary tree of 16-byte nodes (left, right), as binary-trees
# builds it.
tree:
        enter 16
        st64  r16, [fp - 8]
        st64  r17, [fp - 16]
        mov   r16, r0
        li    r0, 16
        call  malloc
        mov   r17, r0
        li    r8, 0
        st64  r8, [r17]
        st64  r8, [r17 + 8]
        beqz  r16, 1f
        addi  r0, r16, -1
        call  tree
        st64  r0, [r17]
        addi  r0, r16, -1
        call  tree
        st64  r0, [r17 + 8]
1:      mov   r0, r17
        ld64  r16, [fp - 8]
        ld64  r17, [fp - 16]
        leave
        ret

# untree(node): frees a tree; returns its node count.
untree:
        enter 16
        st64  r16, [fp - 8]
        st64  r17, [fp - 16]
        mov   r16, r0
        li    r17, 1
        ld64  r0, [r16]
        beqz  r0, 1f
        call  untree
        add   r17, r17, r0
        ld64  r0, [r16 + 8]
        call  untree
        add   r17, r17, r0
1:      mov   r0, r16
        call  free
        mov   r0, r17
        ld64  r16, [fp - 8]
        ld64  r17, [fp - 16]
        leave
        ret

main:
        enter 48
        st64  r16, [fp - 8]
        st64  r17, [fp - 16]
        st64  r18, [fp - 24]
        st64  r19, [fp - 32]

        # 1. The heap stops growing: churn once, note the break, churn
        # again and again.
        call  churn
        mov   r1, r0
        la    r0, f_aligned
        call  say
        li    r0, 0
        call  sbrk
        mov   r16, r0
        call  churn
        call  churn
        li    r0, 0
        call  sbrk
        sub   r1, r0, r16
        la    r0, f_growth
        call  say
        li    r16, 0            # a malloc/free loop of one size
1:      li    r0, 100
        call  malloc
        call  free
        addi  r16, r16, 1
        li    r8, 10000
        blt   r16, r8, 1b
        li    r0, 0
        call  sbrk
        mov   r16, r0
        li    r0, 100
        call  malloc
        call  free
        li    r0, 0
        call  sbrk
        sub   r1, r0, r16
        la    r0, f_growth
        call  say

        # 2. Binary trees: build and free a depth-10 tree 50 times; the
        # break after the first equals the break after the last.
        li    r0, 10
        call  tree
        call  untree
        mov   r1, r0
        la    r0, f_nodes
        call  say
        li    r0, 0
        call  sbrk
        mov   r16, r0
        li    r17, 0
2:      li    r0, 10
        call  tree
        call  untree
        addi  r17, r17, 1
        li    r8, 50
        blt   r17, r8, 2b
        li    r0, 0
        call  sbrk
        sub   r1, r0, r16
        la    r0, f_growth
        call  say

        # 3. Many sizes live at once: block i has i*13 bytes set to i;
        # then every block is checked.
        li    r16, 0
3:      muli  r0, r16, 13
        call  malloc
        la    r8, ptrs
        shli  r9, r16, 3
        add   r8, r8, r9
        st64  r0, [r8]
        mov   r1, r16
        muli  r2, r16, 13
        call  memset
        addi  r16, r16, 1
        li    r8, 300
        blt   r16, r8, 3b
        li    r16, 0
        li    r19, 0            # bad bytes
4:      la    r8, ptrs
        shli  r9, r16, 3
        add   r8, r8, r9
        ld64  r17, [r8]
        mov   r0, r17
        call  malloc_usable_size
        muli  r8, r16, 13
        bgeu  r0, r8, 5f
        addi  r19, r19, 1000    # too small
5:      li    r18, 0
6:      muli  r8, r16, 13
        bge   r18, r8, 7f
        add   r9, r17, r18
        ld8u  r9, [r9]
        andi  r10, r16, 0xff
        beq   r9, r10, 8f
        addi  r19, r19, 1
8:      addi  r18, r18, 1
        b     6b
7:      mov   r0, r17
        call  free
        addi  r16, r16, 1
        li    r8, 300
        blt   r16, r8, 4b
        mov   r1, r19
        la    r0, f_bad
        call  say

        # 4. realloc keeps the contents.
        li    r0, 10
        call  malloc
        mov   r16, r0
        li    r8, 0
9:      add   r9, r16, r8
        addi  r10, r8, 'a'
        st8   r10, [r9]
        addi  r8, r8, 1
        li    r9, 10
        blt   r8, r9, 9b
        li    r8, 0
        st8   r8, [r16 + 9]     # "abcdefghi"
        mov   r0, r16
        li    r1, 5000
        call  realloc
        mov   r17, r0
        mov   r1, r0
        la    r0, f_str
        call  say
        mov   r0, r17
        li    r1, 3             # shrinking keeps the block
        call  realloc
        sub   r1, r0, r17
        la    r0, f_same
        call  say
        li    r0, 0
        li    r1, 8
        call  realloc           # realloc(NULL, 8) is malloc
        snei  r1, r0, 0
        mov   r16, r0
        la    r0, f_nonnull
        call  say
        mov   r0, r16
        li    r1, 0
        call  realloc           # realloc(p, 0) frees: NULL
        mov   r1, r0
        la    r0, f_ptr
        call  say
        mov   r0, r17
        call  free

        # 5. calloc zeroes a reused block; overflow gives NULL.
        li    r0, 64
        call  malloc
        mov   r16, r0
        li    r1, 0xff
        li    r2, 64
        call  memset
        mov   r0, r16
        call  free
        li    r0, 8
        li    r1, 8
        call  calloc
        sub   r1, r0, r16       # the same block again
        mov   r17, r0
        la    r0, f_same
        call  say
        li    r18, 0
        li    r8, 0
10:     add   r9, r17, r8
        ld8u  r9, [r9]
        add   r18, r18, r9
        addi  r8, r8, 1
        li    r9, 64
        blt   r8, r9, 10b
        mov   r1, r18
        la    r0, f_sum
        call  say
        li64  r0, 0x100000000
        li64  r1, 0x100000001
        call  calloc
        mov   r1, r0
        la    r0, f_ptr
        call  say

        # 6. Large blocks are reused; an impossible one gives NULL.
        li    r0, 1000000
        call  malloc
        mov   r16, r0
        call  free
        li    r0, 1000000
        call  malloc
        sub   r1, r0, r16
        la    r0, f_same
        call  say
        li    r0, 300000000     # over the 256 MiB heap limit
        call  malloc
        mov   r1, r0
        la    r0, f_ptr
        call  say
        li64  r0, 0x4000000000000
        call  malloc
        mov   r1, r0
        la    r0, f_ptr
        call  say
        li    r0, 0
        call  free              # free(NULL) does nothing
        li    r0, 0
        call  malloc            # malloc(0): a unique pointer
        mov   r16, r0
        li    r0, 0
        call  malloc
        sne   r1, r0, r16
        la    r0, f_nonnull
        call  say

        ld64  r16, [fp - 8]
        ld64  r17, [fp - 16]
        ld64  r18, [fp - 24]
        ld64  r19, [fp - 32]
        li    r0, 0
        leave
        ret

        .rodata
f_aligned: .asciz "misaligned: %d\n"
f_growth:  .asciz "heap growth: %d\n"
f_nodes:   .asciz "nodes: %d\n"
f_bad:     .asciz "bad bytes: %d\n"
f_str:     .asciz "realloc: %s\n"
f_same:    .asciz "moved by: %d\n"
f_nonnull: .asciz "non-null: %d\n"
f_ptr:     .asciz "pointer: %p\n"
f_sum:     .asciz "sum: %d\n"

        .bss
        .align 8
ptrs:   .zero 8 * 300
