# syscalls.s: the system call wrappers write, read, open, close, brk and
# sbrk; atol; vfprintf, vsprintf and vsnprintf through va_list wrappers;
# _exit, which runs no atexit handler. Standard input is "input\n"; the
# directory /data is granted, empty. Heap addresses differ between links,
# so only the break's moves are printed.
        .text
        .global main
main:
        enter 160               # [fp-8..-32] saved, buf at fp-112, args at sp
        st64  r16, [fp - 8]
        st64  r17, [fp - 16]
        st64  r18, [fp - 24]
        st64  r19, [fp - 32]

        # write: to fd 1, and to an fd that is not open
        li    r0, 1
        la    r1, s_write
        li    r2, 6
        call  write
        mov   r16, r0
        li    r0, 77
        la    r1, s_write
        li    r2, 6
        call  write
        st64  r16, [sp]
        st64  r0, [sp + 8]
        la    r0, f_write
        call  printf

        # read: the whole input, then end of input
        li    r0, 0
        addi  r1, fp, -112
        li    r2, 64
        call  read
        mov   r16, r0
        li    r0, 0
        addi  r1, fp, -112
        li    r2, 64
        call  read
        st64  r16, [sp]
        addi  r8, fp, -112
        st64  r8, [sp + 8]
        st64  r0, [sp + 16]
        la    r0, f_read
        call  printf

        # open for writing (O_WRONLY|O_CREAT|O_TRUNC), write, close twice
        la    r0, path
        li    r1, 0x241
        li    r2, 0x1a4         # 0644
        call  open
        mov   r16, r0
        la    r1, s_file
        li    r2, 13
        call  write
        mov   r17, r0
        mov   r0, r16
        call  close
        mov   r18, r0
        mov   r0, r16
        call  close
        sgti  r8, r16, 2         # an fd, 3 or above
        st64  r8, [sp]
        st64  r17, [sp + 8]
        st64  r18, [sp + 16]
        st64  r0, [sp + 24]
        la    r0, f_open
        call  printf

        # open it again for reading, read it back
        la    r0, path
        li    r1, 0
        li    r2, 0
        call  open
        mov   r16, r0
        addi  r1, fp, -112
        li    r2, 64
        call  read
        mov   r17, r0
        mov   r0, r16
        call  close
        st64  r17, [sp]
        addi  r8, fp, -112
        st64  r8, [sp + 8]
        st64  r0, [sp + 16]
        la    r0, f_back
        call  printf

        # open errors: a missing file, a path outside the granted directory
        la    r0, missing
        li    r1, 0
        li    r2, 0
        call  open
        mov   r16, r0
        la    r0, outside
        li    r1, 0
        li    r2, 0
        call  open
        st64  r16, [sp]
        st64  r0, [sp + 8]
        la    r0, f_errs
        call  printf

        # brk and sbrk: query, move up 8192, below the heap (refused),
        # back down; every value relative to the first break
        li    r0, 0
        call  brk
        mov   r16, r0
        addi  r0, r16, 8192
        call  brk
        sub   r17, r0, r16
        li    r0, 4096
        call  brk
        sub   r18, r0, r16
        li    r0, 0
        call  sbrk
        sub   r19, r0, r16
        mov   r0, r16
        call  brk
        sub   r8, r0, r16
        st64  r17, [sp]
        st64  r18, [sp + 8]
        st64  r19, [sp + 16]
        st64  r8, [sp + 24]
        la    r0, f_brk
        call  printf

        # atol: 64 bits, not truncated to int
        la    r0, num
        call  atol
        st64  r0, [sp]
        la    r0, f_atol
        call  printf

        # vsprintf, vsnprintf (truncating), vfprintf to standard error
        addi  r0, fp, -112
        li    r1, 7
        li    r2, -8
        call  my_sprintf
        st64  r0, [sp]
        addi  r8, fp, -112
        st64  r8, [sp + 8]
        la    r0, f_vs
        call  printf
        addi  r0, fp, -112
        li    r1, 7
        li    r2, -8
        call  my_snprintf3
        st64  r0, [sp]
        addi  r8, fp, -112
        st64  r8, [sp + 8]
        la    r0, f_vsn
        call  printf
        li    r0, 123
        li    r1, 456
        call  my_eprintf
        st64  r0, [sp]
        la    r0, f_vf
        call  printf

        # _exit: no atexit handler runs
        la    r0, handler
        call  atexit
        li    r0, 5
        call  _exit
        li    r0, 99            # not reached
        leave
        ret

handler:
        enter 0
        la    r0, s_handler
        call  puts
        leave
        ret

# my_sprintf(buf, a, b): vsprintf(buf, "%d,%d", ap)
my_sprintf:
        enter 16
        st64  r1, [fp - 16]
        st64  r2, [fp - 8]
        la    r1, f_pair
        addi  r2, fp, -16
        call  vsprintf
        leave
        ret

# my_snprintf3(buf, a, b): vsnprintf(buf, 3, "%d,%d", ap), truncated
my_snprintf3:
        enter 16
        st64  r1, [fp - 16]
        st64  r2, [fp - 8]
        li    r1, 3
        la    r2, f_pair
        addi  r3, fp, -16
        call  vsnprintf
        leave
        ret

# my_eprintf(a, b): vfprintf(2, "%d+%d\n", ap)
my_eprintf:
        enter 16
        st64  r0, [fp - 16]
        st64  r1, [fp - 8]
        li    r0, 2
        la    r1, f_sum
        addi  r2, fp, -16
        call  vfprintf
        leave
        ret

        .rodata
s_write:   .ascii "write\n"
s_file:    .ascii "file contents"
s_handler: .asciz "handler"
path:      .asciz "/data/f.txt"
missing:   .asciz "/data/none"
outside:   .asciz "/etc/passwd"
num:       .asciz "  -9000000000x"
f_write:   .asciz "write %d %d\n"
f_read:    .asciz "read %d [%.6s] %d\n"
f_open:    .asciz "open %d write %d close %d %d\n"
f_back:    .asciz "read back %d [%.13s] close %d\n"
f_errs:    .asciz "open errors %d %d\n"
f_brk:     .asciz "brk %d %d %d %d\n"
f_atol:    .asciz "atol %ld\n"
f_pair:    .asciz "%d,%d"
f_sum:     .asciz "%d+%d\n"
f_vs:      .asciz "vsprintf %d [%s]\n"
f_vsn:     .asciz "vsnprintf %d [%s]\n"
f_vf:      .asciz "vfprintf %d\n"
