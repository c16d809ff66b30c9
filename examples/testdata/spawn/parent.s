# parent: spawns the image named by argv[1] with one argument, waits for
# it, and prints its pid and exit status. Run by vmrun, both processes live
# in one host and share the host's standard output.
        .text
        .global main
main:
        enter 48
        st64  r16, [fp - 8]
        ld64  r16, [r1 + 8]     # argv[1]: the child's image
        st64  r16, [fp - 32]    # child argv[0]
        la    r8, word
        st64  r8, [fp - 24]     # child argv[1]
        li    r8, 0
        st64  r8, [fp - 16]     # NULL
        mov   r0, r16
        addi  r1, fp, -32
        li    r2, 0             # inherit fds 0, 1, 2
        call  spawn
        st64  r0, [fp - 40]
        call  wait
        mov   r9, r0
        la    r0, fmt
        ld64  r8, [fp - 40]
        st64  r8, [sp]
        st64  r9, [sp + 8]
        call  printf
        li    r0, 0
        ld64  r16, [fp - 8]
        leave
        ret
        .rodata
word:   .asciz "hello"
fmt:    .asciz "parent: child %d exited with status %d\n"
