# strcat.s: char *strcat(char *dst, const char *src): appends src (and its
# NUL) to the string dst; returns dst.

        .text
        .global strcat
strcat:
        mov   r3, r0
1:      ld8u  r2, [r3]
        beqz  r2, 2f
        addi  r3, r3, 1
        b     1b
2:      ld8u  r2, [r1]
        st8   r2, [r3]
        addi  r1, r1, 1
        addi  r3, r3, 1
        bnez  r2, 2b
        ret
