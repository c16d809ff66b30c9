# parent: runs each image named on its command line as a child process,
# one after the other (so the output is in a fixed order), and prints how
# each one ended. With `vmrun --stats` the report shows which modules the
# processes shared. See README.md.
        .text
        .global main
main:
        enter 48
        st64  r16, [fp - 8]
        st64  r17, [fp - 16]
        st64  r18, [fp - 24]
        mov   r16, r0           # argc
        mov   r17, r1           # argv
        li    r18, 1            # i: the next argument
1:      bge   r18, r16, 2f
        shli  r8, r18, 3
        add   r8, r17, r8
        ld64  r8, [r8]          # argv[i]: the child's image
        st64  r8, [fp - 40]     # child argv[0]
        li    r9, 0
        st64  r9, [fp - 32]     # NULL
        mov   r0, r8
        addi  r1, fp, -40
        li    r2, 0             # inherit fds 0, 1, 2
        call  spawn
        call  wait              # r0 = the child's exit status
        mov   r9, r0
        la    r0, fmt
        ld64  r8, [fp - 40]
        st64  r8, [sp]
        st64  r9, [sp + 8]
        call  printf
        addi  r18, r18, 1
        jmp   1b
2:      la    r0, done
        call  puts
        li    r0, 0
        ld64  r16, [fp - 8]
        ld64  r17, [fp - 16]
        ld64  r18, [fp - 24]
        leave
        ret
        .rodata
fmt:    .asciz "parent: %s exited with status %d\n"
done:   .asciz "parent: all children done"
