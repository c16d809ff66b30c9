# intmath.s: integer helpers abs, labs, min, max.

        .text
        .global abs, labs, min, max

# int abs(int v), long labs(long v): |v| (abs(LONG_MIN) is LONG_MIN).
abs:
labs:
        li    r1, 0
        bge   r0, r1, 1f
        neg   r0, r0
1:      ret

# long min(long a, long b), long max(long a, long b): signed.
min:
        blt   r0, r1, 1f
        mov   r0, r1
1:      ret

max:
        bgt   r0, r1, 1f
        mov   r0, r1
1:      ret
