package dynld

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"linkvm/objfmt"
)

// NotFoundError says that no file for a needed module was found.
type NotFoundError struct {
	// Name is the module as it was asked for: a soname or a path.
	Name string
	// NeededBy names the module (or "VM_PRELOAD") that needs it.
	NeededBy string
	// Tried lists every path tried, in order.
	Tried []string
}

// Error returns "cannot find NAME, needed by MOD; searched: PATH, PATH...".
func (e *NotFoundError) Error() string {
	return fmt.Sprintf("cannot find %s, needed by %s; searched: %s", e.Name, e.NeededBy, triedList(e.Tried))
}

// triedList joins the paths tried for a message.
func triedList(tried []string) string {
	if len(tried) == 0 {
		return "no directories"
	}
	return strings.Join(tried, ", ")
}

// IncompatibleError says that the file found for a needed soname is
// another major version (or another module).
type IncompatibleError struct {
	// Name is the soname asked for, such as "libgreet.vso.1".
	Name string
	// Path is the file found.
	Path string
	// Version is the found module's version, such as "2.0".
	Version string
	// Soname is the found module's soname, such as "libgreet.vso.2".
	Soname string
}

// Error returns "NAME: PATH has version V (soname S), incompatible".
func (e *IncompatibleError) Error() string {
	return fmt.Sprintf("%s: %s has version %s (soname %s), incompatible", e.Name, e.Path, e.Version, e.Soname)
}

// searchGroup is one part of the search order: a list of directories and
// where it comes from, for VM_DEBUG.
type searchGroup struct {
	dirs []string
	from string // "RUNPATH from file prog.img", "VM_LIBRARY_PATH", "system search path"
}

// searchOrder returns the directories searched for a module needed by
// from (nil for preloads and Tree roots): from's runpath with $ORIGIN
// expanded, VM_LIBRARY_PATH, the default directories.
func (l *linker) searchOrder(from *module) []searchGroup {
	var groups []searchGroup
	if from != nil && from.file.Dynamic != nil && len(from.file.Dynamic.Runpath) > 0 {
		origin := filepath.Dir(from.abs)
		var dirs []string
		for _, d := range from.file.Dynamic.Runpath {
			d = strings.ReplaceAll(d, "${ORIGIN}", origin)
			d = strings.ReplaceAll(d, "$ORIGIN", origin)
			if d != "" {
				dirs = append(dirs, d)
			}
		}
		groups = append(groups, searchGroup{dirs, "RUNPATH from file " + from.name})
	}
	if len(l.cfg.LibraryPath) > 0 {
		groups = append(groups, searchGroup{l.cfg.LibraryPath, "VM_LIBRARY_PATH"})
	}
	if len(l.cfg.DefaultLibDirs) > 0 {
		groups = append(groups, searchGroup{l.cfg.DefaultLibDirs, "system search path"})
	}
	return groups
}

// fileNames returns the file names tried in each directory for a needed
// soname: the soname itself, then, for "libX.vso.MAJOR", "libX.vso".
func fileNames(name string) []string {
	if base, ok := unversioned(name); ok {
		return []string{name, base}
	}
	return []string{name}
}

// unversioned splits "libX.vso.MAJOR" into "libX.vso"; ok is false for a
// name without a numeric major-version suffix.
func unversioned(name string) (string, bool) {
	i := strings.LastIndexByte(name, '.')
	if i <= 0 || i == len(name)-1 {
		return "", false
	}
	for _, c := range name[i+1:] {
		if c < '0' || c > '9' {
			return "", false
		}
	}
	if !strings.HasSuffix(name[:i], ".vso") {
		return "", false
	}
	return name[:i], true
}

// search finds the file of the module name needed by from (nil: a preload
// or dlopen without runpath), neededBy naming the requester in messages.
// It returns the path as tried and the parsed image. A name containing
// '/' is the path itself. A file that exists but cannot be read or is not
// a shared module stops the search with an error naming it; a module of
// another major version is skipped, and reported if nothing else is found.
func (l *linker) search(name string, from *module, neededBy string) (string, *image, error) {
	if strings.ContainsRune(name, '/') {
		img, err := l.tryFile(name, name, false)
		if err != nil {
			return "", nil, err
		}
		if img == nil {
			return "", nil, &NotFoundError{Name: name, NeededBy: neededBy, Tried: []string{name}}
		}
		return name, img, nil
	}
	l.dbg.libs("find library=%s [0]; searching", name)
	var tried []string
	var incompatible error
	for _, g := range l.searchOrder(from) {
		l.dbg.libs(" search path=%s\t\t(%s)", strings.Join(g.dirs, ":"), g.from)
		for _, dir := range g.dirs {
			for _, file := range fileNames(name) {
				path := filepath.Join(dir, file)
				tried = append(tried, path)
				l.dbg.libs("  trying file=%s", path)
				img, err := l.tryFile(name, path, true)
				var inc *IncompatibleError
				switch {
				case errors.As(err, &inc):
					if incompatible == nil {
						incompatible = err
					}
					continue
				case err != nil:
					l.dbg.libs("")
					return "", nil, err
				case img != nil:
					l.dbg.libs("")
					return path, img, nil
				}
			}
		}
	}
	l.dbg.libs("")
	if incompatible != nil {
		return "", nil, incompatible
	}
	return "", nil, &NotFoundError{Name: name, NeededBy: neededBy, Tried: tried}
}

// tryFile opens path for the module name. It returns nil, nil if there is
// no such file; an error if it cannot be read or is not a shared module
// (the error names name and path), or, when check is set and name carries
// a major version, if its soname is not name.
func (l *linker) tryFile(name, path string, check bool) (*image, error) {
	fi, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) || (err == nil && fi.IsDir()) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %s: %w", name, path, cause(err))
	}
	img, err := l.cache.open(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, nil // removed between stat and open
		}
		return nil, fmt.Errorf("%s: %s: %w", name, path, err)
	}
	f := img.file
	if f.Type != objfmt.TypeShared {
		return nil, fmt.Errorf("%s: %s is not a shared module (type %s)", name, path, f.Type)
	}
	if f.Dynamic == nil {
		return nil, fmt.Errorf("%s: %s has no dynamic section", name, path)
	}
	if _, versioned := unversioned(name); check && versioned && f.Dynamic.Soname != name {
		return nil, &IncompatibleError{Name: name, Path: path, Version: f.Dynamic.Version, Soname: f.Dynamic.Soname}
	}
	return img, nil
}

// cause returns the underlying error of a *fs.PathError (whose message
// repeats the path), or err itself.
func cause(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
