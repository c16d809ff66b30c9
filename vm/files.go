package vm

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"strings"
	"syscall"
)

// maxPath is the longest path open accepts, NUL excluded.
const maxPath = 4096

// grant is an opened DirGrant.
type grant struct {
	guest    string   // cleaned absolute guest path
	root     *os.Root // the host directory; opens cannot escape it
	readOnly bool
}

// fdTable is a process's open files. The standard streams are not host
// files: they only have a closed flag.
type fdTable struct {
	stdClosed [3]bool
	files     []*os.File // files[fd] for fd >= 3, nil if free; grown as needed
	max       int        // fds are below max (Config.MaxFiles)
	// host is the Host running the process, nil without one: files
	// shared with other processes (pipes, fds handed over by spawn) are
	// closed through it, when their last holder closes them.
	host *Host
}

// openGrants opens the host directories of dirs as os.Roots.
func (p *Process) openGrants(dirs []DirGrant) error {
	for _, d := range dirs {
		root, err := os.OpenRoot(d.Host)
		if err != nil {
			p.closeFiles()
			return fmt.Errorf("cannot grant directory %s: %w", d.Host, err)
		}
		p.grants = append(p.grants, grant{guest: cleanGuest(d.Guest), root: root, readOnly: d.ReadOnly})
	}
	return nil
}

// cleanGuest makes a guest path absolute and clean: "" and "." are "/",
// relative paths are relative to "/", and ".." cannot climb above "/".
func cleanGuest(g string) string {
	return path.Clean("/" + g)
}

// resolve finds the grant covering the guest path g (the longest matching
// Guest) and the path relative to its root.
func (p *Process) resolve(g string) (*grant, string, bool) {
	g = cleanGuest(g)
	var best *grant
	for i := range p.grants {
		gr := &p.grants[i]
		if gr.guest == "/" || g == gr.guest || strings.HasPrefix(g, gr.guest+"/") {
			if best == nil || len(gr.guest) > len(best.guest) {
				best = gr
			}
		}
	}
	if best == nil {
		return nil, "", false
	}
	rel := strings.TrimPrefix(strings.TrimPrefix(g, best.guest), "/")
	if rel == "" {
		rel = "."
	}
	return best, rel, true
}

// Guest open flags (Linux values).
const (
	oAccMode = 3
	oRdOnly  = 0
	oWrOnly  = 1
	oRdWr    = 2
	oCreat   = 0x40
	oTrunc   = 0x200
	oAppend  = 0x400
)

// openFile implements open: it returns the new fd or a negative errno.
func (p *Process) openFile(guestPath string, flags, mode uint64) int64 {
	if flags&^uint64(oAccMode|oCreat|oTrunc|oAppend) != 0 || flags&oAccMode == 3 {
		return -EINVAL
	}
	if guestPath == "" {
		return -ENOENT
	}
	gr, rel, ok := p.resolve(guestPath)
	if !ok {
		return -EACCES
	}
	writes := flags&oAccMode != oRdOnly || flags&(oCreat|oTrunc|oAppend) != 0
	if gr.readOnly && writes {
		return -EACCES
	}
	fd := p.files.free(3)
	if fd < 0 {
		return -EMFILE
	}
	var of int
	switch flags & oAccMode {
	case oRdOnly:
		of = os.O_RDONLY
	case oWrOnly:
		of = os.O_WRONLY
	case oRdWr:
		of = os.O_RDWR
	}
	if flags&oCreat != 0 {
		of |= os.O_CREATE
	}
	if flags&oTrunc != 0 {
		of |= os.O_TRUNC
	}
	if flags&oAppend != 0 {
		of |= os.O_APPEND
	}
	f, errno := openRegular(gr.root, rel, of, fs.FileMode(mode&0o777))
	if errno != 0 {
		return -errno
	}
	p.files.set(fd, f)
	return int64(fd)
}

