# strncmp.s: int strncmp(const char *a, const char *b, size_t n): strcmp
# on at most n bytes.

        .text
        .global strncmp
strncmp:
        li    r4, 0
        li    r5, 0
1:      beqz  r2, 2f
        ld8u  r4, [r0]
        ld8u  r5, [r1]
        bne   r4, r5, 2f
        beqz  r4, 2f
        addi  r0, r0, 1
        addi  r1, r1, 1
        addi  r2, r2, -1
        b     1b
2:      sub   r0, r4, r5
        ret
