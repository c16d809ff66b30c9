# fib: prints fib(N) for the N given as the first argument, computed by
# naive recursion, so it makes about 2*fib(N) calls: a benchmark for calls,
# returns and stack frames.
#
#   vmas fib.s && vmld -o fib.img fib.vo && vmrun fib.img 30

        .text
        .global _start
_start:                         # r0 = argc, r1 = argv
        li    r8, 2
        blt   r0, r8, usage     # no argument given
        ld64  r0, [r1 + 8]      # argv[1]
        call  atoi
        call  fib
        call  print_int
        li    r0, 0
        sys   0                 # exit(0)
usage:
        li    r0, 2             # fd 2: standard error
        la    r1, usage_msg
        li    r2, usage_len
        sys   1
        li    r0, 2
        sys   0                 # exit(2)

# fib(n) returns n if n < 2, else fib(n-1) + fib(n-2).
        .global fib
fib:
        li    r8, 2
        blt   r0, r8, 1f        # leaf case: return n itself
        enter 16                # frame with two callee-saved slots
        st64  r16, [fp - 8]
        st64  r17, [fp - 16]
        mov   r16, r0           # n survives the calls in r16
        addi  r0, r16, -1
        call  fib
        mov   r17, r0           # fib(n-1)
        addi  r0, r16, -2
        call  fib
        add   r0, r0, r17
        ld64  r16, [fp - 8]
        ld64  r17, [fp - 16]
        leave
1:      ret

# atoi(s) returns the decimal value of the NUL-terminated string s, which
# may start with '-'.
atoi:
        li    r1, 0             # value
        li    r2, 0             # 1 if negative
        ld8u  r3, [r0]
        li    r4, '-'
        bne   r3, r4, 1f
        li    r2, 1
        addi  r0, r0, 1
1:      ld8u  r3, [r0]
        addi  r3, r3, -'0'
        sltui r4, r3, 10        # a digit?
        beqz  r4, 2f
        muli  r1, r1, 10
        add   r1, r1, r3
        addi  r0, r0, 1
        jmp   1b
2:      mov   r0, r1
        beqz  r2, 3f
        neg   r0, r0
3:      ret

# print_int(v) writes the signed decimal v and a newline to stdout.
print_int:
        enter 32                # digits are built backwards below fp
        mov   r3, fp
        li    r4, '\n'
        addi  r3, r3, -1
        st8   r4, [r3]
        li    r4, 0             # 1 if negative
        bge   r0, r4, 1f
        li    r4, 1
        neg   r0, r0            # -MinInt64 wraps, but divu reads it right
1:      li    r5, 10
2:      remu  r6, r0, r5
        addi  r6, r6, '0'
        addi  r3, r3, -1
        st8   r6, [r3]
        divu  r0, r0, r5
        bnez  r0, 2b
        beqz  r4, 3f
        li    r6, '-'
        addi  r3, r3, -1
        st8   r6, [r3]
3:      li    r0, 1
        mov   r1, r3
        sub   r2, fp, r3
        sys   1                 # write(1, r3, fp - r3)
        leave
        ret

        .rodata
usage_msg:
        .ascii "usage: fib N\n"
        .equ  usage_len, . - usage_msg
