# process.s: argc/argv (from main's arguments and from the helpers),
# atexit handlers run in reverse by exit, the 33rd atexit fails, clock
# and time move forward. Exits with status 3 from inside a nested call.
        .text
        .global main

say:
        enter 16
        st64  r1, [sp]
        st64  r2, [sp + 8]
        call  printf
        leave
        ret

h1:     enter 0
        la    r0, s_h1
        call  puts
        leave
        ret
h2:     enter 0
        la    r0, s_h2
        call  puts
        leave
        ret
nop_handler:
        ret

main:
        enter 32
        st64  r16, [fp - 8]
        st64  r17, [fp - 16]
        mov   r16, r0           # argc
        mov   r17, r1           # argv
        mov   r1, r16
        la    r0, f_argc
        call  say
        call  argc
        mov   r1, r0
        la    r0, f_argc
        call  say
        li    r8, 0
        st64  r8, [fp - 24]
1:      ld64  r8, [fp - 24]
        bge   r8, r16, 2f
        shli  r9, r8, 3
        add   r9, r17, r9
        ld64  r2, [r9]          # argv[i] from main's argument
        mov   r1, r8
        la    r0, f_argv
        call  say
        ld64  r0, [fp - 24]
        call  argv              # and from the helper
        mov   r2, r0
        ld64  r1, [fp - 24]
        la    r0, f_argv
        call  say
        ld64  r8, [fp - 24]
        addi  r8, r8, 1
        st64  r8, [fp - 24]
        b     1b
2:      mov   r0, r16
        call  argv              # out of range: NULL
        mov   r1, r0
        la    r0, f_ptr
        call  say
        li    r0, -1
        call  argv
        mov   r1, r0
        la    r0, f_ptr
        call  say

        # clock is monotonic; time is after 2020
        call  clock
        mov   r16, r0
        call  clock
        sleu  r1, r16, r0
        la    r0, f_clock
        call  say
        addi  r0, fp, -32
        call  time
        ld64  r8, [fp - 32]
        seq   r2, r0, r8
        li    r8, 1577836800
        sltu  r1, r8, r0
        la    r0, f_time
        call  say

        # atexit: h1 then h2 registered, 30 no-ops, then one too many
        la    r0, h1
        call  atexit
        la    r0, h2
        call  atexit
        li    r16, 0
3:      la    r0, nop_handler
        call  atexit
        addi  r16, r16, 1
        li    r8, 30
        blt   r16, r8, 3b
        la    r0, nop_handler
        call  atexit
        mov   r1, r0
        la    r0, f_atexit
        call  say
        call  deep
        li    r0, 0
        leave
        ret

deep:   enter 0
        li    r0, 3
        call  exit              # h2 then h1 run, status 3

        .rodata
f_argc:   .asciz "argc %d\n"
f_argv:   .asciz "argv[%d] %s\n"
f_ptr:    .asciz "%p\n"
f_clock:  .asciz "clock monotonic %d\n"
f_time:   .asciz "time %d %d\n"
f_atexit: .asciz "atexit full %d\n"
s_h1:     .asciz "h1"
s_h2:     .asciz "h2"
