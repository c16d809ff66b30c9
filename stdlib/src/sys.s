# sys.s: thin wrappers of the I/O system calls (docs/syscalls.md). Each
# returns what the call returns: a count or fd, or -errno on failure.

        .text
        .global write, read, open, close

# long write(int fd, const void *buf, long len)
write:
        sys   1
        ret

# long read(int fd, void *buf, long len)
read:
        sys   2
        ret

# int open(const char *path, int flags, int mode)
open:
        sys   3
        ret

# int close(int fd)
close:
        sys   4
        ret
