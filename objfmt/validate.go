package objfmt

import (
	"errors"
	"fmt"
	"math"
	"strings"
)

// This file holds the rules a File must follow to be encoded. The reader
// enforces the same rules on the disk form (read.go), so that every File
// that Parse returns can be encoded again.

// knownFlags are the section flags defined by version 1.
const knownFlags = FlagAlloc | FlagWrite | FlagExec

// maxAlign is the largest alignment the 32-bit disk field can hold.
const maxAlign = 1 << 31

// maxLineOffset is the largest Line.Offset the 32-bit disk field can hold.
const maxLineOffset = math.MaxUint32

// maxCount bounds the number of disk sections and of symbol records, which
// are counted and indexed by 32-bit fields.
const maxCount = math.MaxUint32

func isPow2(a uint64) bool { return a != 0 && a&(a-1) == 0 }

func isImage(t Type) bool { return t == TypeExec || t == TypeShared }

// mappedInPlace reports whether a section with these flags is one a loader
// maps from the file and shares between processes: a read-only loaded
// section of an image. Its file offset is a multiple of PageSize. Writable
// sections are copied into each process, so they need no such alignment.
func mappedInPlace(t Type, fl SectionFlags) bool {
	return isImage(t) && fl&FlagAlloc != 0 && fl&FlagWrite == 0
}

// placeSize returns the number of bytes a relocation of kind k patches,
// counted from Reloc.Offset (the whole instruction word for the INSN
// kinds), and whether k is a known kind.
func placeSize(k RelocKind) (uint64, bool) {
	switch k {
	case RelNone:
		return 0, true
	case RelAbs64, RelInsnPC, RelInsnAbs, RelInsnGot, RelInsnPLT:
		return 8, true
	case RelAbs32, RelPC32:
		return 4, true
	}
	return 0, false
}

// validateShape and validateContents report the first reason f cannot be
// encoded, or nil.

// validateShape checks what must hold before f can be walked at all: the
// type, the counts and that no section is nil.
func (f *File) validateShape() error {
	if f == nil {
		return errors.New("objfmt: nil File")
	}
	if f.Type < TypeRel || f.Type > TypeShared {
		return fmt.Errorf("objfmt: unknown file type %d", uint16(f.Type))
	}
	// Count the disk sections: null, content, RELOC, LINES, SYMTAB, STRTAB.
	nsec := uint64(2 + len(f.Sections))
	for _, s := range f.Sections {
		if s != nil && len(s.Relocs) > 0 {
			nsec++
		}
		if s != nil && len(s.Lines) > 0 {
			nsec++
		}
	}
	if len(f.Symbols) > 0 {
		nsec++
	}
	if nsec > maxCount {
		return fmt.Errorf("objfmt: too many sections (%d on disk)", nsec)
	}
	if uint64(len(f.Symbols)) >= maxCount {
		return fmt.Errorf("objfmt: too many symbols (%d)", len(f.Symbols))
	}
	for i, s := range f.Sections {
		if s == nil {
			return fmt.Errorf("objfmt: section %d is nil", i)
		}
	}
	return nil
}

// validateContents checks the sections (of a File that passed
// validateShape), the symbols and the dynamic-linking information.
func (f *File) validateContents() error {
	for i, s := range f.Sections {
		if err := f.validateSection(s); err != nil {
			return fmt.Errorf("objfmt: section %d (%q): %w", i, s.Name, err)
		}
	}
	for i := range f.Symbols {
		s := &f.Symbols[i]
		if err := f.validateSymbol(s); err != nil {
			return fmt.Errorf("objfmt: symbol %d (%q): %w", i, s.Name, err)
		}
	}
	return f.validateDynamic() // dynamic_validate.go
}

func (f *File) validateSection(s *Section) error {
	if strings.IndexByte(s.Name, 0) >= 0 {
		return errors.New("name contains NUL")
	}
	switch s.Kind {
	case KindProgbits:
		if s.Size != uint64(len(s.Data)) {
			return fmt.Errorf("size %d != len(Data) %d", s.Size, len(s.Data))
		}
	case KindNobits:
		if len(s.Data) != 0 {
			return fmt.Errorf("NOBITS section has %d bytes of Data", len(s.Data))
		}
		if len(s.Relocs) != 0 {
			return errors.New("NOBITS section has relocations")
		}
		if len(s.Lines) != 0 {
			return errors.New("NOBITS section has line entries")
		}
	default:
		return fmt.Errorf("unknown kind %d", uint32(s.Kind))
	}
	if s.Flags&^knownFlags != 0 {
		return fmt.Errorf("unknown flags %#x", uint32(s.Flags&^knownFlags))
	}
	if !isPow2(s.Align) || s.Align > maxAlign {
		return fmt.Errorf("align %d is not a power of two <= 2^31", s.Align)
	}
	for j, r := range s.Relocs {
		if err := checkReloc(r.Offset, r.Kind, s.Size); err != nil {
			return fmt.Errorf("relocation %d: %w", j, err)
		}
		if r.Sym < 0 || r.Sym >= len(f.Symbols) {
			return fmt.Errorf("relocation %d: symbol index %d out of range (%d symbols)", j, r.Sym, len(f.Symbols))
		}
		if j > 0 && r.Offset < s.Relocs[j-1].Offset {
			return fmt.Errorf("relocation %d: offset %#x before the previous one (%#x); relocations must be sorted by offset", j, r.Offset, s.Relocs[j-1].Offset)
		}
	}
	for j, l := range s.Lines {
		if err := checkLine(l.Offset, s.Size); err != nil {
			return fmt.Errorf("line %d: %w", j, err)
		}
		// Runs of entries share one file name: it is checked once per run.
		if (j == 0 || l.File != s.Lines[j-1].File) && strings.IndexByte(l.File, 0) >= 0 {
			return fmt.Errorf("line %d: file name contains NUL", j)
		}
		if j > 0 && l.Offset < s.Lines[j-1].Offset {
			return fmt.Errorf("line %d: offset %#x before the previous one (%#x); lines must be sorted by offset", j, l.Offset, s.Lines[j-1].Offset)
		}
	}
	return nil
}

// checkReloc checks a relocation's kind and that its place lies inside a
// section of the given size.
func checkReloc(off uint64, k RelocKind, size uint64) error {
	n, ok := placeSize(k)
	if !ok {
		return fmt.Errorf("unknown relocation kind %d", uint32(k))
	}
	if off > size || n > size-off {
		return fmt.Errorf("%s at offset %#x outside section (size %#x)", k, off, size)
	}
	return nil
}

// checkLine checks that a line entry's offset lies inside a section of the
// given size (the end of the section is allowed).
func checkLine(off, size uint64) error {
	if off > size {
		return fmt.Errorf("offset %#x outside section (size %#x)", off, size)
	}
	if off > maxLineOffset {
		return fmt.Errorf("offset %#x does not fit in 32 bits", off)
	}
	return nil
}

func (f *File) validateSymbol(s *Symbol) error {
	if strings.IndexByte(s.Name, 0) >= 0 {
		return errors.New("name contains NUL")
	}
	if s.Bind > BindWeak {
		return fmt.Errorf("unknown binding %d", s.Bind)
	}
	if s.Type > SymSection {
		return fmt.Errorf("unknown type %d", s.Type)
	}
	if s.Section != SecUndef && s.Section != SecAbs && (s.Section < 0 || s.Section >= len(f.Sections)) {
		return fmt.Errorf("section index %d out of range (%d sections)", s.Section, len(f.Sections))
	}
	return nil
}
