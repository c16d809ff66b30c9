# second.vso for reload.s: f returns 20, in a loop of ten steps of 2.
        .text
        .global f
f:
        li    r0, 0
        li    r1, 10
1:      addi  r0, r0, 2
        addi  r1, r1, -1
        bnez  r1, 1b
        ret
