# child: prints its pid and argument, and exits with status 7.
        .text
        .global main
main:
        enter 16
        ld64  r16, [r1 + 8]
        call  getpid
        mov   r8, r0
        la    r0, fmt
        st64  r8, [sp]
        st64  r16, [sp + 8]
        call  printf
        li    r0, 7
        leave
        ret
        .rodata
fmt:    .asciz "child %d says %s\n"
