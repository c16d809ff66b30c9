# libm.s: each delegated math function once, printed as bits.
        .text
        .global main

show:
        enter 16
        st64  r0, [sp]
        la    r0, f_bits
        call  printf
        leave
        ret

main:
        enter 0
        fli   r0, 0.5
        call  sin
        call  show
        fli   r0, 0.5
        call  cos
        call  show
        fli   r0, 0.5
        call  tan
        call  show
        fli   r0, 1.0
        call  exp
        call  show
        fli   r0, 10.0
        call  log
        call  show
        fli   r0, 2.0
        fli   r1, 0.5
        call  pow
        call  show
        fli   r0, 7.5
        fli   r1, 2.0
        call  fmod
        call  show
        fli   r0, 1.0
        fli   r1, -1.0
        call  atan2
        call  show
        fli   r0, 1.0
        call  atan
        call  show
        li    r0, 0
        leave
        ret

        .rodata
f_bits: .asciz "%#lx\n"
