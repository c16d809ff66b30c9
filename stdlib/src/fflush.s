# fflush.s: fflush(fd) asks the VM to write out what it buffers for fd
# (system call 15): 0, or -EBADF. fflush(-1) flushes every stream.

        .text
        .global fflush
fflush:
        sys   15
        ret
