# memmove.s: void *memmove(void *dst, const void *src, size_t n): copies n
# bytes, correctly even when the areas overlap; returns dst. A forward copy
# (dst at or below src) is memcpy's; only the backward copy is here.

        .text
        .global memmove
memmove:
        bgtu  r0, r1, 4f        # dst above src: copy from the end
        jmp   memcpy            # else a forward copy is safe: memcpy's
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
