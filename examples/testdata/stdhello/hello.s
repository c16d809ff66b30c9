# stdhello: puts and printf from libstd, to link statically and dynamically.
        .text
        .global main
main:
        enter 16
        la    r0, msg
        call  puts
        la    r0, fmt
        li    r1, 42
        st64  r1, [sp]
        call  printf
        li    r0, 0
        leave
        ret
        .rodata
msg:    .asciz "Hello from libstd!"
fmt:    .asciz "the answer is %d\n"
