# crt0.s: the program entry point. _start(argc, argv) records the
# arguments for argc() and argv(i) (args.s), calls main(argc, argv) and
# passes its result to exit, which runs the atexit handlers and ends the
# process.
#
# __argc and __argv are weak references: they do not pull args.s into a
# static link; when the program uses argc() or argv(), args.s is linked
# and defines them, and _start fills them in. They are reached through
# the GOT, so args.s may also live in a shared module.

        .text
        .global _start
        .type _start, @function
        .weak __argc, __argv
_start:                         # r0 = argc, r1 = argv (docs/abi.md)
        ldpc  r8, __argc@got    # 0 when args.s is not linked
        beqz  r8, 1f
        st64  r0, [r8]
        ldpc  r8, __argv@got
        st64  r1, [r8]
1:      call  main
        call  exit              # exit(main's result); does not return
        halt
        .size _start, . - _start
