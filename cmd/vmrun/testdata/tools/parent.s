# parent: spawns child.img, waits for it and exits with its status + 1.
        .text
        .global _start
_start:
        la    r0, child
        la    r1, argv
        li    r2, 0             # inherit fds 0, 1, 2
        sys   19                # spawn(path, argv, fds) -> pid
        sys   20                # wait(pid) -> status
        addi  r0, r0, 1
        sys   0                 # exit(status + 1)
        .rodata
child:  .asciz "child.img"
        .data
argv:   .quad child, 0
