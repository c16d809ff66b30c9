# abort.s: abort() writes "abort\n" to standard error and stops the
# program with user trap 6 (SIGABRT's number): vmrun flushes the output,
# prints the trap report with a backtrace and exits with status 134. The
# atexit handlers do not run.

        .text
        .global abort
abort:
        enter 0                 # a frame, so the backtrace shows the caller
        li    r0, 2
        la    r1, msg
        li    r2, 6
        sys   1
        trap  6

        .rodata
msg:    .ascii "abort\n"
