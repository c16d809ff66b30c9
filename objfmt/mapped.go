package objfmt

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"sync"
)

// Mapping is the contents of an object file, read-only, either
// memory-mapped from the file (on systems with mmap) or read into memory
// (elsewhere, or if mapping fails). Parse makes a File whose read-only
// image sections are slices of it, so that every OS process mapping the
// same file shares those pages through the OS page cache.
//
// The bytes are never written. A mapped file that is truncated or written
// in place while mapped makes the next access to a lost page fault
// (SIGBUS) and the process crash: tools replace files by renaming a new
// file over the old one (WriteFile, internal/atomicfile), which keeps the
// old inode and its pages alive for whoever has it mapped.
type Mapping struct {
	data   []byte
	mapped bool
	mu     sync.Mutex
	owned  bool // a File from Parse owns the mapping; Close leaves it
	closed bool
}

// MapFile returns the contents of the open file fh, whose size is size,
// memory-mapped read-only where possible and read otherwise. The caller
// closes the Mapping unless Parse succeeds; fh may be closed at once.
func MapFile(fh *os.File, size int64) (*Mapping, error) {
	if size < 0 || int64(int(size)) != size {
		return nil, fmt.Errorf("objfmt: bad file size %d", size)
	}
	if size > 0 {
		if b, err := mmapFile(fh, int(size)); err == nil {
			return &Mapping{data: b, mapped: true}, nil
		}
	}
	b := make([]byte, size)
	if _, err := io.ReadFull(io.NewSectionReader(fh, 0, size), b); err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
			return nil, errors.New("objfmt: the file became shorter while being read")
		}
		return nil, err
	}
	return &Mapping{data: b}, nil
}

// Bytes returns the file's contents. They are valid until Close or, once
// Parse has succeeded, while the File it returned is reachable; they must
// not be written.
func (m *Mapping) Bytes() []byte { return m.data }

// Mapped reports whether the contents are memory-mapped from the file
// (false: they were read into memory).
func (m *Mapping) Mapped() bool { return m.mapped }

// Close releases the contents unless a File from Parse owns them, in
// which case they are released when that File becomes unreachable.
// Close is idempotent.
func (m *Mapping) Close() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.owned || m.closed {
		return nil
	}
	m.closed = true
	b := m.data
	m.data = nil
	if m.mapped {
		return munmap(b)
	}
	return nil
}

// Parse parses the contents as NewFile does, with the same checks and
// errors. The Data of the read-only ALLOC PROGBITS sections of an image
// (those placed at page-aligned file offsets, which a loader maps in
// place) are slices of the Mapping; every other part of the File is a
// copy. On success the File owns the Mapping: it is unmapped (by a
// cleanup) once the File is unreachable, so a user of the sections' Data
// must keep the File reachable (a vm.Module does). On failure the
// Mapping still belongs to the caller.
//
// A fault while reading a mapped file that was truncated meanwhile is
// reported as an error, not a crash.
func (m *Mapping) Parse() (f *File, err error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed || m.owned {
		return nil, errors.New("objfmt: Parse of a closed or already parsed Mapping")
	}
	err = guardFault(func() error {
		var err error
		f, err = newFile(newBufReader(m.data, false)) // copies what the File keeps
		if err != nil {
			return err
		}
		return aliasReadOnly(f, m.data)
	})
	if err != nil {
		return nil, err
	}
	if m.mapped {
		m.owned = true
		runtime.AddCleanup(f, func(b []byte) { _ = munmap(b) }, m.data)
	}
	return f, nil
}

// guardFault runs fn, turning a memory fault (a page of a mapped file
// that no longer exists) into an error.
func guardFault(fn func() error) (err error) {
	old := debug.SetPanicOnFault(true)
	defer debug.SetPanicOnFault(old)
	defer func() {
		if r := recover(); r != nil {
			if re, ok := r.(interface{ Addr() uintptr }); ok {
				err = fmt.Errorf("objfmt: memory fault at %#x reading a mapped file (was it truncated?)", re.Addr())
				return
			}
			panic(r)
		}
	}()
	return fn()
}

// aliasReadOnly replaces the Data of f's read-only image sections, parsed
// from b, with slices of b. The header and section headers were checked
// by newFile.
func aliasReadOnly(f *File, b []byte) error {
	if !isImage(f.Type) {
		return nil
	}
	h := getHeader(b)
	k := 0
	for i := 1; i < int(h.Shnum); i++ {
		sh := getSectionHeader(b[h.Shoff+uint64(i)*SectionHeaderSize:])
		kind := SectionKind(sh.Kind)
		if kind != KindProgbits && kind != KindNobits {
			continue
		}
		if k >= len(f.Sections) {
			return errors.New("objfmt: internal error: section count mismatch")
		}
		s := f.Sections[k]
		k++
		if kind != KindProgbits || sh.Size == 0 || !mappedInPlace(f.Type, SectionFlags(sh.Flags)) {
			continue
		}
		s.Data = b[sh.Offset : sh.Offset+sh.Size : sh.Offset+sh.Size]
	}
	return nil
}

// OpenMapped opens the object file name with MapFile and parses it with
// Parse: the read-only sections of an image alias a read-only memory
// mapping of the file, released when the File becomes unreachable.
// Errors are as Open's.
func OpenMapped(name string) (*File, error) {
	fh, size, err := openRegular(name)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	m, err := MapFile(fh, size)
	if err != nil {
		return nil, err
	}
	f, err := m.Parse()
	if err != nil {
		m.Close()
		return nil, err
	}
	return f, nil
}
