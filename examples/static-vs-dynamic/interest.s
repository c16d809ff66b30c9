# interest: prints how a sum grows at compound interest, year by year:
#
#   interest [PRINCIPAL [RATE [YEARS]]]     (defaults 1000, 5 (%), 10)
#
# It uses a fair part of libstd (strtod, pow, printf's %f, malloc), so
# that linking it statically copies a good deal of libstd into the image,
# while the dynamic image only names libstd.vso. See README.md.

        .text
        .global main
main:
        enter 64
        st64  r16, [fp - 8]
        st64  r17, [fp - 16]
        st64  r18, [fp - 24]
        st64  r19, [fp - 32]
        st64  r20, [fp - 40]
        mov   r16, r0           # argc
        mov   r17, r1           # argv
        li    r8, 4
        bgt   r16, r8, usage    # at most three arguments
        fli   r18, 1000.0       # principal
        fli   r19, 5.0          # rate, in percent
        li    r20, 10           # years
        li    r8, 2
        blt   r16, r8, 1f
        ld64  r0, [r17 + 8]
        call  number
        mov   r18, r0
        li    r8, 3
        blt   r16, r8, 1f
        ld64  r0, [r17 + 16]
        call  number
        mov   r19, r0
        li    r8, 4
        blt   r16, r8, 1f
        ld64  r0, [r17 + 24]
        call  number
        ftoi  r20, r0           # whole years
        li    r8, 1
        blt   r20, r8, usage
        li    r8, 100
        bgt   r20, r8, usage
1:      st64  r18, [sp]
        st64  r19, [sp + 8]
        la    r0, title_fmt
        call  printf
        la    r0, header
        call  puts
        # The balances, computed into an array from malloc, then printed.
        mov   r0, r18
        mov   r1, r19
        mov   r2, r20
        call  balances
        mov   r16, r0           # balances[0..years]
        li    r17, 1            # year
2:      bgt   r17, r20, 3f
        shli  r8, r17, 3
        add   r8, r16, r8
        ld64  r9, [r8]          # balances[year]
        ld64  r10, [r8 - 8]     # balances[year - 1]
        fsub  r10, r9, r10      # the interest of that year
        st64  r17, [sp]
        st64  r9, [sp + 8]
        st64  r10, [sp + 16]
        la    r0, row_fmt
        call  printf
        addi  r17, r17, 1
        jmp   2b
3:      mov   r0, r16
        call  free
        # The whole growth at once: principal * (1 + rate/100)^years.
        fli   r8, 100.0
        fdiv  r8, r19, r8
        fli   r9, 1.0
        fadd  r0, r9, r8
        itof  r1, r20
        call  pow
        fmul  r0, r0, r18
        st64  r20, [sp]
        st64  r20, [sp + 8]
        st64  r0, [sp + 16]
        la    r0, total_fmt
        call  printf
        li    r0, 0
        jmp   out
usage:
        li    r0, 2
        la    r1, usage_msg
        call  fprintf
        li    r0, 2
out:
        ld64  r16, [fp - 8]
        ld64  r17, [fp - 16]
        ld64  r18, [fp - 24]
        ld64  r19, [fp - 32]
        ld64  r20, [fp - 40]
        leave
        ret

# number(s) returns the double s spells; exits with status 2 if s is not
# a number, or is negative.
number:
        enter 16
        st64  r16, [fp - 8]
        mov   r16, r0
        addi  r1, fp, -16       # &end
        call  strtod
        ld64  r8, [fp - 16]
        beq   r8, r16, 1f       # no number at all
        ld8u  r8, [r8]
        bnez  r8, 1f            # something after it
        li    r8, 0             # 0.0
        flt   r8, r0, r8
        bnez  r8, 1f            # negative
        ld64  r16, [fp - 8]
        leave
        ret
1:      st64  r16, [sp]
        li    r0, 2
        la    r1, number_fmt
        call  fprintf
        li    r0, 2
        call  exit

# balances(principal, rate, years) returns an array from malloc of the
# balance after 0, 1, ..., years years: each year adds rate% of the last.
balances:
        enter 32
        st64  r16, [fp - 8]
        st64  r17, [fp - 16]
        st64  r18, [fp - 24]
        mov   r16, r0
        mov   r17, r1
        mov   r18, r2
        addi  r0, r2, 1
        shli  r0, r0, 3         # (years + 1) doubles
        call  malloc
        bnez  r0, 1f
        call  abort             # 808 bytes at most: cannot fail
1:      fli   r8, 100.0
        fdiv  r8, r17, r8       # rate as a fraction
        mov   r9, r0
        st64  r16, [r9]         # year 0: the principal
        li    r10, 1
2:      bgt   r10, r18, 3f
        ld64  r11, [r9]
        fmul  r12, r11, r8
        fadd  r11, r11, r12
        st64  r11, [r9 + 8]
        addi  r9, r9, 8
        addi  r10, r10, 1
        jmp   2b
3:      ld64  r16, [fp - 8]
        ld64  r17, [fp - 16]
        ld64  r18, [fp - 24]
        leave
        ret

        .rodata
title_fmt:  .asciz "%.2f at %g%% a year\n"
header:     .asciz "year     balance   interest"
row_fmt:    .asciz "%4ld %11.2f %10.2f\n"
total_fmt:  .asciz "after %ld years: principal * (1 + rate)^%ld = %.2f\n"
usage_msg:  .asciz "usage: interest [PRINCIPAL [RATE [YEARS]]]\n"
number_fmt: .asciz "interest: not a number >= 0: \"%s\"\n"
