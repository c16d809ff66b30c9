//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package objfmt

import (
	"errors"
	"os"
)

// mmapFile is not available here: MapFile reads the file instead.
func mmapFile(fh *os.File, size int) ([]byte, error) {
	return nil, errors.New("objfmt: mmap is not available")
}

// munmap is never called here: nothing is mapped.
func munmap(b []byte) error { return nil }
