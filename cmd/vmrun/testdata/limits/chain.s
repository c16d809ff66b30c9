# chain: spawns itself, which spawns itself, and so on, each waiting for
# its child: a chain of processes that grows until spawn fails. The last
# one says why; each exits with its child's status + 1.
        .text
        .global main
main:
        enter 16
        st64  r16, [fp - 8]
        mov   r16, r1
        call  getpid
        mov   r8, r0
        ld64  r0, [r16]         # spawn(argv[0], argv, NULL)
        mov   r1, r16
        mov   r16, r8
        li    r2, 0
        call  spawn
        li    r8, 0
        blt   r0, r8, 1f
        call  wait
        addi  r0, r0, 1
        jmp   2f
1:      mov   r9, r0
        la    r0, fmt
        st64  r16, [sp]
        st64  r9, [sp + 8]
        call  printf
        li    r0, 0
2:      ld64  r16, [fp - 8]
        leave
        ret
        .rodata
fmt:    .asciz "process %ld: spawn: error %ld\n"
