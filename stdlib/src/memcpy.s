# memcpy.s: void *memcpy(void *dst, const void *src, size_t n): copies n
# bytes (the areas must not overlap: see memmove); returns dst. Copies 8
# bytes at a time, then the rest byte by byte, always forward and reading
# each word before writing it: memmove relies on that for dst <= src.

        .text
        .global memcpy
memcpy:
        mov   r3, r0
        li    r5, 8
1:      bltu  r2, r5, 2f
        ld64  r4, [r1]
        st64  r4, [r3]
        addi  r1, r1, 8
        addi  r3, r3, 8
        addi  r2, r2, -8
        b     1b
2:      beqz  r2, 3f
        ld8u  r4, [r1]
        st8   r4, [r3]
        addi  r1, r1, 1
        addi  r3, r3, 1
        addi  r2, r2, -1
        b     2b
3:      ret
