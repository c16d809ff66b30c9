package atomicfile

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// names lists the entries of dir.
func names(t *testing.T, dir string) []string {
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	var ns []string
	for _, e := range entries {
		ns = append(ns, e.Name())
	}
	return ns
}

func TestWriteFile(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "out.img")
	require.NoError(t, WriteFile(name, []byte("first"), 0o755))
	got, err := os.ReadFile(name)
	require.NoError(t, err)
	require.Equal(t, "first", string(got))
	fi, err := os.Stat(name)
	require.NoError(t, err)
	require.Equal(t, os.FileMode(0o755), fi.Mode().Perm())

	// Replacing an existing file takes the new mode too.
	require.NoError(t, WriteFile(name, []byte("second"), 0o600))
	got, err = os.ReadFile(name)
	require.NoError(t, err)
	require.Equal(t, "second", string(got))
	fi, err = os.Stat(name)
	require.NoError(t, err)
	require.Equal(t, os.FileMode(0o600), fi.Mode().Perm())
	require.Equal(t, []string{"out.img"}, names(t, dir))
}

func TestWriteFileRelativeName(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	require.NoError(t, WriteFile("rel.vo", []byte("x"), 0o644))
	got, err := os.ReadFile(filepath.Join(dir, "rel.vo"))
	require.NoError(t, err)
	require.Equal(t, "x", string(got))
	require.Equal(t, []string{"rel.vo"}, names(t, dir))
}

// A failure while writing leaves the old file intact and no temporary
// file behind.
func TestWriteFailureKeepsTarget(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "out.vo")
	require.NoError(t, os.WriteFile(name, []byte("old contents"), 0o644))

	errFull := errors.New("disk full")
	saved := write
	t.Cleanup(func() { write = saved })
	write = func(f *os.File, data []byte) error {
		// Write part of the data, then fail, as a full disk would.
		if _, err := f.Write(data[:3]); err != nil {
			return err
		}
		return errFull
	}

	err := WriteFile(name, []byte("new contents"), 0o644)
	require.ErrorIs(t, err, errFull)
	got, err := os.ReadFile(name)
	require.NoError(t, err)
	require.Equal(t, "old contents", string(got))
	require.Equal(t, []string{"out.vo"}, names(t, dir))
}

// A failing rename (here: the target is a non-empty directory) removes
// the temporary file and leaves the target alone.
func TestRenameFailureRemovesTemp(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "out")
	require.NoError(t, os.Mkdir(target, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(target, "keep"), []byte("k"), 0o644))

	err := WriteFile(target, []byte("data"), 0o644)
	var le *os.LinkError
	require.ErrorAs(t, err, &le)
	require.Equal(t, "rename", le.Op)
	require.Equal(t, []string{"out"}, names(t, dir))
	require.Equal(t, []string{"keep"}, names(t, target))
}

// Without a writable directory no temporary file can be made; the error
// names the directory and nothing changes.
func TestMissingDirectory(t *testing.T) {
	dir := t.TempDir()
	err := WriteFile(filepath.Join(dir, "nope", "out"), []byte("data"), 0o644)
	require.ErrorIs(t, err, os.ErrNotExist)
	require.Empty(t, names(t, dir))
}
