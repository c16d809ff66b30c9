# strtod.s: double strtod(const char *s, char **endptr) and
# double atof(const char *s). The conversion is the VM's (system call 17,
# docs/stdlib.md), which reads as C's strtod does: white space, a sign, a
# decimal or hexadecimal number, inf, infinity, nan. *endptr (unless NULL)
# is set after the number, or to s if there is none (then the result is 0).

        .text
        .global strtod, atof

strtod:
        enter 16
        st64  r16, [fp - 8]
        st64  r17, [fp - 16]
        mov   r16, r0
        mov   r17, r1
        call  strlen
        mov   r1, r0            # strtod(s, len) -> r0 = bits, r1 = bytes used
        mov   r0, r16
        sys   17
        beqz  r17, 1f
        add   r1, r16, r1
        st64  r1, [r17]
1:      ld64  r16, [fp - 8]
        ld64  r17, [fp - 16]
        leave
        ret

# double atof(const char *s): strtod(s, NULL).
atof:
        enter 0
        li    r1, 0
        call  strtod
        leave
        ret
