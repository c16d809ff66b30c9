# strtod.s: strtod's value (as bits) and how much it used; atof.
        .text
        .global main

# conv(s): prints the bits of strtod(s, &end) and end - s.
conv:
        enter 32
        st64  r16, [fp - 8]
        mov   r16, r0
        addi  r1, fp, -16
        call  strtod
        addi  sp, sp, -16
        st64  r0, [sp]
        ld64  r8, [fp - 16]
        sub   r8, r8, r16
        st64  r8, [sp + 8]
        la    r0, f_conv
        call  printf
        addi  sp, sp, 16
        ld64  r16, [fp - 8]
        leave
        ret

main:
        enter 16
        la    r0, s1
        call  conv
        la    r0, s2
        call  conv
        la    r0, s3
        call  conv
        la    r0, s4
        call  conv
        la    r0, s5
        call  conv
        la    r0, s6
        call  atof
        st64  r0, [sp]
        la    r0, f_bits
        call  printf
        li    r0, 0
        leave
        ret

        .rodata
s1:     .asciz "  1.5"
s2:     .asciz "-123e+0x"
s3:     .asciz "infx"
s4:     .asciz "x1"
s5:     .asciz "0.1"
s6:     .asciz "1e2"
f_conv: .asciz "%#lx %ld\n"
f_bits: .asciz "%#lx\n"
