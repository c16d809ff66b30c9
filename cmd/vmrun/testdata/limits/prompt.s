# prompt: writes "name? " and waits for a line of standard input (the read
# flushes the prompt), then echoes it.
        .text
        .global _start
_start:
        li    r0, 1
        la    r1, prompt
        li    r2, 6
        sys   1
        li    r0, 0
        la    r1, buf
        li    r2, 64
        sys   2
        mov   r2, r0
        li    r0, 1
        la    r1, buf
        sys   1
        li    r0, 0
        sys   0
        .rodata
prompt: .ascii "name? "
        .bss
buf:    .space 64
