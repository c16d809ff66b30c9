package vm

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"
)

// The images a program spawns and the modules it dlopens by path are host
// files: the loader opens them, and the program only runs them. With
// Config.LoadRoot set, they must lie in that directory's tree, as the
// file system sandbox keeps open inside the granted directories.

// errOutsideLoadRoot is why a path outside Config.LoadRoot is refused.
var errOutsideLoadRoot = errors.New("outside the directory the program may load from")

// setLoadRoot records the real path of cfg.LoadRoot ("" allows any path).
func (p *Process) setLoadRoot(root string) error {
	if root == "" {
		return nil
	}
	abs, err := filepath.Abs(root)
	if err == nil {
		abs, err = filepath.EvalSymlinks(abs)
	}
	if err != nil {
		return fmt.Errorf("load root: %w", err)
	}
	p.loadRoot = abs
	return nil
}

// checkLoadPath reports whether the program may load the host file path
// (relative to the working directory): nil when no LoadRoot is set, when
// the file, its symbolic links followed, lies in the LoadRoot's tree, or
// when it does not exist (the loader then reports it as not found, with
// the paths it tried). Otherwise the error wraps fs.ErrPermission.
func (p *Process) checkLoadPath(path string) error {
	if p.loadRoot == "" {
		return nil
	}
	real, err := filepath.Abs(path)
	if err == nil {
		real, err = filepath.EvalSymlinks(real)
	}
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return err
	case real == p.loadRoot || strings.HasPrefix(real, p.loadRoot+string(filepath.Separator)) || p.loadRoot == string(filepath.Separator):
		return nil
	}
	return fmt.Errorf("%s: %w %s (%w)", path, errOutsideLoadRoot, p.loadRoot, fs.ErrPermission)
}