// openRegular opens rel under root, refusing anything but a regular file:
// a directory is EISDIR, and a device, pipe or socket, which could block
// the process or reach beyond the granted directory, is EACCES. The file
// is looked at first (following symbolic links inside root), so that a
// named pipe is never opened, which would block until a writer came.
func openRegular(root *os.Root, rel string, flags int, mode fs.FileMode) (*os.File, int64) {
	fi, err := root.Stat(rel)
	switch {
	case err == nil && fi.IsDir():
		return nil, EISDIR
	case err == nil && !fi.Mode().IsRegular():
		return nil, EACCES
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		return nil, openErrno(err)
	}
	f, err := root.OpenFile(rel, flags, mode)
	if err != nil {
		return nil, openErrno(err)
	}
	// Replaced between the two looks: check what was opened.
	if fi, err := f.Stat(); err != nil || !fi.Mode().IsRegular() {
		f.Close()
		if err == nil && fi.IsDir() {
			return nil, EISDIR
		}
		return nil, EACCES
	}
	return f, 0
}

// file returns the host file of fd, or nil.
func (p *Process) file(fd int64) *os.File {
	if fd < 3 || fd >= int64(len(p.files.files)) {
		return nil
	}
	return p.files.files[fd]
}

// free returns the lowest free fd at or above from, or -1 if every fd
// below the table's limit is in use.
func (t *fdTable) free(from int) int {
	for fd := from; fd < t.max; fd++ {
		if fd >= len(t.files) || t.files[fd] == nil {
			return fd
		}
	}
	return -1
}

// set makes fd (which free returned) refer to f, growing the table.
func (t *fdTable) set(fd int, f *os.File) {
	if fd >= len(t.files) {
		n := min(max(2*len(t.files), fd+1, 16), t.max)
		t.files = append(t.files, make([]*os.File, n-len(t.files))...)
	}
	t.files[fd] = f
}

// closeFD implements close.
func (p *Process) closeFD(fd int64) int64 {
	if fd >= 0 && fd < 3 {
		if p.files.stdClosed[fd] {
			return -EBADF
		}
		p.files.stdClosed[fd] = true
		return 0
	}
	f := p.file(fd)
	if f == nil {
		return -EBADF
	}
	p.files.files[fd] = nil
	if err := p.files.closeFile(f); err != nil {
		return -EIO
	}
	return 0
}

// closeFiles closes every host file and granted directory.
func (p *Process) closeFiles() {
	for i, f := range p.files.files {
		if f != nil {
			p.files.closeFile(f)
			p.files.files[i] = nil
		}
	}
	for _, g := range p.grants {
		g.root.Close()
	}
	p.grants = nil
}

// openErrno maps a host error from opening a file to an errno. Anything
// unrecognised, including an attempt to leave the granted directory
// through ".." or a symbolic link, is EACCES.
func openErrno(err error) int64 {
	switch {
	case errors.Is(err, fs.ErrNotExist), errors.Is(err, syscall.ENOTDIR):
		return ENOENT
	case errors.Is(err, fs.ErrExist):
		return EEXIST
	case errors.Is(err, syscall.EISDIR):
		return EISDIR
	case errors.Is(err, syscall.EMFILE), errors.Is(err, syscall.ENFILE):
		return EMFILE
	case errors.Is(err, syscall.EINVAL):
		return EINVAL
	}
	return EACCES
}

// ioErrno maps a host error from reading or writing a file to an errno.
func ioErrno(err error) int64 {
	switch {
	case errors.Is(err, ErrHostInterrupted), errors.Is(err, os.ErrDeadlineExceeded):
		return EINTR // Host.Interrupt
	case errors.Is(err, syscall.EBADF), errors.Is(err, os.ErrClosed):
		return EBADF
	case errors.Is(err, syscall.EISDIR):
		return EISDIR
	case errors.Is(err, syscall.EINVAL):
		return EINVAL
	}
	return EIO
}
