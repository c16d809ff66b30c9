# vformat.s: __vformat, the engine of the printf family (printf.s,
# fprintf.s, snprintf.s). It formats into a sink:
#
#   [sink+0]  fd: where a full buffer is written, or -1 for a string sink,
#             which drops what does not fit
#   [sink+8]  buf: the buffer
#   [sink+16] cap: its capacity in bytes
#   [sink+24] pos: bytes in the buffer
#   [sink+32] total: bytes produced so far (the printf result)
#
# long __vformat(sink *s, const char *fmt, va_list ap): ap points at the
# first variadic argument (8-byte slots, docs/abi.md). For an fd sink the
# buffer is written out before returning. Returns the total.
#
# Conversions: d i u o x X c s p % and f F e E g G (formatted by the VM's
# fmtfloat helper, system call 16); flags - 0 + space #; width and
# precision, either may be *; length modifiers hh h l ll L q j z t (hh and
# h narrow the value as C does; every other integer is the full 64-bit
# slot). An unknown conversion is printed as is.

        .equ  F_LEFT, 1
        .equ  F_ZERO, 2
        .equ  F_PLUS, 4
        .equ  F_SPACE, 8
        .equ  F_ALT, 16

        .equ  FBUF_SIZE, 4608   # longest fmtfloat result: 1 + 309 + 1 + 4096 digits
        # Frame: r16..r27 at fp-8..fp-96; digits end at fp-96 (32 bytes
        # below); the prefix at fp-144; the float buffer below that.
        .equ  DIGITS_END, -96
        .equ  PREFIX, -144
        .equ  FBUF, -144 - FBUF_SIZE
        .equ  FRAME, 144 + FBUF_SIZE

        .text
        .global __vformat
__vformat:
        enter FRAME
        st64  r16, [fp - 8]
        st64  r17, [fp - 16]
        st64  r18, [fp - 24]
        st64  r19, [fp - 32]
        st64  r20, [fp - 40]
        st64  r21, [fp - 48]
        st64  r22, [fp - 56]
        st64  r23, [fp - 64]
        st64  r24, [fp - 72]
        st64  r25, [fp - 80]
        st64  r26, [fp - 88]
        st64  r27, [fp - 96]
        mov   r16, r0           # sink
        mov   r17, r1           # fmt
        mov   r18, r2           # ap

.Lloop:
        ld8u  r0, [r17]
        beqz  r0, .Ldone
        addi  r17, r17, 1
        li    r8, '%'
        beq   r0, r8, .Lspec
        call  .Lput
        b     .Lloop

# ---- a conversion specification: flags, width, precision, length ----
.Lspec:
        li    r19, 0            # flags
        li    r20, 0            # width
        li    r21, -1           # precision (-1: none)
        li    r22, 8            # argument size: 8, or 2 (h), 1 (hh)
.Lflags:
        ld8u  r8, [r17]
        li    r9, F_LEFT
        li    r10, '-'
        beq   r8, r10, 1f
        li    r9, F_ZERO
        li    r10, '0'
        beq   r8, r10, 1f
        li    r9, F_PLUS
        li    r10, '+'
        beq   r8, r10, 1f
        li    r9, F_SPACE
        li    r10, ' '
        beq   r8, r10, 1f
        li    r9, F_ALT
        li    r10, '#'
        beq   r8, r10, 1f
        b     .Lwidth
1:      or    r19, r19, r9
        addi  r17, r17, 1
        b     .Lflags

.Lwidth:
        li    r10, '*'
        bne   r8, r10, 2f
        ld64  r20, [r18]        # width from the arguments: an int, the
        shli  r20, r20, 32      # low 32 bits of the slot, sign-extended
        sari  r20, r20, 32
        addi  r18, r18, 8
        addi  r17, r17, 1
        li    r9, 0
        bge   r20, r9, .Lprec
        ori   r19, r19, F_LEFT  # a negative width means '-'
        neg   r20, r20
        b     .Lprec
2:      ld8u  r8, [r17]
        addi  r9, r8, -'0'
        sltui r10, r9, 10
        beqz  r10, .Lprec
        muli  r20, r20, 10
        add   r20, r20, r9
        addi  r17, r17, 1
        b     2b

.Lprec:
        ld8u  r8, [r17]
        li    r10, '.'
        bne   r8, r10, .Llength
        addi  r17, r17, 1
        li    r21, 0
        ld8u  r8, [r17]
        li    r10, '*'
        bne   r8, r10, 2f
        ld64  r21, [r18]        # precision from the arguments: an int too
        shli  r21, r21, 32
        sari  r21, r21, 32
        addi  r18, r18, 8
        addi  r17, r17, 1
        li    r9, 0
        bge   r21, r9, .Llength
        li    r21, -1           # a negative precision is no precision
        b     .Llength
