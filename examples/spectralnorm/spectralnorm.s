# spectralnorm: the Benchmarks Game's spectral-norm, in linkvm assembly.
#
# Approximates the spectral norm of the infinite matrix A, with
# A(i, j) = 1 / ((i+j)(i+j+1)/2 + i + 1), by the power method on its
# N x N corner, as the reference programs do:
#
#   u = (1, ..., 1)
#   10 times: v = AtA u; u = AtA v         (AtA u = A^T (A u))
#   print sqrt((u . v) / (v . v)) with "%.9f"
#
# Every sum is accumulated in the reference's order (j = 0, 1, ..., N-1,
# starting from 0), and A(i, j) is 1.0 divided by the integer
# denominator converted to double, so the output is the reference's, bit
# for bit (linkvm's doubles are IEEE-754 binary64 with no fused
# multiply-add).
#
# N must be a whole number >= 1: anything else prints the usage line and
# exits with 2. When the heap cannot hold the three vectors of N doubles,
# the program says so and exits with 1.

        .equ  ROUNDS, 10

        .text
        .global main

# int main(int argc, char **argv)
main:
        enter 64                # 5 saved registers above 1 printf slot
        st64  r16, [fp - 8]
        st64  r17, [fp - 16]
        st64  r18, [fp - 24]
        st64  r19, [fp - 32]
        st64  r20, [fp - 40]
        call  parse_n
        li    r8, 1
        blt   r0, r8, .Lusage   # no N, or N < 1
        mov   r16, r0           # r16: n
        call  new_vector
        mov   r17, r0           # r17: u
        mov   r0, r16
        call  new_vector
        mov   r18, r0           # r18: v
        mov   r0, r16
        call  new_vector
        mov   r19, r0           # r19: tmp, for A u inside AtA u

        mov   r0, r17           # u = 1, ..., 1
        mov   r1, r16
        fli   r2, 1.0
        call  fill

        li    r20, ROUNDS
1:      mov   r0, r16           # v = AtA u
        mov   r1, r17
        mov   r2, r18
        mov   r3, r19
        call  mul_AtA
        mov   r0, r16           # u = AtA v
        mov   r1, r18
        mov   r2, r17
        mov   r3, r19
        call  mul_AtA
        addi  r20, r20, -1
        bnez  r20, 1b

        mov   r0, r17           # r20: vBv = u . v
        mov   r1, r18
        mov   r2, r16
        call  dot
        mov   r20, r0
        mov   r0, r18           # vv = v . v
        mov   r1, r18
        mov   r2, r16
        call  dot
        fdiv  r0, r20, r0       # sqrt(vBv / vv)
        fsqrt r0, r0
        st64  r0, [sp]
        la    r0, fmt_result
        call  printf
        li    r0, 0
        b     .Lreturn
.Lusage:
        la    r0, usage_msg
        li    r1, 2
        call  fputs
        li    r0, 2
.Lreturn:
        ld64  r16, [fp - 8]
        ld64  r17, [fp - 16]
        ld64  r18, [fp - 24]
        ld64  r19, [fp - 32]
        ld64  r20, [fp - 40]
        leave
        ret

# void fill(double *v, long n, double x): v[i] = x for i < n, n >= 1.
fill:
        shli  r1, r1, 3
        add   r1, r1, r0
1:      st64  r2, [r0]
        addi  r0, r0, 8
        bltu  r0, r1, 1b
        ret

# double dot(double *a, double *b, long n): the sum of a[i] * b[i], for
# i = 0, 1, ..., n-1 in that order, n >= 1.
dot:
        shli  r2, r2, 3
        add   r2, r2, r0
        li    r3, 0             # r3: sum = 0.0
1:      ld64  r4, [r0]
        ld64  r5, [r1]
        fmul  r4, r4, r5
        fadd  r3, r3, r4
        addi  r0, r0, 8
        addi  r1, r1, 8
        bltu  r0, r2, 1b
        mov   r0, r3
        ret

