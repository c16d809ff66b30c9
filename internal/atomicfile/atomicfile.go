// Package atomicfile writes files so that a reader (or a crash) sees either
// the old contents or the complete new ones, never a partial file.
package atomicfile

import (
	"os"
	"path/filepath"
)

// write writes the data to the temporary file; tests replace it to inject
// failures.
var write = func(f *os.File, data []byte) error {
	_, err := f.Write(data)
	return err
}

// WriteFile writes data to the file name with permissions perm. The data
// goes to a temporary file in the same directory, which is synced, given
// perm (not filtered by the umask) and renamed over name. On any error the
// temporary file is removed and an existing file name is left untouched.
//
// If name is a symbolic link, the link itself is replaced. The directory is
// synced after the rename on a best-effort basis: once the rename has
// happened, WriteFile reports success.
func WriteFile(name string, data []byte, perm os.FileMode) (err error) {
	dir, base := filepath.Split(name)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	closed := false
	defer func() {
		if err != nil {
			if !closed {
				f.Close()
			}
			os.Remove(tmp)
		}
	}()
	if err = write(f, data); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Chmod(perm); err != nil {
		return err
	}
	closed = true
	if err = f.Close(); err != nil {
		return err
	}
	if err = os.Rename(tmp, name); err != nil {
		return err
	}
	if d, derr := os.Open(dir); derr == nil {
		d.Sync()
		d.Close()
	}
	return nil
}
