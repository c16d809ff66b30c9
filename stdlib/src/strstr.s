# strstr.s: char *strstr(const char *h, const char *n): the first
# occurrence of n in h, or NULL; h itself if n is empty.

        .text
        .global strstr
strstr:
        ld8u  r2, [r1]
        beqz  r2, 4f            # empty needle
1:      ld8u  r2, [r0]
        beqz  r2, 5f            # end of haystack: not found
        mov   r3, r0
        mov   r4, r1
2:      ld8u  r6, [r4]
        beqz  r6, 4f            # whole needle matched at r0
        ld8u  r5, [r3]
        bne   r5, r6, 3f
        addi  r3, r3, 1
        addi  r4, r4, 1
        b     2b
3:      addi  r0, r0, 1
        b     1b
4:      ret
5:      li    r0, 0
        ret