2:      ld8u  r8, [r17]
        addi  r9, r8, -'0'
        sltui r10, r9, 10
        beqz  r10, .Llength
        muli  r21, r21, 10
        add   r21, r21, r9
        addi  r17, r17, 1
        b     2b

.Llength:
        ld8u  r8, [r17]
        li    r10, 'h'
        bne   r8, r10, 1f
        li    r9, 2
        seq   r9, r22, r9       # a second h: 1 (hh), else 2 (h)
        li    r22, 2
        sub   r22, r22, r9
        addi  r17, r17, 1
        b     .Llength
1:      la    r9, lengths
2:      ld8u  r10, [r9]
        beqz  r10, .Lconv
        addi  r9, r9, 1
        bne   r8, r10, 2b
        addi  r17, r17, 1       # l L q j z t: 64 bits anyway
        b     .Llength

# ---- the conversion character ----
.Lconv:
        ld8u  r24, [r17]        # r24: the conversion (kept for the integer path)
        beqz  r24, .Ldone       # "%" at the very end: nothing to print
        addi  r17, r17, 1
        li    r8, 'd'
        beq   r24, r8, .Lsigned
        li    r8, 'i'
        beq   r24, r8, .Lsigned
        li    r8, 'u'
        beq   r24, r8, .Lunsigned
        li    r8, 'x'
        beq   r24, r8, .Lunsigned
        li    r8, 'X'
        beq   r24, r8, .Lunsigned
        li    r8, 'o'
        beq   r24, r8, .Lunsigned
        li    r8, 'c'
        beq   r24, r8, .Lchar
        li    r8, 's'
        beq   r24, r8, .Lstring
        li    r8, 'p'
        beq   r24, r8, .Lpointer
        li    r8, '%'
        beq   r24, r8, .Lpercent
        ori   r8, r24, 0x20     # f F e E g G
        li    r9, 'f'
        beq   r8, r9, .Lfloat
        li    r9, 'e'
        beq   r8, r9, .Lfloat
        li    r9, 'g'
        beq   r8, r9, .Lfloat
        li    r0, '%'           # unknown: print it as written
        call  .Lput
        mov   r0, r24
        call  .Lput
        b     .Lloop

.Lpercent:
        li    r0, '%'
        call  .Lput
        b     .Lloop

# ---- integers ----
# r25 = value (magnitude after the sign is taken), r23 = prefix length.
.Lsigned:
        ld64  r25, [r18]
        addi  r18, r18, 8
        li    r8, 2
        bne   r22, r8, 1f
        shli  r25, r25, 48
        sari  r25, r25, 48
1:      li    r8, 1
        bne   r22, r8, 2f
        shli  r25, r25, 56
        sari  r25, r25, 56
2:      li    r23, 0
        li    r9, '-'
        li    r8, 0
        blt   r25, r8, 3f
        li    r9, '+'
        andi  r8, r19, F_PLUS
        bnez  r8, 4f
        li    r9, ' '
        andi  r8, r19, F_SPACE
        bnez  r8, 4f
        b     .Ldigits
3:      neg   r25, r25          # MinInt64 stays itself: read as unsigned below
4:      st8   r9, [fp + PREFIX]
        li    r23, 1
        b     .Ldigits

.Lunsigned:
        ld64  r25, [r18]
        addi  r18, r18, 8
        li    r8, 2
        bne   r22, r8, 1f
        li    r8, 0xffff
        and   r25, r25, r8
1:      li    r8, 1
        bne   r22, r8, 2f
        andi  r25, r25, 0xff
2:      li    r23, 0
        andi  r8, r19, F_ALT
        beqz  r8, .Ldigits
        beqz  r25, .Ldigits     # no 0x for zero
        li    r8, 'x'
        beq   r24, r8, 3f
        li    r8, 'X'
        bne   r24, r8, .Ldigits
3:      li    r8, '0'
        st8   r8, [fp + PREFIX]
        st8   r24, [fp + PREFIX + 1]
        li    r23, 2
        b     .Ldigits

.Lpointer:
        ld64  r25, [r18]
        addi  r18, r18, 8
        beqz  r25, .Lnil
        li    r23, 0            # [sign] "0x", then hex digits
        li    r9, '+'
        andi  r8, r19, F_PLUS
        bnez  r8, 1f
        li    r9, ' '
        andi  r8, r19, F_SPACE
        beqz  r8, 2f
