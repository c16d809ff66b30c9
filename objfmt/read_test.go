package objfmt

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// The corrupt-input tests start from the encoding of tiny(), whose layout
// (see docs/objfmt.md) is:
//
//	0x000 header: shoff 0xe8 (field at 0x10), shnum 6 (0x18), strndx 5 (0x1c)
//	0x040 .text bytes (8)
//	0x048 .rel.text: one record (offset 0x48, sym 0x50, kind 0x54)
//	0x060 .lines.text: one record (offset 0x60, file 0x64)
//	0x070 .symtab: null symbol, symbol 1 at 0x90 (bind 0x94, shndx 0x98)
//	0x0b0 .strtab, 0x33 bytes
//	0x0e8 section headers 0..5, 0x30 bytes each: 1 at 0x118, 2 at 0x148,
//	      3 at 0x178, 4 at 0x1a8, 5 at 0x1d8
func tinyBytes(t *testing.T) []byte {
	b := encode(tiny())
	require.Len(t, b, 0x208)
	require.Equal(t, uint64(0xe8), getHeader(b).Shoff)
	return b
}

// The put functions edit a field of an encoded object file or archive and
// store its checksum again (see seal), so that the edit reaches the check
// it is aimed at; checksum_test.go damages files without resealing.

func put8(off int, v uint8) func([]byte) []byte {
	return func(b []byte) []byte { b[off] = v; return seal(b) }
}

func put16(off int, v uint16) func([]byte) []byte {
	return func(b []byte) []byte { binary.LittleEndian.PutUint16(b[off:], v); return seal(b) }
}

func put32(off int, v uint32) func([]byte) []byte {
	return func(b []byte) []byte { binary.LittleEndian.PutUint32(b[off:], v); return seal(b) }
}

func put64(off int, v uint64) func([]byte) []byte {
	return func(b []byte) []byte { binary.LittleEndian.PutUint64(b[off:], v); return seal(b) }
}

// seal stores the checksum of the object file or archive b, if b is long
// enough to have one and still has a magic, and returns b.
func seal(b []byte) []byte {
	_ = SetChecksum(b)
	return b
}

func edits(fs ...func([]byte) []byte) func([]byte) []byte {
	return func(b []byte) []byte {
		for _, f := range fs {
			b = f(b)
		}
		return b
	}
}

