package objfmt

import (
	"bytes"
	"fmt"
	"io"
)

// RawFile is the on-disk view of an object file: its header and its whole
// section header table, including the symbol table, string table,
// relocation and line sections that File leaves out. Inspection tools
// (vmobjdump -h, -f) use it.
type RawFile struct {
	// Header is the file header as stored.
	Header Header
	// Sections is the section header table in disk order; Sections[0] is
	// the null section.
	Sections []RawSection
}

// RawSection is one section header with its name looked up.
type RawSection struct {
	// Name is the section's name from the string table.
	Name string
	// Header is the section header as stored (Header.Name is the string
	// table offset of Name).
	Header SectionHeader
}

// ReadRaw reads the header and the section header table of the object file
// in r. It first checks the whole file exactly as NewFile does (and returns
// the same errors), so every offset and name in the result is known to be
// valid.
func ReadRaw(r io.ReaderAt) (*RawFile, error) {
	if _, err := NewFile(r); err != nil {
		return nil, err
	}
	var hb [HeaderSize]byte
	if _, err := r.ReadAt(hb[:], 0); err != nil && err != io.EOF {
		return nil, fmt.Errorf("objfmt: reading header: %w", err)
	}
	raw := &RawFile{Header: getHeader(hb[:])}
	h := &raw.Header
	tab := make([]byte, uint64(h.Shnum)*SectionHeaderSize) // bounded: NewFile read it
	if _, err := r.ReadAt(tab, int64(h.Shoff)); err != nil && err != io.EOF {
		return nil, fmt.Errorf("objfmt: reading section headers: %w", err)
	}
	raw.Sections = make([]RawSection, h.Shnum)
	for i := range raw.Sections {
		raw.Sections[i].Header = getSectionHeader(tab[i*SectionHeaderSize:])
	}
	st := raw.Sections[h.Strndx].Header
	strs := make([]byte, st.Size)
	if _, err := r.ReadAt(strs, int64(st.Offset)); err != nil && err != io.EOF {
		return nil, fmt.Errorf("objfmt: reading string table: %w", err)
	}
	for i := range raw.Sections {
		off := raw.Sections[i].Header.Name
		if uint64(off) < uint64(len(strs)) { // always, after NewFile
			rest := strs[off:]
			if n := bytes.IndexByte(rest, 0); n >= 0 {
				raw.Sections[i].Name = string(rest[:n])
			}
		}
	}
	return raw, nil
}
