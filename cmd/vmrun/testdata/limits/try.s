# try: open(argv[1], atoi(argv[2]), 0644). If it fails, prints the error
# and exits 1. Opened read-only, the file's first 100 bytes are copied to
# standard output; otherwise "written\n" is written to it.
        .text
        .global main
main:
        enter 32
        st64  r16, [fp - 8]
        st64  r17, [fp - 16]
        st64  r18, [fp - 24]
        ld64  r16, [r1 + 8]     # path
        ld64  r0, [r1 + 16]
        call  atoi
        mov   r17, r0           # flags
        mov   r0, r16
        mov   r1, r17
        li    r2, 0644
        call  open
        li    r8, 0
        bge   r0, r8, 1f
        mov   r9, r0
        la    r0, openerr
        st64  r16, [sp]
        st64  r9, [sp + 8]
        call  printf
        li    r0, 1
        jmp   9f
1:      mov   r18, r0           # fd
        andi  r8, r17, 3
        bnez  r8, 2f
        mov   r0, r18           # read and copy
        la    r1, buf
        li    r2, 100
        call  read
        mov   r2, r0
        li    r0, 1
        la    r1, buf
        call  write
        li    r0, 0
        jmp   9f
2:      mov   r0, r18
        la    r1, text
        li    r2, 8
        call  write
        mov   r8, r0
        la    r0, wrote
        st64  r8, [sp]
        call  printf
        li    r0, 0
9:      ld64  r16, [fp - 8]
        ld64  r17, [fp - 16]
        ld64  r18, [fp - 24]
        leave
        ret
        .rodata
openerr: .asciz "open %s: error %ld\n"
wrote:  .asciz "write: %ld\n"
text:   .ascii "written\n"
        .bss
buf:    .space 100