func TestParseCorrupt(t *testing.T) {
	const (
		sh1 = 0x118
		sh2 = 0x148
		sh3 = 0x178
		sh4 = 0x1a8
		sh5 = 0x1d8
	)
	cases := []struct {
		name string
		edit func([]byte) []byte
		want string
		is   error // sentinel the error must wrap, or nil
	}{
		{"empty", func([]byte) []byte { return nil }, `objfmt: bad magic "" at offset 0x0`, ErrNotObject},
		{"short magic", func(b []byte) []byte { return b[:2] }, `objfmt: bad magic "\x7fL" at offset 0x0`, ErrNotObject},
		{"bad magic", put8(1, 'E'), `objfmt: bad magic "\x7fEVM" at offset 0x0`, ErrNotObject},
		{"truncated header", func(b []byte) []byte { return b[:10] }, "objfmt: header truncated (10 of 64 bytes) at offset 0x0", ErrTruncated},
		{"old version", put16(4, 1), "objfmt: unsupported version 1 at offset 0x4", ErrVersion},
		{"future version", put16(4, 3), "objfmt: unsupported version 3 at offset 0x4", ErrVersion},
		{"bad type", put16(6, 7), "objfmt: unknown file type 7 at offset 0x6", nil},
		{"header flags", put32(0x20, 1), "objfmt: unknown header flags 0x1 at offset 0x20", nil},
		{"reserved header byte", put8(0x30, 1), "objfmt: reserved header byte is 0x1, not 0 at offset 0x30", nil},
		{"no sections", put32(0x18, 0), "objfmt: no section headers at offset 0x18", nil},
		{"strndx out of range", put32(0x1c, 6), "objfmt: string table index 6 out of range (6 sections) at offset 0x1c", nil},
		{"strndx zero", put32(0x1c, 0), "objfmt: string table index 0 out of range (6 sections) at offset 0x1c", nil},
		{"strndx wrong kind", put32(0x1c, 1), "objfmt: string table index 1 names a PROGBITS section at offset 0x1c", nil},
		{"section header table out of range", put64(0x10, 0x1000),
			"objfmt: section header table (offset 0x1000, size 0x120) extends past end of file at offset 0x10", ErrTruncated},
		{"truncated file", func(b []byte) []byte { return b[:0x200] },
			"objfmt: section header table (offset 0xe8, size 0x120) extends past end of file at offset 0x10", ErrTruncated},
		{"huge shnum", put32(0x18, 0xFFFFFFFF),
			"objfmt: section header table (offset 0xe8, size 0x2fffffffd0) extends past end of file at offset 0x10", ErrTruncated},
		{"shoff overflow", put64(0x10, 0xFFFFFFFFFFFFFF00),
			"objfmt: section header table: offset 0xffffffffffffff00 + size 0x120 overflows at offset 0x10", nil},
		{"null section not zero", put8(0xe8+4, 1), "objfmt: null section header is not all zero at offset 0xe8", nil},
		{"section offset+size overflow", put64(sh1+0x18, 0xFFFFFFFFFFFFFFF8),
			"objfmt: section 1: offset 0xfffffffffffffff8 + size 0x8 overflows at offset 0x130", nil},
		{"section past end", edits(put64(sh1+0x18, 0x208), put64(sh1+0x20, 0x1000)),
			"objfmt: section 1 (offset 0x208, size 0x1000) extends past end of file at offset 0x130", ErrTruncated},
		{"empty section past end", edits(put64(sh1+0x18, 0x209), put64(sh1+0x20, 0), put64(0x48, 0), put32(0x54, 0)),
			"objfmt: section 1 (offset 0x209, size 0x0) extends past end of file at offset 0x130", ErrTruncated},
		{"section past end overlapping", put64(sh1+0x20, 0x1000),
			"objfmt: section 2 (offset 0x48, size 0x18) overlaps section 1 at offset 0x160", nil},
		{"string table past end", put64(sh5+0x20, 0x10000),
			"objfmt: section 5 (offset 0xb0, size 0x10000) extends past end of file at offset 0x1f0", ErrTruncated},
		{"bad strtab offset", put32(sh1, 0x999),
			"objfmt: section 1 name: string offset 0x999 outside string table (size 0x33) at offset 0x118", nil},
		{"string offset inside a string", put32(sh1, 2),
			"objfmt: section 1 name: string offset 0x2 is not the start of a string at offset 0x118", nil},
		{"unterminated string", put8(0xe2, 'x'), "objfmt: string table does not end with NUL at offset 0xe2", nil},
		{"string table start", put8(0xb0, 'x'), "objfmt: string table does not start with NUL at offset 0xb0", nil},
		{"empty string table", put64(sh5+0x20, 0), "objfmt: string table is empty at offset 0xb0", nil},
		{"unknown kind", put32(sh1+4, 9), "objfmt: section 1: bad kind KIND_9 at offset 0x11c", nil},
		{"null kind", put32(sh1+4, 0), "objfmt: section 1: bad kind NULL at offset 0x11c", nil},
		{"align not power of two", put32(sh1+0xc, 3), "objfmt: section 1: align 3 is not a power of two at offset 0x124", nil},
		{"align zero", put32(sh1+0xc, 0), "objfmt: section 1: align 0 is not a power of two at offset 0x124", nil},
		{"unknown section flags", put32(sh1+8, 0x15), "objfmt: section 1: unknown flags 0x10 at offset 0x120", nil},
		{"content link", put32(sh1+0x28, 1), "objfmt: section 1: link is 1, not 0 at offset 0x140", nil},
		{"content info", put32(sh1+0x2c, 1), "objfmt: section 1: info is 1, not 0 at offset 0x144", nil},
		{"symtab flags", put32(sh4+8, 1), "objfmt: section 4: SYMTAB section has flags 0x1 at offset 0x1b0", nil},
		{"symtab address", put64(sh4+0x10, 0x10000), "objfmt: section 4: SYMTAB section has address 0x10000 at offset 0x1b8", nil},
		{"NOBITS with offset", put32(sh1+4, uint32(KindNobits)),
			"objfmt: section 1: NOBITS section has file offset 0x40, not 0 at offset 0x130", nil},
		{"image section not page-aligned", put16(6, uint16(TypeExec)),
			"objfmt: section 1: read-only ALLOC section of an image at file offset 0x40, not a multiple of the page size at offset 0x130", nil},
		{"symtab size", put64(sh4+0x20, 63), "objfmt: section 4: SYMTAB size 0x3f is not a multiple of 32 at offset 0x1c8", nil},
		{"reloc size", put64(sh2+0x20, 25), "objfmt: section 2: RELOC size 0x19 is not a multiple of 24 at offset 0x168", nil},
		{"lines size", put64(sh3+0x20, 15), "objfmt: section 3: LINES size 0xf is not a multiple of 16 at offset 0x198", nil},
		{"empty symtab", put64(sh4+0x20, 0), "objfmt: section 4: symbol table has no null symbol at offset 0x1c8", nil},
		{"symtab link", put32(sh4+0x28, 0), "objfmt: section 4: link is 0, not the string table 5 at offset 0x1d0", nil},
		{"second symtab", edits(put32(sh3+4, uint32(KindSymtab)), put64(sh3+0x20, 32), put32(sh3+0x2c, 0)),
			"objfmt: section 4: second symbol table (the first is section 3) at offset 0x1ac", nil},
		{"second strtab", put32(sh3+4, uint32(KindStrtab)),
			"objfmt: section 3: second string table (the header names section 5) at offset 0x17c", nil},
		{"strtab link", put32(sh5+0x28, 1), "objfmt: section 5: link is 1, not 0 at offset 0x200", nil},
		{"reloc link", put32(sh2+0x28, 1), "objfmt: section 2: link 1 is not the symbol table at offset 0x170", nil},
		{"reloc without symtab", edits(put32(sh4+4, uint32(KindProgbits)), put32(sh4+0x28, 0)),
			"objfmt: section 2: link 4 is not the symbol table at offset 0x170", nil},
		{"reloc target kind", put32(sh2+0x2c, 4), "objfmt: section 2: target 4 is not a PROGBITS section at offset 0x174", nil},
		{"reloc target out of range", put32(sh2+0x2c, 99), "objfmt: section 2: target 99 is not a PROGBITS section at offset 0x174", nil},
		{"lines link", put32(sh3+0x28, 4), "objfmt: section 3: link is 4, not the string table 5 at offset 0x1a0", nil},
		{"lines target", put32(sh3+0x2c, 0), "objfmt: section 3: target 0 is not a PROGBITS section at offset 0x1a4", nil},
		{"second reloc section", edits(put32(sh3+4, uint32(KindReloc)), put32(sh3+0x28, 4), put64(sh3+0x20, 0)),
			"objfmt: section 3: section 1 already has RELOC section 2 at offset 0x1a4", nil},
		{"sections overlap", put64(sh3+0x18, 0x50), "objfmt: section 3 (offset 0x50, size 0x10) overlaps section 2 at offset 0x190", nil},
		{"section overlaps header", put64(sh1+0x18, 0x20), "objfmt: section 1 (offset 0x20, size 0x8) overlaps the header at offset 0x130", nil},
		{"section overlaps section header table", put64(sh1+0x18, 0xe8),
			"objfmt: section 1 (offset 0xe8, size 0x8) overlaps the section header table at offset 0x130", nil},
		{"section runs into section header table", put64(sh1+0x18, 0xe4),
			"objfmt: section 1 (offset 0xe4, size 0x8) overlaps the section header table at offset 0x130", nil},
		{"section header table overlaps header", put64(0x10, 0x30),
			"objfmt: null section header is not all zero at offset 0x30", nil},
		{"symbol 0 not zero", put8(0x70, 1), "objfmt: symbol 0 is not all zero at offset 0x70", nil},
		{"symbol name offset", put32(0x90, 0x100), "objfmt: symbol 1 name: string offset 0x100 outside string table (size 0x33) at offset 0x90", nil},
		{"symbol binding", put8(0x94, 3), "objfmt: symbol 1: unknown binding 3 at offset 0x94", nil},
		{"symbol type", put8(0x95, 9), "objfmt: symbol 1: unknown type 9 at offset 0x95", nil},
		{"symbol reserved", put8(0x96, 1), "objfmt: symbol 1: reserved field is 0x1, not 0 at offset 0x96", nil},
		{"symbol reserved2", put8(0xac, 1), "objfmt: symbol 1: reserved field is 0x1, not 0 at offset 0xac", nil},
		{"symbol section index out of range", put32(0x98, 6),
			"objfmt: symbol 1: section index 6 out of range (6 sections) at offset 0x98", nil},
		{"symbol section not content", put32(0x98, 2), "objfmt: symbol 1: section index 2 names a RELOC section at offset 0x98", nil},
		{"reloc symbol index out of range", put32(0x50, 2),
			"objfmt: section 2: relocation 0: symbol index 2 out of range (2 symbols) at offset 0x50", nil},
		{"reloc null symbol", put32(0x50, 0),
			"objfmt: section 2: relocation 0: symbol index 0 out of range (2 symbols) at offset 0x50", nil},
		{"reloc kind", put32(0x54, 6), "objfmt: section 2: relocation 0: unknown kind 6 at offset 0x54", nil},
		{"reloc outside section", put64(0x48, 1),
			"objfmt: section 2: relocation 0: INSN_PC at offset 0x1 outside section (size 0x8) at offset 0x48", nil},
		{"line offset outside section", put32(0x60, 9),
			"objfmt: section 3: line 0: offset 0x9 outside section (size 0x8) at offset 0x60", nil},
		{"line file offset", put32(0x64, 0x33),
			"objfmt: section 3: line 0 file: string offset 0x33 outside string table (size 0x33) at offset 0x64", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b := c.edit(tinyBytes(t))
			f, err := Parse(b)
			require.EqualError(t, err, c.want)
			require.Nil(t, f)
			var fe *FormatError
			require.ErrorAs(t, err, &fe)
			if c.is != nil {
				require.ErrorIs(t, err, c.is)
			} else {
				require.NoError(t, errors.Unwrap(err))
			}
		})
	}
}

