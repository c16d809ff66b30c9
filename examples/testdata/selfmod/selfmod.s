# selfmod: writes a partial line without a newline, then stores into its own
# code. The store traps; the test checks the trap report and that the
# buffered output was flushed first.
        .text
        .global _start
_start:
        enter 16
        la    r0, msg
        call  puts_nonl
        call  poke
        li    r0, 0
        sys   0

poke:
        la    r1, _start
        li    r2, 0
        st64  r2, [r1]          # a store into our own code
        ret

puts_nonl:
        mov   r1, r0
        li    r0, 1
        li    r2, 7
        sys   1
        ret
        .rodata
msg:    .ascii "partial"
