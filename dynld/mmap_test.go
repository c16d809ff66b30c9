package dynld

import (
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"linkvm/internal/atomicfile"
	"linkvm/objfmt"
)

// mappedFrom returns the path of the file whose mapping in this OS process
// holds the address of b's first byte, from /proc/self/maps ("" if
// none: anonymous or Go heap memory).
func mappedFrom(t *testing.T, b []byte) string {
	t.Helper()
	maps, err := os.ReadFile("/proc/self/maps")
	require.NoError(t, err)
	addr := uint64(uintptr(unsafe.Pointer(unsafe.SliceData(b))))
	for _, line := range strings.Split(string(maps), "\n") {
		f := strings.Fields(line)
		if len(f) < 6 {
			continue
		}
		lo, hi, ok := strings.Cut(f[0], "-")
		if !ok {
			continue
		}
		l, err1 := strconv.ParseUint(lo, 16, 64)
		h, err2 := strconv.ParseUint(hi, 16, 64)
		if err1 == nil && err2 == nil && l <= addr && addr < h {
			return strings.Join(f[5:], " ")
		}
	}
	return ""
}

// TestCacheMapsModules: the default cache parses a module from a read-only
// mapping of its file: the code and read-only data are the file's pages,
// the writable data private copies, and a module replaced by rename
// leaves the old mapping intact for those who hold it.
func TestCacheMapsModules(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("reads /proc/self/maps")
	}
	dir := t.TempDir()
	lib := writeModule(t, dir, "libgreet.vso", greetLib(t, "1.0", "one\n"))
	prog := writeModule(t, dir, "prog.img", greetProg(t, "$ORIGIN").build())
	real, err := filepath.EvalSymlinks(lib)
	require.NoError(t, err)
	old, err := os.ReadFile(lib)
	require.NoError(t, err)

	c := NewCache(nil)
	img, err := c.open(lib)
	require.NoError(t, err)
	want, err := objfmt.Parse(old)
	require.NoError(t, err)
	assert.Equal(t, want, img.file)
	mapped := 0
	for _, s := range img.file.Sections {
		if len(s.Data) == 0 {
			continue
		}
		if s.Flags&objfmt.FlagWrite == 0 {
			mapped++
			assert.Equal(t, real, mappedFrom(t, s.Data), "%s is mapped from the file", s.Name)
		} else {
			assert.Empty(t, mappedFrom(t, s.Data), "%s is a private copy", s.Name)
		}
	}
	assert.NotZero(t, mapped)
	again, err := c.open(lib)
	require.NoError(t, err)
	assert.Same(t, img.file, again.file, "the same file version is the same cached File")

	r := runProg(t, prog, Config{Cache: c})
	require.NoError(t, r.err)
	assert.Equal(t, "one\none\ndone\n", r.stdout)

	// Replace the module by rename, as the tools do.
	newer, err := greetLib(t, "1.1", "two\n").Encode()
	require.NoError(t, err)
	require.NoError(t, atomicfile.WriteFile(lib, newer, 0o644))
	r = runProg(t, prog, Config{Cache: c})
	require.NoError(t, r.err)
	assert.Equal(t, "two\ntwo\ndone\n", r.stdout)
	assert.Equal(t, want, img.file, "the old module's mapped bytes are unchanged")
	runtime.KeepAlive(img)
}
