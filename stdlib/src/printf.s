# printf.s: printf and vprintf write to standard output (see vformat.s
# for the conversions). They return the number of bytes written.

        .text
        .global printf, vprintf

# int printf(const char *fmt, ...): the variadic arguments are on the
# stack, at [fp+16] after enter (docs/abi.md).
printf:
        enter 0
        mov   r1, r0
        li    r0, 1
        addi  r2, fp, 16
        call  vfprintf
        leave
        ret

# int vprintf(const char *fmt, va_list ap)
vprintf:
        enter 0
        mov   r2, r1
        mov   r1, r0
        li    r0, 1
        call  vfprintf
        leave
        ret
