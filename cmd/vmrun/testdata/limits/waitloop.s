# waitloop: spawns itself with an argument, which makes the child loop
# forever; writes "waiting" (flushed by wait) and waits for it. The
# child's loop is the first two instructions, so wherever an interrupt
# stops it (before its first instruction, or after a multiple of 2^24
# instructions, where the VM looks for interrupts) it is at _start.
        .text
        .global _start
_start:
1:      li    r8, 1
        blt   r8, r0, 1b        # the child loops here
        ld64  r0, [r1]          # spawn(argv[0], {argv[0], "child", 0}, NULL)
        la    r8, self
        st64  r0, [r8]
        la    r1, self
        li    r2, 0
        sys   19
        mov   r16, r0
        li    r0, 1
        la    r1, waiting
        li    r2, 8
        sys   1
        mov   r0, r16
        sys   20
        sys   0
        .rodata
waiting: .ascii "waiting\n"
        .data
self:   .quad 0, child, 0
child:  .asciz "child"
