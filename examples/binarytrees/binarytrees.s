# binarytrees: the Benchmarks Game's binary-trees, in linkvm assembly.
#
# Allocates, walks and frees perfect binary trees. Each node is a block of
# a libstd arena, and a tree is freed all at once by resetting its arena,
# as the reference C programs do with APR pools and as the garbage
# collector of the Lua and Python peers frees a tree it no longer reaches:
#
#   max_depth = max(min_depth + 2, N)                    (min_depth = 4)
#   a "stretch" tree of depth max_depth + 1: build, check, free
#   a long-lived tree of depth max_depth, kept to the end, in an arena of
#   its own
#   for depth = 4, 6, ..., max_depth:
#       2^(max_depth - depth + 4) trees of that depth: build, check, free
#   check the long-lived tree (and free it)
#
# A node is two pointers, left and right, both NULL in a leaf; the check
# of a tree is its number of nodes, 1 + check(left) + check(right).
#
# N must be a whole number from 0 to 62 (beyond, the iteration count
# 2^max_depth does not fit in 64 bits): anything else prints the usage
# line and exits with 2. When the heap cannot hold the trees, the program
# says so and exits with 1.

        .equ  MIN_DEPTH, 4
        .equ  MAX_N, 62
        .equ  NODE_SIZE, 16     # struct node { node *left, *right; }
        .equ  LEFT, 0
        .equ  RIGHT, 8

        .text
        .global main

# int main(int argc, char **argv)
main:
        enter 80                # 6 saved registers above 3 printf slots
        st64  r16, [fp - 8]
        st64  r17, [fp - 16]
        st64  r18, [fp - 24]
        st64  r19, [fp - 32]
        st64  r20, [fp - 40]
        st64  r21, [fp - 48]
        call  parse_n
        li    r8, MAX_N
        bltu  r8, r0, .Lusage   # negative (huge unsigned) or above MAX_N
        li    r16, MIN_DEPTH + 2
        bge   r16, r0, 1f
        mov   r16, r0           # r16: max_depth = max(min_depth + 2, N)

1:      addi  r0, r16, 1        # the stretch tree, depth max_depth + 1
        call  bottom_up_tree
        call  item_check
        st64  r0, [sp + 8]
        addi  r8, r16, 1
        st64  r8, [sp]
        la    r0, fmt_stretch
        call  printf
        la    r0, trees
        call  arena_reset

        mov   r0, r16           # r17: the long-lived tree
        call  bottom_up_tree
        mov   r17, r0
        la    r8, trees         # it keeps the arena it was built in:
        la    r9, long_lived    # long_lived = trees, trees = {0}
        li    r10, 0
        ld64  r11, [r8]
        st64  r11, [r9]
        st64  r10, [r8]
        ld64  r11, [r8 + 8]
        st64  r11, [r9 + 8]
        st64  r10, [r8 + 8]
        ld64  r11, [r8 + 16]
        st64  r11, [r9 + 16]
        st64  r10, [r8 + 16]

        li    r18, MIN_DEPTH    # r18: depth
.Ldepth:
        blt   r16, r18, .Llong_lived
        sub   r8, r16, r18
        addi  r8, r8, MIN_DEPTH
        li    r19, 1
        shl   r19, r19, r8      # r19: iterations = 2^(max_depth - depth + min_depth)
        li    r20, 0            # r20: check, summed over the trees
        mov   r21, r19          # r21: trees still to build
2:      mov   r0, r18
        call  bottom_up_tree
        call  item_check
        add   r20, r20, r0
        la    r0, trees
        call  arena_reset
        addi  r21, r21, -1
        bnez  r21, 2b
        st64  r19, [sp]         # "%ld\t trees of depth %ld\t check: %ld\n"
        st64  r18, [sp + 8]
        st64  r20, [sp + 16]
        la    r0, fmt_trees
        call  printf
        addi  r18, r18, 2
        b     .Ldepth

