# multi/main.s: the program. It calls into ops.s and util.s, passes util.s's
# functions as function pointers, and holds a pointer to util.s's data.

        .text
        .global _start
_start:
        enter 16
        st64  r16, [fp - 8]
        # apply(double_it, 21): a function pointer to another module.
        la    r0, double_it
        li    r1, 21
        call  apply
        mov   r16, r0
        la    r0, msg_double
        call  print_str
        mov   r0, r16
        call  print_int
        # apply_named(1, 12) looks up square in ops.s's table of pointers.
        li    r0, 1
        li    r1, 12
        call  apply_named
        mov   r16, r0
        la    r0, msg_square
        call  print_str
        mov   r0, r16
        call  print_int
        # counter_ptr (our data) points at util.s's counter.
        la    r8, counter_ptr
        ld64  r8, [r8]
        ld64  r0, [r8]
        mov   r16, r0
        la    r0, msg_counter
        call  print_str
        mov   r0, r16
        call  print_int
        la    r0, greeting      # a string defined in util.s
        call  print_str
        ld64  r16, [fp - 8]
        leave
        li    r0, 0
        sys   0

        .data
        .global counter_ptr
counter_ptr:
        .quad counter           # absolute address of util.s's object

        .rodata
msg_double:  .asciz "apply(double_it, 21) = "
msg_square:  .asciz "apply_named(square, 12) = "
msg_counter: .asciz "calls counted by util.s: "