1:      st8   r9, [fp + PREFIX]
        li    r23, 1
2:      addi  r8, fp, PREFIX
        add   r8, r8, r23
        li    r9, '0'
        st8   r9, [r8]
        li    r9, 'x'
        st8   r9, [r8 + 1]
        addi  r23, r23, 2
        li    r24, 'x'
        b     .Ldigits
.Lnil:
        la    r26, nil_str
        li    r27, 5
        b     .Lplain

# Digits of r25 in the base of conversion r24, written backwards ending
# at fp+DIGITS_END; then the field.
.Ldigits:
        li    r8, 10
        la    r10, lower_digits
        li    r9, 'o'
        bne   r24, r9, 1f
        li    r8, 8
1:      li    r9, 'x'
        bne   r24, r9, 2f
        li    r8, 16
2:      li    r9, 'X'
        bne   r24, r9, 3f
        li    r8, 16
        la    r10, upper_digits
3:      addi  r26, fp, DIGITS_END
        bnez  r25, 4f
        beqz  r21, 5f           # zero with precision 0: no digits
4:      remu  r9, r25, r8
        add   r9, r10, r9
        ld8u  r9, [r9]
        addi  r26, r26, -1
        st8   r9, [r26]
        divu  r25, r25, r8
        bnez  r25, 4b
5:      addi  r27, fp, DIGITS_END
        sub   r27, r27, r26     # r27: number of digits
        li    r25, 0            # r25: zeros before the digits
        li    r8, 0
        blt   r21, r8, 6f
        sub   r25, r21, r27     # precision: at least that many digits
        bge   r25, r8, 7f
        li    r25, 0
        b     7f
6:      andi  r8, r19, F_ZERO   # no precision: '0' pads to the width
        beqz  r8, 7f
        andi  r8, r19, F_LEFT
        bnez  r8, 7f
        sub   r25, r20, r23
        sub   r25, r25, r27
        li    r8, 0
        bge   r25, r8, 7f
        li    r25, 0
7:      li    r8, 'o'           # '#' with o: the first digit must be 0
        bne   r24, r8, 8f
        andi  r8, r19, F_ALT
        beqz  r8, 8f
        bnez  r25, 8f
        beqz  r27, 9f
        ld8u  r8, [r26]
        li    r9, '0'
        beq   r8, r9, 8f
9:      li    r25, 1
8:      addi  r8, fp, PREFIX
        mov   r22, r8           # r22: the prefix
        call  .Lfield
        b     .Lloop

# ---- characters and strings ----
.Lchar:
        ld64  r8, [r18]
        addi  r18, r18, 8
        st8   r8, [fp + PREFIX]
        addi  r26, fp, PREFIX
        li    r27, 1
        b     .Lplain

.Lstring:
        ld64  r26, [r18]
        addi  r18, r18, 8
        bnez  r26, 1f
        la    r26, null_str     # glibc: "(null)", or "" if the precision is < 6
        li    r8, 0
        blt   r21, r8, 1f
        li    r8, 6
        bge   r21, r8, 1f
        li    r27, 0
        b     .Lplain
1:      li    r27, 0            # length, at most the precision
2:      li    r8, 0
        blt   r21, r8, 3f
        bge   r27, r21, .Lplain
3:      add   r8, r26, r27
        ld8u  r8, [r8]
        beqz  r8, .Lplain
        addi  r27, r27, 1
        b     2b

# A field with no prefix and no zeros: body r26, length r27.
.Lplain:
        li    r23, 0
        li    r25, 0
        call  .Lfield
        b     .Lloop

# ---- floating point, formatted by the VM (system call 16) ----
.Lfloat:
        ld64  r25, [r18]        # the bits
        addi  r18, r18, 8
        mov   r4, r24
        andi  r8, r19, F_ALT
        beqz  r8, 1f
        ori   r4, r4, 0x100
1:      andi  r8, r19, F_PLUS
        beqz  r8, 2f
        ori   r4, r4, 0x200
2:      andi  r8, r19, F_SPACE
        beqz  r8, 3f
        ori   r4, r4, 0x400
3:      addi  r0, fp, FBUF
        li    r1, FBUF_SIZE
        mov   r2, r25
        mov   r3, r21
        li    r5, 0
        sys   16                # r0: the length
        li    r8, 0
        bge   r0, r8, 4f
        li    r0, 0
4:      li    r8, FBUF_SIZE
        bleu  r0, r8, 5f
        mov   r0, r8
