# strncpy.s: char *strncpy(char *dst, const char *src, size_t n): copies
# at most n bytes of src, then pads dst with NULs to n bytes (so dst is not
# NUL-terminated if src has n bytes or more); returns dst.

        .text
        .global strncpy
strncpy:
        mov   r3, r0
1:      beqz  r2, 3f
        ld8u  r4, [r1]
        beqz  r4, 2f
        st8   r4, [r3]
        addi  r1, r1, 1
        addi  r3, r3, 1
        addi  r2, r2, -1
        b     1b
2:      st8   r4, [r3]          # r4 = 0: pad
        addi  r3, r3, 1
        addi  r2, r2, -1
        bnez  r2, 2b
3:      ret
