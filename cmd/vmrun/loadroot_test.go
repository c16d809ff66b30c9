package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSpawnOnlyFromTheImagesTree: a program spawns images from its own
// image's directory tree (docs/vmrun.md, "What a program may load"):
// a path outside it, directly, by .. or through a symbolic link, is
// -EACCES; one that does not exist is -ENOENT, as before.
func TestSpawnOnlyFromTheImagesTree(t *testing.T) {
	runit := limitsProg(t, "runit")
	dir := filepath.Dir(runit)
	// A child that exits with 7, inside the tree and outside it.
	var c prog
	c.fn("_start")
	c.exit(2, 7)
	child := c.file(t) // in another temporary directory
	inside := filepath.Join(dir, "sub", "child.img")
	require.NoError(t, os.MkdirAll(filepath.Dir(inside), 0o755))
	data, err := os.ReadFile(child)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(inside, data, 0o644))
	require.NoError(t, os.Symlink(child, filepath.Join(dir, "link.img")))
	require.NoError(t, os.Symlink(inside, filepath.Join(dir, "inlink.img")))
	rel, err := filepath.Rel(dir, child)
	require.NoError(t, err)

	for _, tc := range []struct{ path, out string }{
		{inside, "status 7"},
		{filepath.Join(dir, "inlink.img"), "status 7"},
		{filepath.Join(dir, "sub", "..", "sub", "child.img"), "status 7"},
		{child, "error -13"},
		{filepath.Join(dir, rel), "error -13"},
		{filepath.Join(dir, "link.img"), "error -13"},
		{"/etc/passwd", "error -13"},
		{filepath.Join(dir, "missing.img"), "error -2"},
	} {
		r := vmrun("", runit, tc.path)
		assert.Equal(t, result{"spawn " + tc.path + ": " + tc.out + "\n", "", 0}, r, tc.path)
	}
}
