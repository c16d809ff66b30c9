# main: calls greet of libgreet.vso twice; the first call binds greet
# lazily, the second goes straight through the PLT stub.
        .text
        .global _start
_start:
        li    r0, 2
        call  greet
        li    r0, 1
        call  greet
        li    r0, 0
        sys   0                 # exit(0)
