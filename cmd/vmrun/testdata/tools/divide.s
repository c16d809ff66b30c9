# divide: ratio(a, b) divides; called with b = 0, it traps.
        .text
        .global _start
_start:
        li    r0, 7
        li    r1, 0
        call  ratio
        sys   0                 # not reached
ratio:
        divs  r0, r0, r1
        ret
