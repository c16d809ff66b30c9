# read_line.s: long read_line(char *buf, long size): reads one line of
# standard input into buf, without its newline, NUL-terminated. At most
# size-1 bytes are stored; the rest of a longer line is read and dropped.
# Returns the line's full length (which may be size or more if it was
# cut), or -1 at end of input when nothing was read. A last line without
# a newline is still a line. Reads a byte at a time, so nothing is read
# past the newline (getchar continues where read_line stopped).

        .text
        .global read_line
read_line:
        enter 32
        st64  r16, [fp - 8]
        st64  r17, [fp - 16]
        st64  r18, [fp - 24]
        mov   r16, r0           # buf
        mov   r17, r1           # size
        li    r18, 0            # length so far
1:      li    r0, 0
        addi  r1, fp, -32
        li    r2, 1
        sys   2
        li    r8, 1
        bne   r0, r8, 3f        # end of input or error
        ld8u  r9, [fp - 32]
        li    r8, '\n'
        beq   r9, r8, 4f
        addi  r8, r17, -1
        bge   r18, r8, 2f       # full: drop the byte
        add   r8, r16, r18
        st8   r9, [r8]
2:      addi  r18, r18, 1
        b     1b
3:      bnez  r18, 4f
        li    r0, -1
        b     6f
4:      mov   r0, r18           # NUL after what was stored
        li    r8, 0
        bge   r8, r17, 6f       # size <= 0: nothing stored
        addi  r8, r17, -1
        blt   r18, r8, 5f
        mov   r18, r8
5:      add   r8, r16, r18
        li    r9, 0
        st8   r9, [r8]
6:      ld64  r16, [fp - 8]
        ld64  r17, [fp - 16]
        ld64  r18, [fp - 24]
        leave
        ret