// twoRecords returns the encoding of a module with two relocations and
// two line entries, and the file offsets of their second records.
func twoRecords(t *testing.T) (b []byte, rel2, line2 int) {
	f := tiny()
	f.Sections[0].Relocs = append(f.Sections[0].Relocs, Reloc{Offset: 0, Kind: RelNone})
	f.Sections[0].Lines = append(f.Sections[0].Lines, Line{Offset: 8, File: "a.s", Line: 2})
	b = encode(f)
	h := getHeader(b)
	rel := getSectionHeader(b[h.Shoff+2*SectionHeaderSize:])
	lines := getSectionHeader(b[h.Shoff+3*SectionHeaderSize:])
	require.Equal(t, uint32(KindReloc), rel.Kind)
	require.Equal(t, uint32(KindLines), lines.Kind)
	return b, int(rel.Offset) + RelocSize, int(lines.Offset) + LineSize
}

func TestParseUnsorted(t *testing.T) {
	b, rel2, line2 := twoRecords(t)
	_, err := Parse(put32(line2, 0)(put32(rel2+offRelKind, uint32(RelAbs32))(put64(rel2, 0)(b))))
	require.NoError(t, err, "equal offsets are allowed")

	b, rel2, _ = twoRecords(t)
	binary.LittleEndian.PutUint64(b[rel2-RelocSize:], 4)
	binary.LittleEndian.PutUint32(b[rel2-RelocSize+offRelKind:], uint32(RelAbs32))
	_, err = Parse(seal(b))
	require.EqualError(t, err, fmt.Sprintf("objfmt: section 2: relocation 1: offset 0x0 before the previous one at offset 0x%x", rel2))

	b, _, line2 = twoRecords(t)
	binary.LittleEndian.PutUint32(b[line2-LineSize:], 8)
	binary.LittleEndian.PutUint32(b[line2:], 4)
	_, err = Parse(seal(b))
	require.EqualError(t, err, fmt.Sprintf("objfmt: section 3: line 1: offset 0x4 before the previous one at offset 0x%x", line2))
}

