# strcmp.s: int strcmp(const char *a, const char *b): <0, 0 or >0 as a
# sorts before, equal to or after b (bytes compared as unsigned): the
# difference of the first differing bytes.

        .text
        .global strcmp
strcmp:
1:      ld8u  r2, [r0]
        ld8u  r3, [r1]
        bne   r2, r3, 2f
        beqz  r2, 2f
        addi  r0, r0, 1
        addi  r1, r1, 1
        b     1b
2:      sub   r0, r2, r3
        ret
