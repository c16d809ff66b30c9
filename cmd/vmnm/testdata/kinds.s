# kinds.s: one symbol of every kind vmnm tells apart.

        .global main, table, count, limit, ext_ptr
        .weak   fallback, maybe
        limit = 100             # global absolute: A

        .text
main:   call  helper            # helper: undefined, U
        call  maybe             # maybe: weak undefined, w
        call  local_fn
        ret
local_fn:                       # local function: t
        ret
fallback:                       # weak defined: W
        ret

        .rodata
table:  .quad 1, 2, 3           # global read-only: R
msg:    .asciz "x"              # local read-only: r

        .data
count:  .quad 0                 # global writable: D
state:  .quad 0                 # local writable: d
ext_ptr: .quad extern_obj       # extern_obj: undefined, U

        .bss
buf:    .zero 32                # local zero-filled: b
        .global pool
pool:   .zero 64                # global zero-filled: B
