# strchr.s: strchr and strrchr. The NUL counts as part of the string, so
# strchr(s, 0) points at the terminator.

        .text
        .global strchr, strrchr

# char *strchr(const char *s, int c): the first c in s, or NULL.
strchr:
        andi  r1, r1, 0xff
1:      ld8u  r2, [r0]
        beq   r2, r1, 2f
        beqz  r2, 3f
        addi  r0, r0, 1
        b     1b
2:      ret
3:      li    r0, 0
        ret

# char *strrchr(const char *s, int c): the last c in s, or NULL.
strrchr:
        andi  r1, r1, 0xff
        li    r3, 0
1:      ld8u  r2, [r0]
        bne   r2, r1, 2f
        mov   r3, r0
2:      beqz  r2, 3f
        addi  r0, r0, 1
        b     1b
3:      mov   r0, r3
        ret
