# prog.s: the main module of the vmobjdump golden tests. It calls into
# lib.s, has local functions and loop labels, data with pointers, a
# zero-filled buffer, a weak hook that may stay undefined, an absolute
# symbol and a second code section.

        .global _start, VERSION
        .weak   on_exit
        VERSION = 3

        .text
_start:
        la    r16, table        # address of .data: INSN_PC against .data
        ld64  r0, [r16 + 8]
        call  helper            # defined in lib.s: INSN_PC against helper
        call  sum
        li64  r1, 0x123456789
        call  on_exit           # weak, undefined: 0 after linking
        mov   r0, r0
        sys   0

# sum(n) returns 1 + 2 + ... + n.
sum:
        li    r1, 0
loop:   beqz  r0, done
        add   r1, r1, r0
        addi  r0, r0, -1
        jmp   loop
done:   mov   r0, r1
        ret

        .section .text.init, "ax"
        .global init
init:   la    r0, buf + 16
        ret

        .rodata
msg:    .asciz "hi\n"

        .data
table:  .quad msg, _start, 0

        .bss
buf:    .zero 64
