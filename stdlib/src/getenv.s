# getenv.s: char *getenv(const char *name): the value of the environment
# variable name, or NULL if the program's environment has none. The
# environment is the envp array that follows argv's terminating 0 on the
# stack (docs/abi.md), found through __argc and __argv, which crt0's
# _start records (a program with its own _start that does not gets NULL).
# The result points into that array's strings: the program must not
# change them.

        .text
        .global getenv
        .type getenv, @function
getenv:
        ldpc  r8, __argv@got
        ld64  r8, [r8]
        beqz  r8, 9f            # no argv recorded: no environment either
        ldpc  r9, __argc@got
        ld64  r9, [r9]
        addi  r9, r9, 1
        shli  r9, r9, 3
        add   r8, r8, r9        # envp = argv + argc + 1
1:      ld64  r9, [r8]          # the next "NAME=VALUE"
        beqz  r9, 9f
        mov   r10, r0
2:      ld8u  r11, [r10]        # compare name with the entry's start
        ld8u  r12, [r9]
        beqz  r11, 3f
        bne   r11, r12, 4f
        addi  r10, r10, 1
        addi  r9, r9, 1
        jmp   2b
3:      li    r11, 61           # all of name matched: is '=' next?
        bne   r12, r11, 4f
        addi  r0, r9, 1
        ret
4:      addi  r8, r8, 8
        jmp   1b
9:      li    r0, 0
        ret
        .size getenv, . - getenv
