# brk.s: the heap system calls (docs/syscalls.md).

        .text
        .global brk, sbrk

# void *brk(void *addr): the break after the call (brk(0) queries it).
brk:
        sys   5
        ret

# void *sbrk(long incr): the old break, or -ENOMEM (-12).
sbrk:
        sys   6
        ret
