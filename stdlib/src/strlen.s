# strlen.s: size_t strlen(const char *s): the number of bytes before the NUL.

        .text
        .global strlen
strlen:
        mov   r1, r0
1:      ld8u  r2, [r1]
        beqz  r2, 2f
        addi  r1, r1, 1
        b     1b
2:      sub   r0, r1, r0
        ret
