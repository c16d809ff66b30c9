# heap: grows the heap by 5000 bytes, pushes 3 words deep inside a
# 64-byte frame, gives the heap back and exits: the peak is while both
# are in use.
        .text
        .global _start
_start:
        li    r0, 5000
        sys   6                 # sbrk(5000)
        call  deep
        li    r0, -5000
        sys   6                 # sbrk(-5000)
        li    r0, 0
        sys   0
deep:
        enter 64
        push  r0
        push  r0
        push  r0
        addi  sp, sp, 24
        leave
        ret