.Llong_lived:
        mov   r0, r17
        call  item_check
        st64  r0, [sp + 8]
        st64  r16, [sp]
        la    r0, fmt_long_lived
        call  printf
        la    r0, long_lived
        call  arena_free
        la    r0, trees
        call  arena_free
        li    r0, 0
        b     .Lreturn

.Lusage:
        la    r0, usage_msg
        li    r1, 2
        call  fputs
        li    r0, 2
.Lreturn:
        ld64  r16, [fp - 8]
        ld64  r17, [fp - 16]
        ld64  r18, [fp - 24]
        ld64  r19, [fp - 32]
        ld64  r20, [fp - 40]
        ld64  r21, [fp - 48]
        leave
        ret

# node *bottom_up_tree(long depth): a perfect tree of the given depth,
# its nodes allocated from the arena trees.
bottom_up_tree:
        enter 16
        bnez  r0, 1f
        la    r0, trees         # a leaf
        li    r1, NODE_SIZE
        call  arena_alloc
        beqz  r0, out_of_memory
        li    r8, 0             # arena memory is not zeroed
        st64  r8, [r0 + LEFT]
        st64  r8, [r0 + RIGHT]
        leave
        ret
1:      st64  r16, [fp - 8]
        st64  r17, [fp - 16]
        addi  r16, r0, -1       # r16: the children's depth
        la    r0, trees
        li    r1, NODE_SIZE
        call  arena_alloc
        beqz  r0, out_of_memory
        mov   r17, r0           # r17: the node
        mov   r0, r16
        call  bottom_up_tree
        st64  r0, [r17 + LEFT]
        mov   r0, r16
        call  bottom_up_tree
        st64  r0, [r17 + RIGHT]
        mov   r0, r17
        ld64  r16, [fp - 8]
        ld64  r17, [fp - 16]
        leave
        ret

# long item_check(node *tree): the number of nodes of the tree.
item_check:
        ld64  r8, [r0 + LEFT]
        bnez  r8, 1f
        li    r0, 1
        ret
1:      enter 16
        st64  r16, [fp - 8]
        st64  r17, [fp - 16]
        ld64  r17, [r0 + RIGHT] # r17: the right subtree
        mov   r0, r8
        call  item_check
        mov   r16, r0           # r16: check(left)
        mov   r0, r17
        call  item_check
        add   r0, r0, r16
        addi  r0, r0, 1
        ld64  r16, [fp - 8]
        ld64  r17, [fp - 16]
        leave
        ret

# out_of_memory: arena_alloc failed. Says so on standard error and ends the
# process with status 1; branched to from any depth, it does not return.
        .type out_of_memory, @function
out_of_memory:
        la    r0, oom_msg
        li    r1, 2
        call  fputs
        li    r0, 1
        call  exit

# long parse_n(int argc, char **argv): N, the program's one argument, if
# it is a whole decimal number; else -1.
parse_n:
        enter 16
        li    r8, 2
        bne   r0, r8, 1f        # not exactly one argument
        ld64  r0, [r1 + 8]      # argv[1]
        st64  r0, [fp - 8]
        addi  r1, fp, -16       # &end
        li    r2, 10
        call  strtol
        ld64  r8, [fp - 16]     # end: after the last digit
        ld64  r9, [fp - 8]
        beq   r8, r9, 1f        # no digits at all
        ld8u  r8, [r8]
        beqz  r8, 2f            # nothing after them
1:      li    r0, -1
2:      leave
        ret

        .bss
        .align 8
trees:  .space 24               # struct arena: where bottom_up_tree allocates
long_lived:                     # struct arena: the long-lived tree's nodes
        .space 24

        .rodata
fmt_stretch:
        .asciz "stretch tree of depth %ld\t check: %ld\n"
fmt_trees:
        .asciz "%ld\t trees of depth %ld\t check: %ld\n"
fmt_long_lived:
        .asciz "long lived tree of depth %ld\t check: %ld\n"
usage_msg:
        .asciz "usage: binarytrees N\n"
oom_msg:
        .asciz "binarytrees: out of memory\n"
