# update/greet-1.1.s: libgreet 1.1 (soname libgreet.vso.1, version 1.1), a
# minor update: greet has the same interface and better manners, so
# programs linked against 1.0 can use it unchanged.

        .text
        .global greet
greet:
        enter 16
        la    r0, msg
        call  puts
        leave
        ret

        .rodata
msg:    .asciz "Hello from libgreet 1.1, now with a capital letter!"
