# list.s: singly linked lists of longs, built with malloc and freed with
# free. A node is 16 bytes: its value at +0 (VALUE), the address of the
# next node at +8 (NEXT), 0 after the last one. The empty list is 0.
#
# list_map, list_filter and list_fold take a function pointer (the address
# of a function's first instruction) and call it with `callr`, as C calls
# through a pointer: the list code knows nothing of what it calls.

        .text
        .global list_range, list_map, list_filter, list_fold
        .global list_print, list_free, nodes_allocated

        .equ  VALUE, 0
        .equ  NEXT, 8

# node_new(value) returns a new node holding value, with no next node.
# Exits with status 1 when malloc fails.
node_new:
        enter 16
        st64  r16, [fp - 8]
        mov   r16, r0
        li    r0, 16
        call  malloc
        beqz  r0, 1f
        st64  r16, [r0 + VALUE]
        li    r8, 0
        st64  r8, [r0 + NEXT]
        la    r8, live          # one more node to free
        ld64  r9, [r8]
        addi  r9, r9, 1
        st64  r9, [r8]
        ld64  r16, [fp - 8]
        leave
        ret
1:      li    r0, 2
        la    r1, no_memory
        call  fprintf
        li    r0, 1
        call  exit

# list_range(lo, hi) returns the list lo, lo+1, ..., hi (empty if hi < lo),
# built from the back: each new node is put in front of the others.
list_range:
        enter 32
        st64  r16, [fp - 8]
        st64  r17, [fp - 16]
        st64  r18, [fp - 24]
        mov   r16, r0           # lo
        mov   r17, r1           # v: hi down to lo
        li    r18, 0            # the list so far
1:      blt   r17, r16, 2f
        mov   r0, r17
        call  node_new
        st64  r18, [r0 + NEXT]  # in front of the others
        mov   r18, r0
        addi  r17, r17, -1
        jmp   1b
2:      mov   r0, r18
        ld64  r16, [fp - 8]
        ld64  r17, [fp - 16]
        ld64  r18, [fp - 24]
        leave
        ret

# list_map(list, f) returns a new list holding f(v) for each value v of
# list, in the same order. r18 holds the address of the word where the
# next node's address goes: first the head of the new list ([fp - 32]),
# then the NEXT word of the last node added.
list_map:
        enter 32
        st64  r16, [fp - 8]
        st64  r17, [fp - 16]
        st64  r18, [fp - 24]
        mov   r16, r0           # the node being read
        mov   r17, r1           # f
        addi  r18, fp, -32
        li    r8, 0
        st64  r8, [r18]         # the new list is empty
1:      beqz  r16, 2f
        ld64  r0, [r16 + VALUE]
        callr r17               # r0 = f(v)
        call  node_new
        st64  r0, [r18]         # append the new node
        addi  r18, r0, NEXT
        ld64  r16, [r16 + NEXT]
        jmp   1b
2:      ld64  r0, [fp - 32]
        ld64  r16, [fp - 8]
        ld64  r17, [fp - 16]
        ld64  r18, [fp - 24]
        leave
        ret

# list_filter(list, keep) returns a new list of the values v of list for
# which keep(v) is not 0, in the same order (appended as in list_map).
list_filter:
        enter 32
        st64  r16, [fp - 8]
        st64  r17, [fp - 16]
        st64  r18, [fp - 24]
        mov   r16, r0
        mov   r17, r1           # keep
        addi  r18, fp, -32
        li    r8, 0
        st64  r8, [r18]
1:      beqz  r16, 3f
        ld64  r0, [r16 + VALUE]
        callr r17               # r0 = keep(v)
        beqz  r0, 2f
        ld64  r0, [r16 + VALUE] # kept: a new node with v
        call  node_new
        st64  r0, [r18]
        addi  r18, r0, NEXT
2:      ld64  r16, [r16 + NEXT]
        jmp   1b
3:      ld64  r0, [fp - 32]
        ld64  r16, [fp - 8]
        ld64  r17, [fp - 16]
        ld64  r18, [fp - 24]
        leave
        ret

# list_fold(list, f, acc) returns acc after acc = f(acc, v) for each value
# v of list, in order: list_fold(l, add, 0) sums l.
list_fold:
        enter 32
        st64  r16, [fp - 8]
        st64  r17, [fp - 16]
        st64  r18, [fp - 24]
        mov   r16, r0
        mov   r17, r1           # f
        mov   r18, r2           # acc
1:      beqz  r16, 2f
        mov   r0, r18
        ld64  r1, [r16 + VALUE]
        callr r17               # acc = f(acc, v)
        mov   r18, r0
        ld64  r16, [r16 + NEXT]
        jmp   1b
2:      mov   r0, r18
        ld64  r16, [fp - 8]
        ld64  r17, [fp - 16]
        ld64  r18, [fp - 24]
        leave
        ret

# list_print(label, list) prints label, padded to 14 columns, then the
# values, and a newline.
list_print:
        enter 16
        st64  r16, [fp - 8]
        mov   r16, r1
        st64  r0, [sp]
        la    r0, label_fmt
        call  printf
1:      beqz  r16, 2f
        ld64  r8, [r16 + VALUE]
        st64  r8, [sp]
        la    r0, value_fmt
        call  printf
        ld64  r16, [r16 + NEXT]
        jmp   1b
2:      li    r0, '\n'
        call  putchar
        ld64  r16, [fp - 8]
        leave
        ret

# list_free(list) frees every node of list and returns how many there were.
# The next node's address is read before the node is freed: free may
# overwrite a freed block (malloc.s keeps its free list in it).
list_free:
        enter 32
        st64  r16, [fp - 8]
        st64  r17, [fp - 16]
        mov   r16, r0
        li    r17, 0            # nodes freed
1:      beqz  r16, 2f
        mov   r0, r16
        ld64  r16, [r16 + NEXT]
        call  free
        addi  r17, r17, 1
        jmp   1b
2:      la    r8, live
        ld64  r9, [r8]
        sub   r9, r9, r17
        st64  r9, [r8]
        mov   r0, r17
        ld64  r16, [fp - 8]
        ld64  r17, [fp - 16]
        leave
        ret

# nodes_allocated() returns how many nodes are allocated and not yet freed.
nodes_allocated:
        la    r8, live
        ld64  r0, [r8]
        ret

        .data
live:   .quad 0                 # nodes allocated minus nodes freed

        .rodata
label_fmt: .asciz "%-14s"
value_fmt: .asciz " %ld"
no_memory: .asciz "linkedlist: out of memory\n"
