# memset.s: void *memset(void *s, int c, size_t n): fills n bytes with the
# byte c; returns s.

        .text
        .global memset
memset:
        andi  r1, r1, 0xff
        li64  r4, 0x0101010101010101
        mul   r4, r4, r1        # c in every byte
        mov   r3, r0
        li    r5, 8
1:      bltu  r2, r5, 2f
        st64  r4, [r3]
        addi  r3, r3, 8
        addi  r2, r2, -8
        b     1b
2:      beqz  r2, 3f
        st8   r1, [r3]
        addi  r3, r3, 1
        addi  r2, r2, -1
        b     2b
3:      ret
