# hello plugin: its entry point greets whoever loaded it. Its calls to
# printf go through its PLT to libstd, bound when the plugin is loaded.
        .text
        .global plugin_main
plugin_main:                    # plugin_main(path)
        enter 16
        mov   r8, r0
        la    r0, fmt
        st64  r8, [sp]
        call  printf
        leave
        ret
        .rodata
fmt:    .asciz "hello plugin: loaded from %s\n"
