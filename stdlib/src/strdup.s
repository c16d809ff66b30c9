# strdup.s: char *strdup(const char *s): a copy of s in a block from
# malloc (free it with free), or NULL if memory runs out.

        .text
        .global strdup
strdup:
        enter 16
        st64  r16, [fp - 8]
        st64  r17, [fp - 16]
        mov   r16, r0
        call  strlen
        addi  r17, r0, 1
        mov   r0, r17
        call  malloc
        beqz  r0, 1f
        mov   r1, r16
        mov   r2, r17
        call  memcpy
1:      ld64  r16, [fp - 8]
        ld64  r17, [fp - 16]
        leave
        ret
