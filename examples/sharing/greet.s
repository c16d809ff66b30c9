# greet: a child that prints a greeting with libstd's puts and printf and
# exits with status 1.
        .text
        .global main
main:
        enter 16
        la    r0, hello
        call  puts
        la    r0, fmt
        la    r8, name
        st64  r8, [sp]
        call  printf
        li    r0, 1
        leave
        ret
        .rodata
hello:  .asciz "greet: hello from a child process"
name:   .asciz "libstd"
fmt:    .asciz "greet: printf comes from %s\n"
