# isqrt.s: long isqrt(long n): the largest r with r*r <= n, for n >= 0;
# -1 for a negative n. A float estimate (fsqrt) corrected to be exact.

        .text
        .global isqrt
isqrt:
        li    r1, 0
        blt   r0, r1, 3f
        itof  r1, r0
        fsqrt r1, r1
        ftoi  r1, r1            # r1: estimate, within one of the answer
1:      mul   r2, r1, r1        # too large: r*r > n (unsigned: no overflow here)
        bleu  r2, r0, 2f
        addi  r1, r1, -1
        b     1b
2:      addi  r3, r1, 1         # too small: (r+1)^2 <= n
        mul   r2, r3, r3
        bgtu  r2, r0, 4f
        mov   r1, r3
        b     2b
4:      mov   r0, r1
        ret
3:      li    r0, -1
        ret
