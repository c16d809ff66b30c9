# hog: allocates blocks of 1 MiB, writing into each, until malloc returns
# NULL, then says how many it got and exits 0.
        .text
        .global main
main:
        enter 16
        st64  r16, [fp - 8]
        li    r16, 0
1:      li    r0, 0x100000
        call  malloc
        beqz  r0, 2f
        st64  r16, [r0]
        addi  r16, r16, 1
        jmp   1b
2:      la    r0, fmt
        st64  r16, [sp]
        call  printf
        li    r0, 0
        ld64  r16, [fp - 8]
        leave
        ret
        .rodata
fmt:    .asciz "malloc returned NULL after %ld MiB\n"
