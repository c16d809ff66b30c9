package stdlib

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSyscallWrappers: write, read, open, close, brk, sbrk, atol,
// vsprintf, vsnprintf, vfprintf and _exit (testdata/syscalls.s).
func TestSyscallWrappers(t *testing.T) {
	t.Parallel()
	p := testdata(t, "syscalls")
	p.stdin = "input\n"
	p.data = true
	runBoth(t, p, func(t *testing.T, r runResult) {
		require.Nil(t, r.trap)
		assert.Equal(t, 5, r.status, "_exit's status")
		assert.Equal(t, `write
write 6 -9
read 6 [input
] 0
open 1 write 13 close 0 -9
read back 13 [file contents] close 0
open errors -2 -13
brk 8192 8192 8192 0
atol -9000000000
vsprintf 4 [7,-8]
vsnprintf 4 [7,]
vfprintf 8
`, r.stdout, "no atexit handler runs after _exit")
		assert.Equal(t, "123+456\n", r.stderr)
	})
}
