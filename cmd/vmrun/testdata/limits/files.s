# files: opens the file argv[1] again and again, without closing it, until
# open fails; then says how many it opened and the error.
        .text
        .global main
main:
        enter 32
        st64  r16, [fp - 8]
        st64  r17, [fp - 16]
        ld64  r16, [r1 + 8]
        li    r17, 0
1:      mov   r0, r16
        li    r1, 0
        li    r2, 0
        call  open
        li    r8, 0
        blt   r0, r8, 2f
        addi  r17, r17, 1
        jmp   1b
2:      mov   r9, r0
        la    r0, fmt
        st64  r17, [sp]
        st64  r9, [sp + 8]
        call  printf
        li    r0, 0
        ld64  r16, [fp - 8]
        ld64  r17, [fp - 16]
        leave
        ret
        .rodata
fmt:    .asciz "%ld files open; open: error %ld\n"
