# bomb: a fork bomb held back. Run with no argument, it spawns itself
# (with the argument "child", which makes it exit at once) 100 times
# without waiting, counting the spawns refused, then waits for the
# children it got and prints the counts and the error of the last refusal.
        .equ  N, 100
        .text
        .global main
main:
        enter 64
        st64  r16, [fp - 8]
        st64  r17, [fp - 16]
        st64  r18, [fp - 24]
        st64  r19, [fp - 32]
        li    r8, 1
        blt   r8, r0, 9f        # a child: exit 0
        ld64  r8, [r1]
        st64  r8, [fp - 56]     # child argv: argv[0], "child", NULL
        la    r8, child
        st64  r8, [fp - 48]
        li    r8, 0
        st64  r8, [fp - 40]
        li    r16, 0            # spawned
        li    r17, 0            # refused
        li    r18, 0            # the last error
1:      ld64  r0, [fp - 56]
        addi  r1, fp, -56
        li    r2, 0
        call  spawn
        li    r8, 0
        blt   r0, r8, 2f
        la    r9, pids
        shli  r10, r16, 3
        add   r9, r9, r10
        st64  r0, [r9]
        addi  r16, r16, 1
        jmp   3f
2:      addi  r17, r17, 1
        mov   r18, r0
3:      add   r8, r16, r17
        li    r9, N
        blt   r8, r9, 1b
        li    r19, 0
4:      bge   r19, r16, 5f      # wait for each child spawned
        la    r9, pids
        shli  r10, r19, 3
        add   r9, r9, r10
        ld64  r0, [r9]
        call  wait
        addi  r19, r19, 1
        jmp   4b
5:      la    r0, fmt
        st64  r16, [sp]
        st64  r17, [sp + 8]
        st64  r18, [sp + 16]
        call  printf
9:      li    r0, 0
        ld64  r16, [fp - 8]
        ld64  r17, [fp - 16]
        ld64  r18, [fp - 24]
        ld64  r19, [fp - 32]
        leave
        ret
        .rodata
child:  .asciz "child"
fmt:    .asciz "%ld spawned, %ld refused (error %ld)\n"
        .bss
        .align 8
pids:   .space 8 * N
