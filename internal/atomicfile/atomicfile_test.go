package atomicfile

import (
	"errors"
	"fmt"
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

// A failure while writing, after any number of bytes, leaves the old file
// intact and no temporary file behind, and the error names the file.
func TestWriteFailureKeepsTarget(t *testing.T) {
	data := []byte("new contents")
	errFull := errors.New("disk full")
	saved := write
	t.Cleanup(func() { write = saved })
	for _, k := range []int{0, 1, len(data) / 2, len(data) - 1} {
		t.Run(fmt.Sprint(k), func(t *testing.T) {
			dir := t.TempDir()
			name := filepath.Join(dir, "out.vo")
			require.NoError(t, os.WriteFile(name, []byte("old contents"), 0o644))
			write = func(f *os.File, data []byte) error {
				// Write k bytes, then fail, as a full disk would.
				if _, err := f.Write(data[:k]); err != nil {
					return err
				}
				return errFull
			}

			err := WriteFile(name, data, 0o644)
			require.EqualError(t, err, "write "+name+": disk full")
			require.ErrorIs(t, err, errFull)
			got, err := os.ReadFile(name)
			require.NoError(t, err)
			require.Equal(t, "old contents", string(got))
			require.Equal(t, []string{"out.vo"}, names(t, dir))
		})
	}
}

// A failing rename (here: the target is a non-empty directory) removes
// the temporary file and leaves the target alone.
func TestRenameFailureRemovesTemp(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "out")
	require.NoError(t, os.Mkdir(target, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(target, "keep"), []byte("k"), 0o644))

	err := WriteFile(target, []byte("data"), 0o644)
	var pe *os.PathError
	require.ErrorAs(t, err, &pe)
	require.Equal(t, "rename", pe.Op)
	require.Equal(t, target, pe.Path)
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

// WriteBuffers writes its pieces one after the other, empty ones included.
func TestWriteBuffers(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "out.img")
	require.NoError(t, WriteBuffers(name, [][]byte{[]byte("head"), nil, []byte("-body-"), []byte("tail")}, 0o644))
	got, err := os.ReadFile(name)
	require.NoError(t, err)
	require.Equal(t, "head-body-tail", string(got))
	require.Equal(t, []string{"out.img"}, names(t, dir))
}

// A failure on a later piece, after earlier ones were written, leaves the
// old file intact and no temporary file behind.
func TestWriteBuffersFailureKeepsTarget(t *testing.T) {
	errFull := errors.New("disk full")
	saved := write
	t.Cleanup(func() { write = saved })
	calls := 0
	write = func(f *os.File, data []byte) error {
		if calls++; calls == 2 {
			return errFull
		}
		_, err := f.Write(data)
		return err
	}
	dir := t.TempDir()
	name := filepath.Join(dir, "out.vo")
	require.NoError(t, os.WriteFile(name, []byte("old contents"), 0o644))
	err := WriteBuffers(name, [][]byte{[]byte("new "), []byte("contents")}, 0o644)
	require.EqualError(t, err, "write "+name+": disk full")
	require.Equal(t, 2, calls)
	got, err := os.ReadFile(name)
	require.NoError(t, err)
	require.Equal(t, "old contents", string(got))
	require.Equal(t, []string{"out.vo"}, names(t, dir))
}
