# count plugin: counts how often it has been loaded in this process. Its
# counter lives in its private .data, which dlclose frees and the next
# dlopen creates afresh, so it always prints 1.
        .text
        .global plugin_main
plugin_main:
        enter 16
        la    r8, loads
        ld64  r9, [r8]
        addi  r9, r9, 1
        st64  r9, [r8]
        la    r0, fmt
        st64  r9, [sp]
        call  printf
        leave
        ret
        .data
loads:  .quad 0
        .rodata
fmt:    .asciz "count plugin: loaded %d time(s) in this process\n"
