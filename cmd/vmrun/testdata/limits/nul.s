# nul: opens a path with a NUL in the middle: the VM reads a path up to
# its first NUL, so what follows cannot matter. Prints the error.
        .text
        .global main
main:
        enter 16
        la    r0, path
        li    r1, 0
        li    r2, 0
        call  open
        mov   r8, r0
        la    r0, fmt
        st64  r8, [sp]
        call  printf
        li    r0, 0
        leave
        ret
        .rodata
path:   .asciz "/g/missing\0/../../../etc/passwd"
fmt:    .asciz "open: error %ld\n"
