# env: prints its environment, the envp array main gets as its third
# argument, one variable a line, then what getenv says of HOME.
        .text
        .global main
main:
        enter 16
        st64  r16, [fp - 8]
        mov   r16, r2
1:      ld64  r0, [r16]
        beqz  r0, 2f
        call  puts
        addi  r16, r16, 8
        jmp   1b
2:      la    r0, home
        call  getenv
        bnez  r0, 3f
        la    r0, unset
3:      mov   r8, r0
        la    r0, fmt
        st64  r8, [sp]
        call  printf
        li    r0, 0
        ld64  r16, [fp - 8]
        leave
        ret
        .rodata
home:   .asciz "HOME"
unset:  .asciz "(unset)"
fmt:    .asciz "getenv(\"HOME\"): %s\n"
