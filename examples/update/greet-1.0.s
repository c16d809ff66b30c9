# update/greet-1.0.s: libgreet 1.0 (soname libgreet.vso.1, version 1.0).
# void greet(void) prints a greeting.

        .text
        .global greet
greet:
        enter 16
        la    r0, msg
        call  puts
        leave
        ret

        .rodata
msg:    .asciz "hello from libgreet 1.0"
