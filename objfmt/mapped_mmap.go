//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package objfmt

import (
	"os"
	"syscall"
)

// mmapFile maps the first size bytes of fh read-only and shared (MAP_SHARED
// with PROT_READ: the pages are the OS page cache's, shared by every
// process mapping the file).
func mmapFile(fh *os.File, size int) ([]byte, error) {
	return syscall.Mmap(int(fh.Fd()), 0, size, syscall.PROT_READ, syscall.MAP_SHARED)
}

// munmap releases a mapping made by mmapFile.
func munmap(b []byte) error {
	return syscall.Munmap(b)
}