5:      mov   r27, r0           # r27: body length
        addi  r26, fp, FBUF     # r26: body
        li    r23, 0
        beqz  r27, 6f
        ld8u  r8, [r26]         # a sign becomes the prefix
        li    r9, '-'
        beq   r8, r9, 7f
        li    r9, '+'
        beq   r8, r9, 7f
        li    r9, ' '
        bne   r8, r9, 6f
7:      mov   r22, r26
        li    r23, 1
        addi  r26, r26, 1
        addi  r27, r27, -1
6:      li    r25, 0            # zeros: '0' flag, not left, finite
        andi  r8, r19, F_ZERO
        beqz  r8, 8f
        andi  r8, r19, F_LEFT
        bnez  r8, 8f
        ld64  r8, [r18 - 8]
        shri  r8, r8, 52
        andi  r8, r8, 0x7ff
        li    r9, 0x7ff
        beq   r8, r9, 8f
        sub   r25, r20, r23
        sub   r25, r25, r27
        li    r8, 0
        bge   r25, r8, 8f
        li    r25, 0
8:      call  .Lfield
        b     .Lloop

.Ldone:
        ld64  r8, [r16]         # fd sink: write out the rest
        li    r9, 0
        blt   r8, r9, 1f
        ld64  r2, [r16 + 24]
        beqz  r2, 1f
        mov   r0, r8
        ld64  r1, [r16 + 8]
        sys   1
        li    r8, 0
        st64  r8, [r16 + 24]
1:      ld64  r0, [r16 + 32]
        ld64  r16, [fp - 8]
        ld64  r17, [fp - 16]
        ld64  r18, [fp - 24]
        ld64  r19, [fp - 32]
        ld64  r20, [fp - 40]
        ld64  r21, [fp - 48]
        ld64  r22, [fp - 56]
        ld64  r23, [fp - 64]
        ld64  r24, [fp - 72]
        ld64  r25, [fp - 80]
        ld64  r26, [fp - 88]
        ld64  r27, [fp - 96]
        leave
        ret

# .Lfield emits a field of width r20 (flags r19): prefix r22 (r23 bytes),
# r25 zeros, body r26 (r27 bytes), padded with spaces on the left, or on
# the right with F_LEFT. Uses r12..r15; .Lput clobbers r0..r2, r8..r11.
.Lfield:
        push  lr
        add   r12, r23, r25
        add   r12, r12, r27
        sub   r12, r20, r12     # r12: padding
        andi  r13, r19, F_LEFT
        bnez  r13, 2f
1:      li    r13, 0            # spaces on the left
        bge   r13, r12, 2f
        li    r0, ' '
        call  .Lput
        addi  r12, r12, -1
        b     1b
2:      li    r13, 0            # prefix
3:      bge   r13, r23, 4f
        add   r0, r22, r13
        ld8u  r0, [r0]
        call  .Lput
        addi  r13, r13, 1
        b     3b
4:      li    r13, 0            # zeros
5:      bge   r13, r25, 6f
        li    r0, '0'
        call  .Lput
        addi  r13, r13, 1
        b     5b
6:      li    r13, 0            # body
7:      bge   r13, r27, 8f
        add   r0, r26, r13
        ld8u  r0, [r0]
        call  .Lput
        addi  r13, r13, 1
        b     7b
8:      li    r13, 0            # spaces on the right (r12 > 0 only if F_LEFT left them)
        bge   r13, r12, 9f
        li    r0, ' '
        call  .Lput
        addi  r12, r12, -1
        b     8b
9:      pop   lr
        ret

# .Lput adds the byte r0 to the sink r16: a full fd buffer is written out
# first; a full string buffer drops the byte. Clobbers r0..r2, r8..r11.
.Lput:
        ld64  r8, [r16 + 32]
        addi  r8, r8, 1
        st64  r8, [r16 + 32]
        ld64  r9, [r16 + 24]
        ld64  r10, [r16 + 16]
        bltu  r9, r10, 2f
        ld64  r11, [r16]
        li    r8, 0
        blt   r11, r8, 3f       # string sink: full
        mov   r8, r0
        mov   r0, r11
        ld64  r1, [r16 + 8]
        mov   r2, r9
        sys   1
        li    r9, 0
        mov   r0, r8
2:      ld64  r10, [r16 + 8]
        add   r10, r10, r9
        st8   r0, [r10]
        addi  r9, r9, 1
        st64  r9, [r16 + 24]
3:      ret

        .rodata
lower_digits: .ascii "0123456789abcdef"
upper_digits: .ascii "0123456789ABCDEF"
lengths:      .asciz "lLqjzt"
null_str:     .asciz "(null)"
nil_str:      .ascii "(nil)"
