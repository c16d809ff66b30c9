# update/greet-2.0.s: libgreet 2.0 (soname libgreet.vso.2, version 2.0), a
# major update: void greet(const char *name) now takes an argument. A
# program built for version 1 calls greet() without one, so it must not
# get this module: its soname says so, and the loader refuses it.

        .text
        .global greet
greet:
        enter 16
        st64  r0, [sp]
        la    r0, fmt
        call  printf
        leave
        ret

        .rodata
fmt:    .asciz "Hello, %s, from libgreet 2.0\n"
