# echo: copies its standard input to its standard output, 16 bytes at a
# time. For vmdbg's tests of run < FILE.
        .bss
buf:    .zero 16

        .text
        .global _start
_start:
        li    r0, 0
        la    r1, buf
        li    r2, 16
        sys   2                 # read(0, buf, 16)
        beqz  r0, done
        mov   r2, r0
        li    r0, 1
        la    r1, buf
        sys   1                 # write(1, buf, n)
        jmp   _start
done:
        li    r0, 0
        sys   0
