# printf_args.s: printf with ten and more arguments; fprintf to both
# streams; snprintf truncating; sprintf; vprintf through a wrapper.
        .text
        .global main
main:
        enter 64
        st64  r16, [fp - 8]
        addi  sp, sp, -96       # 12 variadic arguments
        li    r8, 1
        st64  r8, [sp]
        li    r8, 2
        st64  r8, [sp + 8]
        li    r8, 3
        st64  r8, [sp + 16]
        li    r8, 4
        st64  r8, [sp + 24]
        li    r8, 5
        st64  r8, [sp + 32]
        li    r8, 6
        st64  r8, [sp + 40]
        li    r8, 7
        st64  r8, [sp + 48]
        li    r8, 8
        st64  r8, [sp + 56]
        li    r8, 9
        st64  r8, [sp + 64]
        li    r8, 10
        st64  r8, [sp + 72]
        li    r8, 'x'
        st64  r8, [sp + 80]
        la    r8, str
        st64  r8, [sp + 88]
        la    r0, fmt10
        call  printf
        addi  sp, sp, 96

        addi  sp, sp, -16
        li    r8, 42
        st64  r8, [sp]
        li    r0, 1
        la    r1, fmt_fd1
        call  fprintf
        li    r8, -7
        st64  r8, [sp]
        li    r0, 2
        la    r1, fmt_fd2
        call  fprintf
        addi  sp, sp, 16

        # snprintf(buf, 8, "hello world") -> 11, buf = "hello w"
        addi  sp, sp, -16
        addi  r0, fp, -48
        li    r1, 8
        la    r2, fmt_hello
        call  snprintf
        mov   r16, r0
        addi  sp, sp, 16
        # snprintf(NULL, 0, ...) stores nothing
        li    r0, 0
        li    r1, 0
        la    r2, fmt_hello
        call  snprintf
        addi  sp, sp, -32
        addi  r8, r16, 1        # 12: also tests the count
        st64  r8, [sp]
        addi  r8, fp, -48
        st64  r8, [sp + 8]
        st64  r0, [sp + 16]     # 11 - 11 = 0 below
        ld64  r9, [sp + 16]
        sub   r9, r9, r16
        st64  r9, [sp + 16]
        la    r0, fmt_snp
        call  printf
        addi  sp, sp, 32

        addi  sp, sp, -16
        li    r8, -1234
        st64  r8, [sp]
        addi  r0, fp, -48
        la    r1, fmt_d
        call  sprintf
        st64  r0, [sp]
        addi  r8, fp, -48
        st64  r8, [sp + 8]
        la    r0, fmt_sp
        call  printf
        addi  sp, sp, 16

        li    r0, 3
        li    r1, 4
        call  my_printf2

        ld64  r16, [fp - 8]
        li    r0, 0
        leave
        ret

# my_printf2(a, b): a wrapper that builds a va_list and calls vprintf.
my_printf2:
        enter 16
        st64  r0, [fp - 16]
        st64  r1, [fp - 8]
        la    r0, fmt_v
        addi  r1, fp, -16
        call  vprintf
        leave
        ret

        .rodata
fmt10:     .asciz "%d %d %d %d %d %d %d %d %d %d %c %s\n"
str:       .asciz "str"
fmt_fd1:   .asciz "fprintf to 1: %d\n"
fmt_fd2:   .asciz "to stderr: %d\n"
fmt_hello: .asciz "hello world"
fmt_snp:   .asciz "snprintf: %d [%s] %d\n"
fmt_d:     .asciz "%d"
fmt_sp:    .asciz "sprintf: %d [%s]\n"
fmt_v:     .asciz "vprintf: %d and %d\n"
