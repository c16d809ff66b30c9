# fprintf.s: fprintf and vfprintf write to a file descriptor. The output
# is gathered in a 256-byte buffer in the frame and written with as few
# write calls as that allows; nothing stays buffered after the call.

        .text
        .global fprintf, vfprintf

# int fprintf(int fd, const char *fmt, ...)
fprintf:
        enter 0
        addi  r2, fp, 16
        call  vfprintf
        leave
        ret

# int vfprintf(int fd, const char *fmt, va_list ap): the bytes produced.
vfprintf:
        enter 304               # sink at fp-48 (40 bytes), buffer at fp-304
        st64  r0, [fp - 48]     # fd
        addi  r8, fp, -304
        st64  r8, [fp - 40]     # buf
        li    r8, 256
        st64  r8, [fp - 32]     # cap
        li    r8, 0
        st64  r8, [fp - 24]     # pos
        st64  r8, [fp - 16]     # total
        addi  r0, fp, -48
        call  __vformat
        leave
        ret
