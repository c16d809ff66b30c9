# sum: a child that adds 1..100 in a loop, prints the sum with libstd's
# printf and exits with status 2.
        .text
        .global main
main:
        enter 16
        li    r8, 0             # sum
        li    r9, 1             # i
        li    r10, 100
1:      add   r8, r8, r9
        addi  r9, r9, 1
        bge   r10, r9, 1b
        la    r0, fmt
        st64  r8, [sp]
        call  printf
        li    r0, 2
        leave
        ret
        .rodata
fmt:    .asciz "sum: 1 + 2 + ... + 100 = %d\n"
