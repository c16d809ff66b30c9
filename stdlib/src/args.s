# args.s: argc() and argv(i): the program's arguments, as crt0's _start
# recorded them in __argc and __argv (a program with its own _start gets
# 0 and NULL unless it stores them there itself).

        .text
        .global argc, argv

# long argc(void)
argc:
        ldpc  r8, __argc@got
        ld64  r0, [r8]
        ret

# char *argv(long i): argument i, or NULL if i is not in 0..argc-1.
argv:
        ldpc  r8, __argc@got
        ld64  r8, [r8]
        bgeu  r0, r8, 1f        # unsigned: a negative i is out of range too
        ldpc  r9, __argv@got
        ld64  r9, [r9]
        shli  r0, r0, 3
        add   r9, r9, r0
        ld64  r0, [r9]
        ret
1:      li    r0, 0
        ret

        .data
        .align 8
        .global __argc, __argv
        .type __argc, @object
        .type __argv, @object
__argc: .quad 0                 # argc, stored by _start
        .size __argc, 8
__argv: .quad 0                 # argv, stored by _start
        .size __argv, 8
