# libgreet: greet(n) prints "hello" n times by calling shout, a global
# function of libgreet itself, so that the call goes through libgreet's
# own PLT. _init counts the loads; _fini prints "bye".
        .text
        .global greet
greet:
        enter 16
        st64  r16, [fp - 8]
        mov   r16, r0           # n survives the calls
1:      beqz  r16, 2f
        call  shout
        addi  r16, r16, -1
        jmp   1b
2:      ld64  r16, [fp - 8]
        leave
        ret

        .global shout
shout:
        li    r0, 1
        la    r1, hello
        li    r2, 6
        sys   1                 # write(1, "hello\n", 6)
        ret

        .global _init
_init:
        la    r0, loads
        ld64  r1, [r0]
        addi  r1, r1, 1
        st64  r1, [r0]
        ret

        .global _fini
_fini:
        li    r0, 1
        la    r1, bye
        li    r2, 4
        sys   1                 # write(1, "bye\n", 4)
        ret

        .rodata
hello:  .ascii "hello\n"
bye:    .ascii "bye\n"
        .data
loads:  .quad 0
