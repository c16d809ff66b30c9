# snprintf.s: formatting into memory: snprintf, vsnprintf, sprintf,
# vsprintf. Each returns the length of the whole result (which may be
# more than was stored) and NUL-terminates what it stored.

        .text
        .global snprintf, vsnprintf, sprintf, vsprintf

# int snprintf(char *buf, size_t size, const char *fmt, ...): stores at
# most size-1 bytes and a NUL (nothing at all if size is 0).
snprintf:
        enter 0
        addi  r3, fp, 16
        call  vsnprintf
        leave
        ret

# int sprintf(char *buf, const char *fmt, ...): no limit.
sprintf:
        enter 0
        mov   r2, r1
        li64  r1, 0x7fffffffffffffff
        addi  r3, fp, 16
        call  vsnprintf
        leave
        ret

# int vsprintf(char *buf, const char *fmt, va_list ap)
vsprintf:
        enter 0
        mov   r3, r2
        mov   r2, r1
        li64  r1, 0x7fffffffffffffff
        call  vsnprintf
        leave
        ret

# int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
vsnprintf:
        enter 48                # sink at fp-48 (40 bytes), size at fp-8
        st64  r1, [fp - 8]
        li    r8, -1
        st64  r8, [fp - 48]     # fd: none
        st64  r0, [fp - 40]     # buf
        addi  r8, r1, -1        # cap: size-1 (0 if size is 0)
        bnez  r1, 1f
        li    r8, 0
1:      st64  r8, [fp - 32]
        li    r8, 0
        st64  r8, [fp - 24]     # pos
        st64  r8, [fp - 16]     # total
        addi  r0, fp, -48
        mov   r1, r2
        mov   r2, r3
        call  __vformat
        ld64  r8, [fp - 8]
        beqz  r8, 2f
        ld64  r8, [fp - 40]     # the NUL after what was stored
        ld64  r9, [fp - 24]
        add   r8, r8, r9
        li    r9, 0
        st8   r9, [r8]
2:      leave
        ret
