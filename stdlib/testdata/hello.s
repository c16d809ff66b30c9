# hello.s: the smallest libstd program.
        .text
        .global main
main:
        enter 0
        la    r0, msg
        call  puts
        li    r0, 0
        leave
        ret

        .rodata
msg:    .asciz "Hello, world!"
