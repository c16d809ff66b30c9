# spin: prints a line, then loops for ever. For vmdbg's test of Ctrl-C.
        .text
        .global _start
_start:
        li    r0, 1
        la    r1, msg
        li    r2, 9
        sys   1
again:
        addi  r9, r9, 1
        jmp   again
        .rodata
msg:    .ascii "spinning\n"
