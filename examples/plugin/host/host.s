# plugin host: loads each plugin named on the command line with dlopen,
# finds its entry point plugin_main with dlsym, calls it through the
# pointer, and unloads it with dlclose. Which code runs is decided at run
# time, by the arguments: the program was linked knowing none of it.
#
#   vmrun host.img ./hello.vso ./count.vso

        .text
        .global main
main:                           # main(argc, argv)
        enter 32
        st64  r16, [fp - 8]
        st64  r17, [fp - 16]
        st64  r18, [fp - 24]
        mov   r16, r0           # argc
        mov   r17, r1           # argv
        li    r18, 1            # i
next:
        bge   r18, r16, done
        shli  r8, r18, 3
        add   r8, r17, r8
        ld64  r0, [r8]          # argv[i]
        call  run_plugin
        bnez  r0, fail
        addi  r18, r18, 1
        jmp   next
done:
        li    r0, 0
        jmp   out
fail:
        li    r0, 1
out:
        ld64  r16, [fp - 8]
        ld64  r17, [fp - 16]
        ld64  r18, [fp - 24]
        leave
        ret

# run_plugin(path) loads path, calls its plugin_main(path) and unloads it;
# it returns 0, or 1 after printing dlerror's message.
run_plugin:
        enter 32
        st64  r16, [fp - 8]
        st64  r17, [fp - 16]
        mov   r17, r0           # path
        li    r1, 2             # RTLD_NOW
        call  dlopen
        beqz  r0, 1f
        mov   r16, r0           # handle
        la    r1, entry_name
        call  dlsym
        beqz  r0, 1f
        mov   r8, r0
        mov   r0, r17
        callr r8                # plugin_main(path)
        mov   r0, r16
        call  dlclose
        li    r0, 0
        jmp   2f
1:      call  dlerror
        mov   r8, r0
        la    r0, err_fmt
        st64  r8, [sp]          # variadic: on the stack
        call  printf
        li    r0, 1
2:      ld64  r16, [fp - 8]
        ld64  r17, [fp - 16]
        leave
        ret

        .rodata
entry_name: .asciz "plugin_main"
err_fmt:    .asciz "host: %s\n"
