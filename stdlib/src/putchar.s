# putchar.s: putchar and fputc write one byte. The VM buffers the output
# (docs/syscalls.md), so a byte at a time is cheap.

        .text
        .global putchar, fputc

# int putchar(int c): writes the byte c to standard output; returns c
# (as an unsigned char), or -1 on error.
putchar:
        li    r1, 1             # fall through: fputc(c, 1)

# int fputc(int c, int fd): writes the byte c to fd; returns c (as an
# unsigned char), or -1 on error.
fputc:
        andi  r0, r0, 0xff
        addi  sp, sp, -16
        st8   r0, [sp]
        mov   r8, r0
        mov   r0, r1
        mov   r1, sp
        li    r2, 1
        sys   1
        addi  sp, sp, 16
        li    r9, 1
        bne   r0, r9, 1f
        mov   r0, r8
        ret
1:      li    r0, -1
        ret
