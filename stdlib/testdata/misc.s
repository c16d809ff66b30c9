# misc.s: rand, abs/labs/min/max, isqrt, sqrt/fabs/floor/ceil/trunc,
# print_int/print_uint/print_hex, putchar/fputc/puts/fputs results.
        .text
        .global main

say:                            # say(fmt, a, b)
        enter 16
        st64  r1, [sp]
        st64  r2, [sp + 8]
        call  printf
        leave
        ret

main:
        enter 32
        st64  r16, [fp - 8]
        st64  r17, [fp - 16]
        # rand: five values after no srand, then after srand(42), srand(0)
        li    r16, 0
1:      call  rand
        mov   r1, r0
        la    r0, f_rand
        call  say
        addi  r16, r16, 1
        li    r8, 5
        blt   r16, r8, 1b
        li    r0, 42
        call  srand
        call  rand
        mov   r1, r0
        la    r0, f_rand
        call  say
        li    r0, 1
        call  srand             # srand(1) is the initial state
        call  rand
        mov   r1, r0
        la    r0, f_rand
        call  say
        li64  r0, 0x9E3779B97F4A7C15
        call  srand             # a seed that would make the state 0
        call  rand
        mov   r1, r0
        la    r0, f_rand
        call  say
        # rand stays in 0..RAND_MAX: OR of 10000 values
        li    r16, 0
        li    r17, 0
2:      call  rand
        or    r17, r17, r0
        addi  r16, r16, 1
        li    r8, 10000
        blt   r16, r8, 2b
        mov   r1, r17
        la    r0, f_hex
        call  say

        # abs labs min max
        li    r0, -5
        call  abs
        mov   r1, r0
        la    r0, f_int
        call  say
        li64  r0, 0x8000000000000000
        call  labs
        mov   r1, r0
        la    r0, f_int
        call  say
        li    r0, -3
        li    r1, 2
        call  min
        mov   r1, r0
        la    r0, f_int
        call  say
        li    r0, -3
        li    r1, 2
        call  max
        mov   r1, r0
        la    r0, f_int
        call  say

        # isqrt: around perfect squares and at the top of the range
        la    r16, isq
3:      ld64  r0, [r16]
        li    r8, -2
        beq   r0, r8, 4f
        call  isqrt
        mov   r2, r0
        ld64  r1, [r16]
        la    r0, f_isqrt
        call  say
        addi  r16, r16, 8
        b     3b

        # sqrt fabs floor ceil trunc, printed as bits
4:      fli   r0, 2.0
        call  sqrt
        mov   r1, r0
        la    r0, f_hex
        call  say
        fli   r0, -2.5
        call  fabs
        mov   r1, r0
        la    r0, f_hex
        call  say
        fli   r0, -2.5
        call  floor
        mov   r1, r0
        la    r0, f_hex
        call  say
        fli   r0, -2.5
        call  ceil
        mov   r1, r0
        la    r0, f_hex
        call  say
        fli   r0, -2.5
        call  trunc
        mov   r1, r0
        la    r0, f_hex
        call  say

        # print_int print_uint print_hex
        li64  r0, 0x8000000000000000
        call  print_int
        li    r0, ' '
        call  putchar
        li    r0, -1
        call  print_uint
        li    r0, ' '
        call  putchar
        li64  r0, 0xdeadbeef
        call  print_hex
        li    r0, ' '
        call  putchar
        li    r0, 0
        call  print_int
        li    r0, '\n'
        call  putchar

        # return values: putchar(0x141) = 0x41, fputc to a closed fd = -1,
        # puts/fputs = 0, fputs to a bad fd = -1
        li    r0, 0x141
        call  putchar
        mov   r1, r0
        la    r0, f_int
        call  say
        li    r0, 'x'
        li    r1, 99
        call  fputc
        mov   r1, r0
        la    r0, f_int
        call  say
        la    r0, s_puts
        call  puts
        mov   r1, r0
        la    r0, f_int
        call  say
        la    r0, s_puts
        li    r1, 2
        call  fputs
        mov   r1, r0
        la    r0, f_int
        call  say
        la    r0, s_puts
        li    r1, 99
        call  fputs
        mov   r1, r0
        la    r0, f_int
        call  say

        ld64  r16, [fp - 8]
        ld64  r17, [fp - 16]
        li    r0, 0
        leave
        ret

        .rodata
f_rand:  .asciz "rand %d\n"
f_hex:   .asciz "%#lx\n"
f_int:   .asciz "%ld\n"
f_isqrt: .asciz "isqrt(%ld) = %ld\n"
s_puts:  .asciz "puts"
        .align 8
isq:    .quad 0, 1, 2, 3, 4, 15, 16, 17, 99, 100, 101, 1000000, 999999999999
        .quad 0x7fffffffffffffff, 9223372030926249001, 9223372030926249000, -1, -2
