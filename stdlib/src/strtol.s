# strtol.s: strtol and strtoul. Both skip leading white space
# (" \t\n\v\f\r"), accept a sign, then digits in base 2..36 (letters of
# either case for 10..35). Base 0 means 16 after a "0x"/"0X" prefix, 8
# after a leading 0, else 10; base 16 also accepts the 0x prefix. *endptr
# (unless endptr is NULL) is set after the last digit used, or to s if
# there was none (the result is then 0). Out-of-range values saturate:
# strtol to LONG_MAX or LONG_MIN, strtoul to ULONG_MAX (a '-' negates the
# unsigned value, as in C). libstd has no errno. A base outside 0, 2..36
# gives 0 with *endptr = s.

        .text
        .global strtol, strtoul

# long strtol(const char *s, char **endptr, int base)
strtol:
        li    r3, 1
        b     convert

# unsigned long strtoul(const char *s, char **endptr, int base)
strtoul:
        li    r3, 0
        # fall through

# convert(s, endptr, base, signed): a leaf; r14 keeps the return address
# while .Ldigit is called.
convert:
        mov   r14, lr
        mov   r15, r0           # r15: s
        mov   r4, r0            # r4: cursor
1:      ld8u  r5, [r4]          # white space
        li    r6, ' '
        beq   r5, r6, 2f
        addi  r6, r5, -9        # \t \n \v \f \r are 9..13
        sltui r6, r6, 5
        beqz  r6, 3f
2:      addi  r4, r4, 1
        b     1b
3:      li    r7, 0             # r7: 1 if negative
        li    r6, '-'
        bne   r5, r6, 4f
        li    r7, 1
        addi  r4, r4, 1
        b     5f
4:      li    r6, '+'
        bne   r5, r6, 5f
        addi  r4, r4, 1
5:      beqz  r2, 6f            # base 0: decide from the prefix
        li    r6, 16
        beq   r2, r6, 7f
        li    r6, 2
        blt   r2, r6, .Lnone
        li    r6, 36
        bgt   r2, r6, .Lnone
        b     .Ldigits
6:      li    r2, 10
        ld8u  r5, [r4]
        li    r6, '0'
        bne   r5, r6, .Ldigits
        li    r2, 8
7:      ld8u  r5, [r4]          # "0x" followed by a hex digit: base 16
        li    r6, '0'
        bne   r5, r6, .Ldigits
        ld8u  r5, [r4 + 1]
        ori   r5, r5, 0x20
        li    r6, 'x'
        bne   r5, r6, .Ldigits
        ld8u  r5, [r4 + 2]
        call  .Ldigit
        li    r13, 16
        bgeu  r6, r13, .Ldigits
        li    r2, 16
        addi  r4, r4, 2

.Ldigits:                       # r8: value, r10: 1 on overflow, r11: first digit
        li    r8, 0
        li    r10, 0
        mov   r11, r4
1:      ld8u  r5, [r4]
        call  .Ldigit
        bgeu  r6, r2, 2f
        mul   r12, r8, r2       # r8*base + digit, watching for overflow
        divu  r13, r12, r2
        bne   r13, r8, 3f
        add   r12, r12, r6
        bltu  r12, r6, 3f
        mov   r8, r12
        b     4f
3:      li    r10, 1
4:      addi  r4, r4, 1
        b     1b
2:      beq   r4, r11, .Lnone
        beqz  r1, 5f
        st64  r4, [r1]
5:      beqz  r3, .Lunsigned
        li64  r12, 0x8000000000000000
        bnez  r10, .Lsat
        beqz  r7, 6f
        bgtu  r8, r12, .Lsat    # below LONG_MIN
        neg   r0, r8            # 2^63 negated is LONG_MIN itself
        jr    r14
6:      bgeu  r8, r12, .Lsat    # above LONG_MAX
        mov   r0, r8
        jr    r14
.Lsat:
        mov   r0, r12           # LONG_MIN
        bnez  r7, 7f
        addi  r0, r12, -1       # LONG_MAX
7:      jr    r14
.Lunsigned:
        li    r0, -1            # ULONG_MAX
        bnez  r10, 8f
        mov   r0, r8
        beqz  r7, 8f
        neg   r0, r0
8:      jr    r14

.Lnone:                         # no number: 0, *endptr = s
        beqz  r1, 9f
        st64  r15, [r1]
9:      li    r0, 0
        jr    r14

# .Ldigit: r6 = the value of the character r5 as a digit (0-9, then a-z
# or A-Z from 10), or 99. Clobbers r13.
.Ldigit:
        addi  r6, r5, -'0'
        sltui r13, r6, 10
        bnez  r13, 1f
        ori   r6, r5, 0x20
        addi  r6, r6, -'a'
        sltui r13, r6, 26
        beqz  r13, 2f
        addi  r6, r6, 10
1:      ret
2:      li    r6, 99
        ret
