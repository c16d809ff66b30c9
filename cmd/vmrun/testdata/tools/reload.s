# reload: loads first.vso, calls its function f and unloads it, then the
# same with second.vso: the tools (--count, --calls, --trace) must see
# the modules come and go. It calls greet of libgreet.vso once, to be a
# dynamic program. Exit status: f's results, 1 and 20.
        .text
        .global _start
_start:
        li    r0, 0
        call  greet
        la    r0, first
        call  load_call
        mov   r16, r0
        la    r0, second
        call  load_call
        add   r0, r0, r16
        sys   0                 # exit(f() + f())

# load_call(path): dlopen path, call its f, dlclose it; returns f's result.
load_call:
        enter 16
        st64  r16, [fp - 8]
        st64  r17, [fp - 16]
        li    r1, 2             # RTLD_NOW
        sys   10                # dlopen
        mov   r16, r0
        la    r1, fname
        sys   11                # dlsym(handle, "f")
        callr r0
        mov   r17, r0
        mov   r0, r16
        sys   12                # dlclose
        mov   r0, r17
        ld64  r17, [fp - 16]
        ld64  r16, [fp - 8]
        leave
        ret

        .rodata
first:  .asciz "./first.vso"
second: .asciz "./second.vso"
fname:  .asciz "f"
