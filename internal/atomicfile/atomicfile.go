// Package atomicfile writes files so that a reader (or a crash) sees either
// the old contents or the complete new ones, never a partial file.
package atomicfile

import (
	"errors"
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
// Errors are *os.PathErrors about name (the temporary file's name would
// mean nothing to the user), with the step that failed as Op: "create",
// "write", "sync", "chmod", "close" or "rename".
//
// If name is a symbolic link, the link itself is replaced. The directory is
// synced after the rename on a best-effort basis: once the rename has
// happened, WriteFile reports success.
func WriteFile(name string, data []byte, perm os.FileMode) error {
	return WriteBuffers(name, [][]byte{data}, perm)
}

// WriteBuffers is WriteFile with the data given in pieces, written one
// after the other, so that a caller need not copy them into one buffer.
func WriteBuffers(name string, bufs [][]byte, perm os.FileMode) (err error) {
	dir, base := filepath.Split(name)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp*")
	if err != nil {
		return about("create", name, err)
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
	for _, data := range bufs {
		if err = write(f, data); err != nil {
			return about("write", name, err)
		}
	}
	if err = f.Sync(); err != nil {
		return about("sync", name, err)
	}
	if err = f.Chmod(perm); err != nil {
		return about("chmod", name, err)
	}
	closed = true
	if err = f.Close(); err != nil {
		return about("close", name, err)
	}
	if err = os.Rename(tmp, name); err != nil {
		return about("rename", name, err)
	}
	if d, derr := os.Open(dir); derr == nil {
		d.Sync()
		d.Close()
	}
	return nil
}

// about returns err, an error about the temporary file, as an error about
// name: the *os.PathError or *os.LinkError naming the temporary file is
// replaced, its cause kept.
func about(op, name string, err error) error {
	var pe *os.PathError
	var le *os.LinkError
	switch {
	case errors.As(err, &pe):
		err = pe.Err
	case errors.As(err, &le):
		err = le.Err
	}
	return &os.PathError{Op: op, Path: name, Err: err}
}
