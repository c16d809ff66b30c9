# runit: spawns the image argv[1] with the arguments argv[1..], waits for
# it and prints its status, or the error spawn returned.
        .text
        .global main
main:
        enter 16
        st64  r16, [fp - 8]
        addi  r16, r1, 8        # &argv[1]
        ld64  r0, [r16]         # spawn(argv[1], &argv[1], NULL)
        mov   r1, r16
        li    r2, 0
        call  spawn
        li    r8, 0
        blt   r0, r8, 1f
        call  wait
        mov   r9, r0
        la    r0, okfmt
        jmp   2f
1:      mov   r9, r0
        la    r0, errfmt
2:      ld64  r8, [r16]
        st64  r8, [sp]
        st64  r9, [sp + 8]
        call  printf
        li    r0, 0
        ld64  r16, [fp - 8]
        leave
        ret
        .rodata
okfmt:  .asciz "spawn %s: status %ld\n"
errfmt: .asciz "spawn %s: error %ld\n"
