# util.s: a second library member with data and an undefined reference.

        .global twice, counter

        .text
twice:  add   r0, r0, r0
        la    r1, counter
        ld64  r2, [r1]
        addi  r2, r2, 1
        st64  r2, [r1]
        call  log_call
        ret

        .data
counter: .quad 0
