# spin: writes "spinning" to standard output (buffered by the VM), then
# "started" to the file argv[1], created (files are not buffered: the
# test watches it), and loops forever.
        .text
        .global _start
_start:
        mov   r16, r1
        li    r0, 1
        la    r1, spinning
        li    r2, 9
        sys   1
        ld64  r0, [r16 + 8]
        li    r1, 0x241         # O_WRONLY|O_CREAT|O_TRUNC
        li    r2, 0644
        sys   3
        la    r1, started
        li    r2, 8
        sys   1
1:      jmp   1b
        .rodata
spinning: .ascii "spinning\n"
started: .ascii "started\n"
