# update/prog.s: the program. It calls greet(), which it does not define:
# linked against libgreet.vso, the call goes through a PLT stub and is
# bound at run time to whichever libgreet.vso.1 the loader finds, so a
# newer 1.x module changes what it prints without relinking it. See
# README.md.

        .text
        .global main
main:
        enter 16
        call  greet             # greet(): no arguments in version 1
        li    r0, 0
        leave
        ret
