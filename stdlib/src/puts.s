# puts.s: puts and fputs write a NUL-terminated string.

        .text
        .global puts, fputs

# int puts(const char *s): writes s and a newline to standard output;
# returns 0, or -1 on error.
puts:
        enter 16
        li    r1, 1
        call  fputs
        li    r8, 0
        blt   r0, r8, 1f
        li    r0, '\n'
        li    r1, 1
        call  fputc
        li    r8, 0
        blt   r0, r8, 1f
        li    r0, 0
1:      leave
        ret

# int fputs(const char *s, int fd): writes s (without its NUL) to fd;
# returns 0, or -1 on error.
fputs:
        enter 16
        st64  r16, [fp - 8]
        st64  r17, [fp - 16]
        mov   r16, r0
        mov   r17, r1
        call  strlen
        mov   r2, r0
        mov   r0, r17
        mov   r1, r16
        sys   1
        li    r8, 0
        blt   r0, r8, 1f
        li    r0, 0
        b     2f
1:      li    r0, -1
2:      ld64  r16, [fp - 8]
        ld64  r17, [fp - 16]
        leave
        ret