# double *new_vector(long n): room for n doubles from malloc; ends the
# program with status 1 when the heap cannot hold them (or n * 8 bytes
# is more than malloc ever gives, 2^46, which also keeps n * 8 from
# overflowing).
new_vector:
        enter 0
        li64  r8, 1 << 43
        bgeu  r0, r8, 1f
        shli  r0, r0, 3
        call  malloc
        beqz  r0, 1f
        leave
        ret
1:      la    r0, oom_msg
        li    r1, 2
        call  fputs
        li    r0, 1
        call  exit

# void mul_AtA(long n, double *u, double *out, double *tmp): out = A^T A u,
# with tmp = A u in between.
mul_AtA:
        enter 32
        st64  r16, [fp - 8]
        st64  r17, [fp - 16]
        st64  r18, [fp - 24]
        mov   r16, r0           # r16: n
        mov   r17, r2           # r17: out
        mov   r18, r3           # r18: tmp
        mov   r2, r18           # tmp = A u
        li    r3, 0
        call  mul_Av
        mov   r0, r16           # out = A^T tmp
        mov   r1, r18
        mov   r2, r17
        li    r3, 1
        call  mul_Av
        ld64  r16, [fp - 8]
        ld64  r17, [fp - 16]
        ld64  r18, [fp - 24]
        leave
        ret

# void mul_Av(long n, double *u, double *out, long transposed):
# out[i] = sum over j of M(i, j) * u[j], where M is A, or A^T when
# transposed is 1. A leaf.
#
# The denominator d of A(i, j) = 1 / d is an integer, computed exactly
# as the reference does but step by step: with k = i + j,
#   A(i, j)   = 1 / (k(k+1)/2 + i + 1): d(j+1) - d(j) = k + 1
#   A^T(i, j) = A(j, i) = 1 / (k(k+1)/2 + j + 1): d(j+1) - d(j) = k + 2
# so each row starts from d = i(i+1)/2 + 1 (+ i for A) and adds a step
# that starts at i + 1 (i + 2 for A^T) and grows by 1 with j. Only the
# integer arithmetic changes; every double is the reference's.
mul_Av:
        fli   r4, 1.0           # r4: 1.0
        shli  r5, r0, 3
        add   r5, r5, r1        # r5: the end of u
        li    r6, 0             # r6: i
1:      addi  r7, r6, 1
        mul   r7, r7, r6
        sari  r7, r7, 1
        addi  r7, r7, 1         # r7: d = i(i+1)/2 + 1 ...
        addi  r8, r6, 1         # r8: step = i + 1 ...
        bnez  r3, 2f
        add   r7, r7, r6        # ... + i for A
        b     3f
2:      addi  r8, r8, 1         # ... + 1 for A^T
3:      li    r9, 0             # r9: sum = 0.0
        mov   r10, r1           # r10: &u[j]
4:      itof  r11, r7
        fdiv  r11, r4, r11      # M(i, j)
        ld64  r12, [r10]
        fmul  r11, r11, r12
        fadd  r9, r9, r11       # sum += M(i, j) * u[j]
        add   r7, r7, r8
        addi  r8, r8, 1
        addi  r10, r10, 8
        bltu  r10, r5, 4b
        st64  r9, [r2]          # out[i] = sum
        addi  r2, r2, 8
        addi  r6, r6, 1
        blt   r6, r0, 1b
        ret

# long parse_n(int argc, char **argv): N, the program's one argument, if
# it is a whole decimal number; else -1.
parse_n:
        enter 16
        li    r8, 2
        bne   r0, r8, 1f        # not exactly one argument
        ld64  r0, [r1 + 8]      # argv[1]
        st64  r0, [fp - 8]
        addi  r1, fp, -16       # &end
        li    r2, 10
        call  strtol
        ld64  r8, [fp - 16]     # end: after the last digit
        ld64  r9, [fp - 8]
        beq   r8, r9, 1f        # no digits at all
        ld8u  r8, [r8]
        beqz  r8, 2f            # nothing after them
1:      li    r0, -1
2:      leave
        ret

        .rodata
fmt_result:
        .asciz "%.9f\n"
usage_msg:
        .asciz "usage: spectralnorm N\n"
oom_msg:
        .asciz "spectralnorm: out of memory\n"
