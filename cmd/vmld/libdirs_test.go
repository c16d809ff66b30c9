package main

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Tests see no default library directory, whatever is installed.
func init() { libDirs = func() []string { return nil } }

// TestDefaultLibDirsOnlyForLibraries: the default library directory (for
// a go-installed vmld, libstd built into the cache) is looked for only
// when a -l needs searching.
func TestDefaultLibDirsOnlyForLibraries(t *testing.T) {
	calls := 0
	saved := libDirs
	t.Cleanup(func() { libDirs = saved })
	dir := t.TempDir()
	libDirs = func() []string { calls++; return []string{dir} }

	a := write(t, dir, "a.vo", module("a.s", []string{"_start"}))
	status, _, stderr := vmld("-o", filepath.Join(dir, "a.img"), a)
	require.Equal(t, 0, status, stderr)
	assert.Zero(t, calls, "no -l: not looked for")

	status, _, stderr = vmld("-o", filepath.Join(dir, "b.img"), a, "-lnope")
	assert.Equal(t, 1, status)
	assert.Contains(t, stderr, ">>> tried "+filepath.Join(dir, "libnope.vso"), "the default directory is searched")
	assert.Equal(t, 1, calls)
}
