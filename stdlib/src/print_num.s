# print_num.s: print_int, print_uint and print_hex write a number to
# standard output, without a newline (printf's %ld, %lu and %lx).

        .text
        .global print_int, print_uint, print_hex

# void print_int(long v)
print_int:
        li    r1, 10
        li    r2, 1             # signed
        b     print_num

# void print_uint(unsigned long v)
print_uint:
        li    r1, 10
        li    r2, 0
        b     print_num

# void print_hex(unsigned long v): lower-case hexadecimal, no "0x".
print_hex:
        li    r1, 16
        li    r2, 0
        # fall through

# print_num(v, base, signed): digits built backwards in the frame.
print_num:
        enter 32
        mov   r3, fp            # r3: the first digit written so far
        li    r4, 0             # 1 if negative
        beqz  r2, 1f
        bge   r0, r4, 1f
        li    r4, 1
        neg   r0, r0            # -MinInt64 wraps, but divu reads it right
1:      la    r6, digits
2:      remu  r5, r0, r1
        add   r5, r6, r5
        ld8u  r5, [r5]
        addi  r3, r3, -1
        st8   r5, [r3]
        divu  r0, r0, r1
        bnez  r0, 2b
        beqz  r4, 3f
        li    r5, '-'
        addi  r3, r3, -1
        st8   r5, [r3]
3:      li    r0, 1
        mov   r1, r3
        sub   r2, fp, r3
        sys   1
        leave
        ret

        .rodata
digits: .ascii "0123456789abcdef"
