# process.s: the process calls (system calls 19..22, docs/syscalls.md):
# spawn, wait, getpid, pipe. Each returns what the call returns, -errno on
# failure.

        .text
        .global spawn, wait, getpid, pipe

# int spawn(const char *path, char *const argv[], const long *fds): the
# child's pid. argv is NULL-terminated; fds is NULL (the child inherits
# fds 0, 1, 2) or the parent's fds to give the child as its 0, 1, 2.
spawn:
        sys   19
        ret

# int wait(int pid): the child's exit status (0..255; 134 if it trapped).
wait:
        sys   20
        ret

# int getpid(void)
getpid:
        sys   21
        ret

# int pipe(long fds[2]): 0; fds[0] is the read end, fds[1] the write end.
pipe:
        sys   22
        ret
