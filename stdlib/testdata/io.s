# io.s: read_line and getchar on standard input: lines are echoed in
# brackets with their lengths; a long line is cut to the buffer.
        .text
        .global main
main:
        enter 32                # an 8-byte buffer at fp-16
        st64  r16, [fp - 24]
        call  getchar           # the first byte alone
        addi  sp, sp, -16
        st64  r0, [sp]
        la    r0, f_char
        call  printf
        addi  sp, sp, 16
1:      addi  r0, fp, -16
        li    r1, 8
        call  read_line
        mov   r16, r0
        addi  sp, sp, -16
        st64  r16, [sp]
        addi  r8, fp, -16
        st64  r8, [sp + 8]
        li    r8, 0
        blt   r16, r8, 2f
        la    r0, f_line
        call  printf
        addi  sp, sp, 16
        b     1b
2:      la    r0, f_eof
        call  printf
        addi  sp, sp, 16
        call  getchar           # still EOF
        addi  sp, sp, -16
        st64  r0, [sp]
        la    r0, f_char
        call  printf
        addi  sp, sp, 16
        ld64  r16, [fp - 24]
        li    r0, 0
        leave
        ret

        .rodata
f_char: .asciz "getchar %d\n"
f_line: .asciz "%d [%s]\n"
f_eof:  .asciz "eof %d\n"
