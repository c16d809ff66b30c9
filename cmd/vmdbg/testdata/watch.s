# watch: bump() adds 1 to counter three times, then _start divides by
# zero. For vmdbg's tests of watch, print, x and a trap.
        .data
        .global counter
counter:
        .quad 0
small:  .word 7
msg:    .asciz "count"

        .text
        .global _start
_start:
        li    r9, 3
loop:
        call  bump
        addi  r9, r9, -1
        bnez  r9, loop
        li    r1, 0
        divs  r0, r9, r1        # traps: division by zero
        li    r0, 0
        sys   0

# bump() adds 1 to counter.
bump:
        la    r1, counter
        ld64  r2, [r1]
        addi  r2, r2, 1
        st64  r2, [r1]
        ret
