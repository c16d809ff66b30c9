# memcmp.s: int memcmp(const void *a, const void *b, size_t n): the
# difference of the first differing bytes (as unsigned), or 0.

        .text
        .global memcmp
memcmp:
1:      beqz  r2, 2f
        ld8u  r3, [r0]
        ld8u  r4, [r1]
        bne   r3, r4, 3f
        addi  r0, r0, 1
        addi  r1, r1, 1
        addi  r2, r2, -1
        b     1b
2:      li    r0, 0
        ret
3:      sub   r0, r3, r4
        ret
