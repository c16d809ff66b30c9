# sieve: prints how many primes there are below N, the first argument,
# with the sieve of Eratosthenes over a byte array from malloc (one byte
# per number, so about N bytes of heap). Also a benchmark: the inner loop
# that crosses off multiples is three instructions. See README.md.
#
#   vmrun sieve.img 100        prints 25

        .text
        .global main
main:                           # main(argc, argv)
        enter 32
        st64  r16, [fp - 8]
        st64  r17, [fp - 16]
        li    r8, 2
        bne   r0, r8, usage     # exactly one argument
        ld64  r16, [r1 + 8]     # argv[1]
        ld8u  r8, [r16]
        addi  r8, r8, -'0'
        sltui r8, r8, 10
        beqz  r8, bad_n         # not a digit first: no sign, no space
        mov   r0, r16
        addi  r1, fp, -24       # &end
        li    r2, 10
        call  strtol            # N = strtol(argv[1], &end, 10)
        mov   r17, r0
        ld64  r8, [fp - 24]
        ld8u  r8, [r8]
        bnez  r8, bad_n         # something after the digits
        mov   r0, r17
        call  count_primes
        li    r8, -1
        beq   r0, r8, no_memory
        st64  r0, [sp]
        la    r0, count_fmt
        call  printf
        li    r0, 0
        jmp   out
usage:
        li    r0, 2
        la    r1, usage_msg
        call  fprintf           # fprintf(stderr, "usage: sieve N\n")
        li    r0, 2
        jmp   out
bad_n:
        st64  r16, [sp]
        li    r0, 2
        la    r1, bad_n_fmt
        call  fprintf
        li    r0, 2
        jmp   out
no_memory:
        st64  r17, [sp]
        li    r0, 2
        la    r1, no_memory_fmt
        call  fprintf
        li    r0, 1
out:
        ld64  r16, [fp - 8]
        ld64  r17, [fp - 16]
        leave
        ret

# count_primes(n) returns how many primes are below n, or -1 when the n
# bytes of the sieve cannot be allocated.
#
# is_prime[i] starts at 1 for every i; for each i with i*i < n that is
# still marked prime, its multiples from i*i on are crossed off (smaller
# multiples have a smaller prime factor, which crossed them off already).
# Then the marks left are counted, eight at a time.
count_primes:
        enter 16
        st64  r16, [fp - 8]
        st64  r17, [fp - 16]
        mov   r16, r0           # n
        li    r8, 3
        bge   r16, r8, 1f
        li    r0, 0             # n <= 2: no prime below n
        jmp   9f
1:      call  malloc
        beqz  r0, 8f
        mov   r17, r0           # is_prime: n bytes
        li    r1, 1
        mov   r2, r16
        call  memset            # every number a candidate...
        li    r15, 0            # (the byte that crosses a number off)
        st8   r15, [r17]        # ...but 0 and 1
        st8   r15, [r17 + 1]

        # Cross off. No calls from here to free: the loop state lives in
        # caller-saved registers.
        add   r10, r17, r16     # end = &is_prime[n]
        li    r11, 2            # i
next_i: mul   r9, r11, r11      # i*i (n fits in memory, so i < 2^32)
        bge   r9, r16, count    # i*i >= n: every composite is crossed off
        add   r8, r17, r11
        ld8u  r8, [r8]
        beqz  r8, 3f            # i is composite: its multiples are done
        add   r9, r17, r9       # p = &is_prime[i*i]
2:      st8   r15, [r9]         # the inner loop: is_prime[p] = 0,
        add   r9, r9, r11       # p += i,
        bltu  r9, r10, 2b       # while p < end
3:      addi  r11, r11, 1
        jmp   next_i

        # Count the marks (each 0 or 1). A word of eight marks times
        # 0x0101010101010101 has their sum in its top byte (at most 8, so
        # no byte carries into the next one).
count:  andi  r11, r16, -8
        add   r11, r17, r11     # the end of the whole words
        mov   r9, r17
        li    r13, 0            # count
        li64  r14, 0x0101010101010101
        bgeu  r9, r11, 5f
4:      ld64  r8, [r9]
        mul   r8, r8, r14
        shri  r8, r8, 56
        add   r13, r13, r8
        addi  r9, r9, 8
        bltu  r9, r11, 4b
5:      bgeu  r9, r10, 6f       # the last n % 8 marks, one at a time
        ld8u  r8, [r9]
        add   r13, r13, r8
        addi  r9, r9, 1
        jmp   5b
6:      mov   r16, r13
        mov   r0, r17
        call  free
        mov   r0, r16
        jmp   9f
8:      li    r0, -1
9:      ld64  r16, [fp - 8]
        ld64  r17, [fp - 16]
        leave
        ret

        .rodata
count_fmt:     .asciz "%ld\n"
usage_msg:     .asciz "usage: sieve N\n"
bad_n_fmt:     .asciz "sieve: N must be a whole number >= 0, not \"%s\"\n"
no_memory_fmt: .asciz "sieve: cannot allocate %ld bytes\n"
