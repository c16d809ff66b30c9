# atoi.s: atoi and atol: strtol(s, NULL, 10).

        .text
        .global atoi, atol

# int atoi(const char *s), long atol(const char *s): the decimal number at
# the start of s (after white space and a sign), 0 if there is none.
# Values beyond the range of long saturate; atoi returns the same 64-bit
# value as atol (an int caller uses the low 32 bits).
atoi:
atol:
        enter 0
        li    r1, 0
        li    r2, 10
        call  strtol
        leave
        ret
