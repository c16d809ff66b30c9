# big: a program with 2 MiB of zero-filled data, which does not fit in a
# 2 MiB memory limit beside the stack.
        .text
        .global _start
_start:
        li    r0, 0
        sys   0
        .bss
table:  .space 0x200000
