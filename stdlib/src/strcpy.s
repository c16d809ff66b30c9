# strcpy.s: char *strcpy(char *dst, const char *src): copies src and its
# NUL to dst; returns dst.

        .text
        .global strcpy
strcpy:
        mov   r3, r0
1:      ld8u  r2, [r1]
        st8   r2, [r3]
        addi  r1, r1, 1
        addi  r3, r3, 1
        bnez  r2, 1b
        ret
