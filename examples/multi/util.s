# multi/util.s: the functions that are passed around, a counter they update
# (read by main.s through a pointer), and the output helpers.

        .text
        .global double_it, square, print_str, print_int, greeting, counter

# double_it(x) returns 2*x and counts the call.
double_it:
        add   r0, r0, r0
        jmp   count

# square(x) returns x*x and counts the call.
square:
        mul   r0, r0, r0
count:
        la    r8, counter
        ld64  r9, [r8]
        addi  r9, r9, 1
        st64  r9, [r8]
        ret

# print_str(s) writes the NUL-terminated string s to stdout.
print_str:
        mov   r1, r0
        mov   r2, r0
1:      ld8u  r3, [r2]
        beqz  r3, 2f
        addi  r2, r2, 1
        jmp   1b
2:      sub   r2, r2, r1
        li    r0, 1
        sys   1
        ret

# print_int(v) writes the signed decimal v and a newline to stdout.
print_int:
        enter 32
        mov   r3, fp
        li    r4, '\n'
        addi  r3, r3, -1
        st8   r4, [r3]
        li    r4, 0
        bge   r0, r4, 1f
        li    r4, 1
        neg   r0, r0
1:      li    r5, 10
2:      remu  r6, r0, r5
        addi  r6, r6, '0'
        addi  r3, r3, -1
        st8   r6, [r3]
        divu  r0, r0, r5
        bnez  r0, 2b
        beqz  r4, 3f
        li    r6, '-'
        addi  r3, r3, -1
        st8   r6, [r3]
3:      li    r0, 1
        mov   r1, r3
        sub   r2, fp, r3
        sys   1
        leave
        ret

        .data
counter:  .quad 0

        .rodata
greeting: .asciz "three modules, one image\n"
