# child: prints a line and exits with status 2.
        .text
        .global _start
_start:
        li    r0, 1
        la    r1, msg
        li    r2, 6
        sys   1                 # write(1, "child\n", 6)
        li    r0, 2
        sys   0                 # exit(2)
        .rodata
msg:    .ascii "child\n"
