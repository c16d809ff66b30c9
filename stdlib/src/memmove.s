# memmove.s: void *memmove(void *dst, const void *src, size_t n): copies n
# bytes, correctly even when the areas overlap; returns dst.

        .text
        .global memmove
memmove:
        bgtu  r0, r1, 4f        # dst above src: copy from the end
        mov   r3, r0            # forward, 8 bytes at a time
        li    r5, 8
1:      bltu  r2, r5, 2f
        ld64  r4, [r1]
        st64  r4, [r3]
        addi  r1, r1, 8
        addi  r3, r3, 8
        addi  r2, r2, -8
        b     1b
2:      beqz  r2, 3f
        ld8u  r4, [r1]
        st8   r4, [r3]
        addi  r1, r1, 1
        addi  r3, r3, 1
        addi  r2, r2, -1
        b     2b
3:      ret
4:      add   r1, r1, r2        # backward: r1, r3 point past the end
        add   r3, r0, r2
        li    r5, 8
5:      bltu  r2, r5, 6f
        addi  r1, r1, -8
        addi  r3, r3, -8
        ld64  r4, [r1]
        st64  r4, [r3]
        addi  r2, r2, -8
        b     5b
6:      beqz  r2, 3b
        addi  r1, r1, -1
        addi  r3, r3, -1
        ld8u  r4, [r1]
        st8   r4, [r3]
        addi  r2, r2, -1
        b     6b
