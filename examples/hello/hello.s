# hello: the smallest complete linkvm program. It calls the write system
# call on stdout, then the exit system call; no library is involved.
#
#   vmas hello.s && vmld -o hello.img hello.vo && vmrun hello.img

        .text
        .global _start
_start:
        li    r0, 1             # fd 1: standard output
        la    r1, msg           # address of the bytes, pc-relative
        li    r2, msg_len       # how many bytes
        sys   1                 # write(1, msg, msg_len)
        li    r0, 0
        sys   0                 # exit(0)

        .rodata
msg:    .ascii "Hello, world!\n"
        .equ  msg_len, . - msg