// sizeless hides the Size method of a bytes.Reader, so the reader must
// find the end of the input by reading.
type sizeless struct{ r io.ReaderAt }

func (s sizeless) ReadAt(p []byte, off int64) (int, error) { return s.r.ReadAt(p, off) }

func TestParseWithoutSize(t *testing.T) {
	for _, f := range []*File{sampleRel(), sampleExec()} {
		b := encode(f)
		got, err := NewFile(sizeless{bytesReader(b)})
		require.NoError(t, err)
		require.Equal(t, f, got)
		// Truncation is still detected, with the same message.
		_, err = NewFile(sizeless{bytesReader(b[:len(b)-1])})
		_, want := Parse(b[:len(b)-1])
		require.EqualError(t, err, want.Error())
		require.ErrorIs(t, err, ErrTruncated)
	}
}

// A header that claims 2^32-1 section headers, or a section of 2^40 bytes,
// must fail fast without allocating memory for data that is not there,
// with or without a Size method on the reader.
func TestParseHugeClaimsDoNotAllocate(t *testing.T) {
	hdr := make([]byte, HeaderSize)
	h := Header{Version: Version, Type: uint16(TypeRel), Shoff: HeaderSize, Shnum: 0xFFFFFFFF, Strndx: 1}
	copy(h.Magic[:], Magic)
	h.put(hdr)
	hdr1M := seal(append(append([]byte(nil), hdr...), make([]byte, 1<<20)...))
	seal(hdr)

	big := tinyBytes(t)
	// .text claims 2^40 bytes after the end of the file.
	binary.LittleEndian.PutUint64(big[0x118+0x18:], uint64(len(big)))
	binary.LittleEndian.PutUint64(big[0x118+0x20:], 1<<40)
	seal(big)

	for name, r := range map[string]io.ReaderAt{
		"shnum sized":       bytesReader(hdr),
		"shnum sizeless":    sizeless{bytesReader(hdr)},
		"section sized":     bytesReader(big),
		"section sizeless":  sizeless{bytesReader(big)},
		"shnum sizeless+1M": sizeless{bytesReader(hdr1M)},
	} {
		t.Run(name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			start := time.Now()
			_, err := NewFile(r)
			runtime.ReadMemStats(&after)
			require.ErrorIs(t, err, ErrTruncated)
			require.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(16<<20))
			require.Less(t, time.Since(start), 5*time.Second)
		})
	}
}

