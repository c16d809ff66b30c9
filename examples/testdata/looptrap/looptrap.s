# looptrap: sum_until_null walks an array of pointers inside a framed
# function and dereferences the null entry at the end. The trap must be
# reported in sum_until_null (not in its loop label), with the full chain of
# callers.
        .text
        .global _start
_start:
        la    r0, table
        call  outer
        sys   0

outer:
        enter 16
        call  sum_until_null
        leave
        ret

sum_until_null:
        enter 16
        li    r1, 0
next:
        ld64  r2, [r0]          # the pointer
        ld64  r3, [r2]          # traps when it is null
        add   r1, r1, r3
        addi  r0, r0, 8
        jmp   next
        leave
        ret

        .data
one:    .quad 1
two:    .quad 2
table:  .quad one, two, 0
