# getchar.s: int getchar(void): the next byte of standard input (0..255),
# or -1 (EOF) at end of input or on error. Unbuffered: each call reads one
# byte (the VM flushes standard output before a read, so prompts appear).

        .text
        .global getchar
getchar:
        addi  sp, sp, -16
        li    r0, 0
        mov   r1, sp
        li    r2, 1
        sys   2
        li    r8, 1
        bne   r0, r8, 1f
        ld8u  r0, [sp]
        addi  sp, sp, 16
        ret
1:      li    r0, -1
        addi  sp, sp, 16
        ret
