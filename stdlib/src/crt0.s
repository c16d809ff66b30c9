# crt0.s: the program entry point. _start(argc, argv) saves the arguments
# for argc() and argv(i), calls main(argc, argv) and passes its result to
# exit, which runs the atexit handlers and ends the process.

        .text
        .global _start
        .type _start, @function
_start:                         # r0 = argc, r1 = argv (docs/abi.md)
        ldpc  r8, __argc@got    # args.s reads them through the same slots
        st64  r0, [r8]
        ldpc  r8, __argv@got
        st64  r1, [r8]
        call  main
        call  exit              # exit(main's result); does not return
        halt
        .size _start, . - _start

        .data
        .align 8
        .global __argc, __argv
        .type __argc, @object
        .type __argv, @object
__argc: .quad 0                 # argc as _start received it
        .size __argc, 8
__argv: .quad 0                 # argv as _start received it
        .size __argv, 8
