# flood: writes lines of "y" to standard output forever, as yes(1) does:
# when nothing reads them, its writes block on the full pipe.
        .text
        .global _start
_start:
1:      li    r0, 1
        la    r1, line
        li    r2, 2
        sys   1
        jmp   1b
        .rodata
line:   .ascii "y\n"
