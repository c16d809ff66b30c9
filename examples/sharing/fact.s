# fact: a child that computes 1! .. 10! with a recursive function, prints
# each with libstd's printf and exits with status 3.
        .text
        .global main
main:
        enter 16
        st64  r16, [fp - 8]
        li    r16, 1            # n
1:      mov   r0, r16
        call  fact
        mov   r9, r0
        la    r0, fmt
        st64  r16, [sp]
        st64  r9, [sp + 8]
        call  printf
        addi  r16, r16, 1
        slei  r8, r16, 10
        bnez  r8, 1b
        li    r0, 3
        ld64  r16, [fp - 8]
        leave
        ret

# fact(n) = n * fact(n-1), fact(0) = 1
fact:
        enter 16
        st64  r16, [fp - 8]
        mov   r16, r0
        li    r0, 1
        beqz  r16, 1f
        addi  r0, r16, -1
        call  fact
        mul   r0, r0, r16
1:      ld64  r16, [fp - 8]
        leave
        ret
        .rodata
fmt:    .asciz "fact: %d! = %d\n"