// failingReader fails every read after the first limit bytes.
type failingReader struct {
	b     []byte
	limit int64
}

var errDisk = errors.New("disk on fire")

func (r failingReader) ReadAt(p []byte, off int64) (int, error) {
	if off+int64(len(p)) > r.limit {
		return 0, errDisk
	}
	return copy(p, r.b[off:]), nil
}

func TestParseReadError(t *testing.T) {
	b := tinyBytes(t)
	_, err := NewFile(failingReader{b, 0})
	require.EqualError(t, err, "objfmt: reading header: disk on fire")
	require.ErrorIs(t, err, errDisk)

	// The first read after the header's is the checksum's, of the whole
	// file from offset 0.
	_, err = NewFile(failingReader{b, 0x100})
	require.EqualError(t, err, "objfmt: reading at offset 0x0: disk on fire")
	require.ErrorIs(t, err, errDisk)
	var fe *FormatError
	require.False(t, errors.As(err, &fe))
}

func TestOpenErrors(t *testing.T) {
	dir := t.TempDir()
	_, err := Open(filepath.Join(dir, "missing.vo"))
	require.ErrorIs(t, err, fs.ErrNotExist)

	_, err = Open(dir)
	require.EqualError(t, err, "open "+dir+": is a directory")

	name := filepath.Join(dir, "bad.vo")
	require.NoError(t, os.WriteFile(name, []byte("\x7fELF\x02\x01\x01"), 0o644))
	_, err = Open(name)
	require.EqualError(t, err, `objfmt: bad magic "\x7fELF" at offset 0x0`)
	require.ErrorIs(t, err, ErrNotObject)
}

func TestFormatError(t *testing.T) {
	e := &FormatError{Off: 0x1c, Msg: "something is wrong"}
	require.EqualError(t, e, "objfmt: something is wrong at offset 0x1c")
	require.NoError(t, e.Unwrap())
}
