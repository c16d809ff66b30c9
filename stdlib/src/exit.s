# exit.s: exit, _exit and atexit. exit runs the handlers registered with
# atexit, most recent first, then ends the process with the exit system
# call, which flushes the output the VM buffers.

        .equ  MAX_ATEXIT, 32

        .text
        .global exit, _exit, atexit

# void exit(int status)
exit:
        enter 16
        mov   r16, r0           # r16: the status (never restored: no return)
1:      la    r8, count
        ld64  r9, [r8]
        beqz  r9, 2f
        addi  r9, r9, -1
        st64  r9, [r8]          # pop the handler first: a handler may call exit
        la    r10, handlers
        shli  r9, r9, 3
        add   r10, r10, r9
        ld64  r10, [r10]
        callr r10
        b     1b
2:      mov   r0, r16
        sys   0

# void _exit(int status): end the process at once, without the handlers.
_exit:
        sys   0

# int atexit(void (*fn)(void)): 0, or -1 when 32 handlers are registered.
atexit:
        la    r8, count
        ld64  r9, [r8]
        li    r10, MAX_ATEXIT
        bge   r9, r10, 1f
        la    r10, handlers
        shli  r11, r9, 3
        add   r10, r10, r11
        st64  r0, [r10]
        addi  r9, r9, 1
        st64  r9, [r8]
        li    r0, 0
        ret
1:      li    r0, -1
        ret

        .bss
        .align 8
count:    .zero 8
handlers: .zero 8 * MAX_ATEXIT
