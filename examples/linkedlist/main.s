# linkedlist: builds the list 1..10 with malloc, makes new lists from it
# by mapping and filtering it through function pointers (list.s calls them
# with callr), sums one with a fold, prints them all and frees every node.
# See README.md.

        .text
        .global main
main:
        enter 48
        st64  r16, [fp - 8]
        st64  r17, [fp - 16]
        st64  r18, [fp - 24]
        st64  r19, [fp - 32]
        li    r0, 1
        li    r1, 10
        call  list_range
        mov   r16, r0           # numbers: 1..10
        li    r19, 0            # nodes freed
        la    r0, numbers_label
        mov   r1, r16
        call  list_print

        # Each entry of the maps table is a label and a function pointer:
        # the same loop maps the numbers through each function in turn.
        la    r17, maps
1:      ld64  r8, [r17]
        beqz  r8, 2f            # the 0 that ends the table
        mov   r0, r16
        ld64  r1, [r17 + 8]     # the function
        call  list_map
        mov   r18, r0
        ld64  r0, [r17]         # its label
        mov   r1, r18
        call  list_print
        mov   r0, r18
        call  list_free
        add   r19, r19, r0
        addi  r17, r17, 16
        jmp   1b

        # A pipeline: square the numbers, keep the even squares, sum them.
2:      mov   r0, r16
        la    r1, square
        call  list_map
        mov   r17, r0
        la    r1, is_even
        call  list_filter
        mov   r18, r0
        la    r0, evens_label
        mov   r1, r18
        call  list_print
        mov   r0, r18
        la    r1, add
        li    r2, 0
        call  list_fold
        st64  r0, [sp]
        la    r0, sum_fmt
        call  printf

        mov   r0, r16           # free the three lists still allocated
        call  list_free
        add   r19, r19, r0
        mov   r0, r17
        call  list_free
        add   r19, r19, r0
        mov   r0, r18
        call  list_free
        add   r19, r19, r0
        call  nodes_allocated
        st64  r19, [sp]
        st64  r0, [sp + 8]
        la    r0, freed_fmt
        call  printf
        li    r0, 0
        ld64  r16, [fp - 8]
        ld64  r17, [fp - 16]
        ld64  r18, [fp - 24]
        ld64  r19, [fp - 32]
        leave
        ret

# The functions passed around: leaves, called with callr.

# square(v) returns v*v.
square:
        mul   r0, r0, r0
        ret

# cube(v) returns v*v*v.
cube:
        mul   r1, r0, r0
        mul   r0, r1, r0
        ret

# negate(v) returns -v.
negate:
        neg   r0, r0
        ret

# is_even(v) returns 1 if v is even, else 0.
is_even:
        andi  r0, r0, 1
        xori  r0, r0, 1
        ret

# add(a, b) returns a+b.
add:
        add   r0, r0, r1
        ret

        .data
        .align 8
maps:   .quad square_label, square
        .quad cube_label, cube
        .quad negate_label, negate
        .quad 0

        .rodata
numbers_label: .asciz "numbers:"
square_label:  .asciz "squares:"
cube_label:    .asciz "cubes:"
negate_label:  .asciz "negated:"
evens_label:   .asciz "even squares:"
sum_fmt:       .asciz "sum of the even squares: %ld\n"
freed_fmt:     .asciz "freed %ld nodes; %ld still allocated\n"
