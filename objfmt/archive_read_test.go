package objfmt

import (
	"bytes"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// The corrupt-archive tests start from the encoding of toyArchive(), whose
// members are not modules (the reader does not parse them). Its layout:
//
//	0x00 header: nmembers 2 (0x08), nsyms 2 (0x0c), memoff 0x40 (0x10),
//	     symoff 0x70 (0x18), stroff 0x80 (0x20), strsize 0xf (0x28)
//	0x40 member 0: name 0x40, crc 0x44, offset 0x48, size 0x50
//	0x58 member 1: name 0x58, crc 0x5c, offset 0x60, size 0x68
//	0x70 symbol 0: name 0x70, member 0x74; symbol 1 at 0x78, 0x7c
//	0x80 string table "\0a.vo\0b.vo\0f\0g\0": a.vo 0x1, b.vo 0x6, f 0xb, g 0xd
//	0x90 member 0 data (12 bytes), 0xa0 member 1 data (8 bytes), end 0xa8
func toyArchive() *Archive {
	return &Archive{
		Members: []*Member{{Name: "a.vo", Data: []byte("AAAAAAAAAAAA")}, {Name: "b.vo", Data: []byte("BBBBBBBB")}},
		Symbols: []ArchiveSymbol{{Name: "f", Member: 0}, {Name: "g", Member: 1}},
	}
}

func toyBytes(t *testing.T) []byte {
	b := encodeArchive(t, toyArchive())
	require.Len(t, b, 0xa8)
	a, err := ParseArchive(b)
	require.NoError(t, err)
	require.Equal(t, int64(0x90), a.Members[0].Off)
	require.Equal(t, int64(0xa0), a.Members[1].Off)
	return b
}

func TestParseArchiveCorrupt(t *testing.T) {
	crcA := crc32.Checksum([]byte("AAAAAAAAAAAA"), castagnoli)
	cases := []struct {
		name string
		edit func([]byte) []byte
		want string
		is   error // sentinel the error must wrap, or nil
	}{
		{"empty", func([]byte) []byte { return nil }, `objfmt: bad archive magic "" at offset 0x0`, ErrNotObject},
		{"short magic", func(b []byte) []byte { return b[:3] }, `objfmt: bad archive magic "\x7fLV" at offset 0x0`, ErrNotObject},
		{"object file", put8(3, 'M'), `objfmt: bad archive magic "\x7fLVM" at offset 0x0`, ErrNotObject},
		{"truncated header", func(b []byte) []byte { return b[:10] }, "objfmt: archive header truncated (10 of 64 bytes) at offset 0x0", ErrTruncated},
		{"old version", put16(4, 1), "objfmt: unsupported archive version 1 at offset 0x4", ErrVersion},
		{"future version", put16(4, 3), "objfmt: unsupported archive version 3 at offset 0x4", ErrVersion},
		{"flags", put16(6, 0x80), "objfmt: unknown archive flags 0x80 at offset 0x6", nil},
		{"reserved", put8(0x3f, 1), "objfmt: reserved archive header byte is 0x1, not 0 at offset 0x3f", nil},
		{"member table past end", put64(0x10, 0x1000),
			"objfmt: member table (offset 0x1000, size 0x30) extends past end of file at offset 0x10", ErrTruncated},
		{"huge nmembers", put32(0x08, 0xFFFFFFFF),
			"objfmt: member table (offset 0x40, size 0x17ffffffe8) extends past end of file at offset 0x10", ErrTruncated},
		{"member table overflow", put64(0x10, 0xFFFFFFFFFFFFFFF0),
			"objfmt: member table: offset 0xfffffffffffffff0 + size 0x30 overflows at offset 0x10", nil},
		{"truncated file", func(b []byte) []byte { return b[:0x60] },
			"objfmt: member table (offset 0x40, size 0x30) extends past end of file at offset 0x10", ErrTruncated},
		{"symbol index past end", put32(0x0c, 100),
			"objfmt: symbol index (offset 0x70, size 0x320) extends past end of file at offset 0x18", ErrTruncated},
		{"symbol index overflow", put64(0x18, 0xFFFFFFFFFFFFFFFF),
			"objfmt: symbol index: offset 0xffffffffffffffff + size 0x10 overflows at offset 0x18", nil},
		{"string table past end", put64(0x28, 0x100),
			"objfmt: string table (offset 0x80, size 0x100) extends past end of file at offset 0x20", ErrTruncated},
		{"empty string table past end", edits(put64(0x20, 0xa9), put64(0x28, 0)),
			"objfmt: string table (offset 0xa9, size 0x0) extends past end of file at offset 0x20", ErrTruncated},
		{"empty string table", put64(0x28, 0), "objfmt: string table is empty at offset 0x80", nil},
		{"string table start", put8(0x80, 'x'), "objfmt: string table does not start with NUL at offset 0x80", nil},
		{"string table end", put8(0x8e, 'x'), "objfmt: string table does not end with NUL at offset 0x8e", nil},
		{"member offset misaligned", put64(0x48, 0x94), "objfmt: member 0: data offset 0x94 is not a multiple of 8 at offset 0x48", nil},
		{"member overflow", put64(0x48, 0xFFFFFFFFFFFFFFF8),
			"objfmt: member 0: offset 0xfffffffffffffff8 + size 0xc overflows at offset 0x48", nil},
		{"member table overlaps header", put64(0x10, 0x38),
			"objfmt: the member table (offset 0x38, size 0x30) overlaps the header at offset 0x10", nil},
		{"symbol index overlaps member table", put64(0x18, 0x68),
			"objfmt: the symbol index (offset 0x68, size 0x10) overlaps the member table at offset 0x18", nil},
		{"member overlaps member", put64(0x60, 0x98), "objfmt: member 1 (offset 0x98, size 0x8) overlaps member 0 at offset 0x60", nil},
		{"member overlaps string table", put64(0x48, 0x88),
			"objfmt: member 0 (offset 0x88, size 0xc) overlaps the string table at offset 0x48", nil},
		{"member overlaps header", put64(0x48, 0), "objfmt: member 0 (offset 0x0, size 0xc) overlaps the header at offset 0x48", nil},
		{"member at a table", put64(0x60, 0x70), "objfmt: member 1 (offset 0x70, size 0x8) overlaps the symbol index at offset 0x60", nil},
		{"member name outside string table", put32(0x40, 0x20),
			"objfmt: member 0 name: string offset 0x20 outside string table (size 0xf) at offset 0x40", nil},
		{"member name inside a string", put32(0x40, 2),
			"objfmt: member 0 name: string offset 0x2 is not the start of a string at offset 0x40", nil},
		{"member name empty", put32(0x40, 0), `objfmt: member 0: name "" is empty at offset 0x40`, nil},
		{"member name slash", put8(0x82, '/'), `objfmt: member 0: name "a/vo" contains '/' at offset 0x40`, nil},
		{"member name backslash", put8(0x87, '\\'), `objfmt: member 1: name "b\\vo" contains '\' at offset 0x58`, nil},
		{"member name dotdot", edits(put8(0x81, '.'), put8(0x83, 0)), `objfmt: member 0: name ".." is not a file name at offset 0x40`, nil},
		{"member name dot", edits(put8(0x81, '.'), put8(0x82, 0)), `objfmt: member 0: name "." is not a file name at offset 0x40`, nil},
		{"duplicate member name", put32(0x58, 1), `objfmt: member 1: duplicate name "a.vo" (also member 0) at offset 0x58`, nil},
		{"symbol name outside string table", put32(0x70, 0x40),
			"objfmt: symbol 0 name: string offset 0x40 outside string table (size 0xf) at offset 0x70", nil},
		{"symbol name empty", put32(0x78, 0), "objfmt: symbol 1: empty name at offset 0x78", nil},
		{"symbol member out of range", put32(0x7c, 2), "objfmt: symbol 1: member 2 out of range (2 members) at offset 0x7c", nil},
		{"symbol order", edits(put32(0x74, 1), put32(0x7c, 0)),
			"objfmt: symbol 1: member 0 before member 1 of the previous symbol at offset 0x7c", nil},
		{"member past end", put64(0x60, 0x100), "objfmt: member 1 (offset 0x100, size 0x8) extends past end of file at offset 0x60", ErrTruncated},
		{"member too big", put64(0x68, 1<<40),
			"objfmt: member 1 (offset 0xa0, size 0x10000000000) extends past end of file at offset 0x60", ErrTruncated},
		{"empty member past end", edits(put64(0x60, 0xb0), put64(0x68, 0), put32(0x5c, 0)),
			"objfmt: member 1 (offset 0xb0, size 0x0) extends past end of file at offset 0x60", ErrTruncated},
		{"truncated member", func(b []byte) []byte { return b[:0xa4] },
			"objfmt: member 1 (offset 0xa0, size 0x8) extends past end of file at offset 0x60", ErrTruncated},
		// The archive's checksum resealed, the member's still catches the
		// damage, and says which member it is.
		{"member checksum", put32(0x44, 0),
			fmt.Sprintf("objfmt: member 0: checksum mismatch: stored 0x00000000, computed 0x%08x at offset 0x44", crcA), ErrChecksum},
		{"damaged member", put8(0x9b, 'a'),
			fmt.Sprintf("objfmt: member 0: checksum mismatch: stored 0x%08x, computed 0x%08x at offset 0x44", crcA,
				crc32.Checksum([]byte("AAAAAAAAAAAa"), castagnoli)), ErrChecksum},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b := c.edit(toyBytes(t))
			a, err := ParseArchive(b)
			require.EqualError(t, err, c.want)
			require.Nil(t, a)
			var fe *FormatError
			require.ErrorAs(t, err, &fe)
			if c.is != nil {
				require.ErrorIs(t, err, c.is)
			} else {
				require.NoError(t, errors.Unwrap(err))
			}
			// Not knowing the input's size changes nothing.
			_, err = NewArchive(sizeless{bytesReader(b)})
			require.EqualError(t, err, c.want)
		})
	}
}

// Equal offsets, shared strings and empty members are all valid.
func TestParseArchiveEdgeCases(t *testing.T) {
	// A symbol named like a member shares its string.
	b := toyBytes(t)
	put32(0x70, 1)(b)
	a, err := ParseArchive(b)
	require.NoError(t, err)
	require.Equal(t, []ArchiveSymbol{{Name: "a.vo", Member: 0}, {Name: "g", Member: 1}}, a.Symbols)

	// Two symbols of one member; an empty member placed inside no other.
	b = toyBytes(t)
	edits(put32(0x7c, 0), put64(0x68, 0), put32(0x5c, 0), put64(0x60, 0xa8))(b)
	a, err = ParseArchive(b)
	require.NoError(t, err)
	require.Equal(t, []*Member{{Name: "a.vo", Data: []byte("AAAAAAAAAAAA"), Off: 0x90}, {Name: "b.vo", Off: 0xa8}}, a.Members)
	require.Equal(t, []ArchiveSymbol{{Name: "f", Member: 0}, {Name: "g", Member: 0}}, a.Symbols)
}

func TestParseArchiveWithoutSize(t *testing.T) {
	b := encodeArchive(t, sampleArchive(t))
	want, err := ParseArchive(b)
	require.NoError(t, err)
	got, err := NewArchive(sizeless{bytesReader(b)})
	require.NoError(t, err)
	require.Equal(t, want, got)
}

// Lying counts and sizes must fail fast without allocating memory for
// data that is not there, with or without a Size method on the reader.
func TestParseArchiveHugeClaimsDoNotAllocate(t *testing.T) {
	members := put32(0x08, 0xFFFFFFFF)(toyBytes(t))
	syms := put32(0x0c, 0xFFFFFFFF)(toyBytes(t))
	strs := put64(0x28, 1<<40)(toyBytes(t))
	data := put64(0x68, 1<<40)(toyBytes(t))
	for name, r := range map[string]io.ReaderAt{
		"members sized":      bytesReader(members),
		"members sizeless":   sizeless{bytesReader(members)},
		"symbols sized":      bytesReader(syms),
		"symbols sizeless":   sizeless{bytesReader(syms)},
		"strings sized":      bytesReader(strs),
		"strings sizeless":   sizeless{bytesReader(strs)},
		"data sized":         bytesReader(data),
		"data sizeless":      sizeless{bytesReader(data)},
		"data sizeless + 1M": sizeless{bytesReader(append(data, make([]byte, 1<<20)...))},
	} {
		t.Run(name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			start := time.Now()
			_, err := NewArchive(r)
			runtime.ReadMemStats(&after)
			require.ErrorIs(t, err, ErrTruncated)
			require.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(16<<20))
			require.Less(t, time.Since(start), 5*time.Second)
		})
	}
}

func TestParseArchiveReadError(t *testing.T) {
	b := toyBytes(t)
	_, err := NewArchive(failingReader{b, 0})
	require.EqualError(t, err, "objfmt: reading archive header: disk on fire")
	require.ErrorIs(t, err, errDisk)

	// The first read after the header's is the checksum's, of the whole
	// archive from offset 0.
	_, err = NewArchive(failingReader{b, 0x98})
	require.EqualError(t, err, "objfmt: reading at offset 0x0: disk on fire")
	require.ErrorIs(t, err, errDisk)
	var fe *FormatError
	require.False(t, errors.As(err, &fe))
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r *bytes.Reader
	n *int64
}

func (c countingReader) ReadAt(p []byte, off int64) (int, error) {
	n, err := c.r.ReadAt(p, off)
	*c.n += int64(n)
	return n, err
}

func (c countingReader) Size() int64 { return c.r.Size() }

// An archive whose size is known is read once (plus the probe of its
// magic), not once for the checksum and again for the members, small or
// large (read into a buffer of its own, which the members then share).
func TestNewArchiveReadsOnce(t *testing.T) {
	small := encodeArchive(t, sampleArchive(t))
	large := encodeArchive(t, &Archive{Members: []*Member{{Name: "big", Data: bytes.Repeat([]byte("x"), readChunk+5)}}})
	for _, b := range [][]byte{small, large} {
		var n int64
		a, err := NewArchive(countingReader{bytesReader(b), &n})
		require.NoError(t, err)
		require.Equal(t, int64(len(b)+len(ArchiveMagic)), n)
		want, err := ParseArchive(b)
		require.NoError(t, err)
		require.Equal(t, want, a)
	}

	// ParseArchive's members are copies: the caller's bytes stay theirs.
	a, err := ParseArchive(small)
	require.NoError(t, err)
	m := a.Members[0]
	data := bytes.Clone(m.Data)
	clear(small[m.Off : m.Off+int64(len(m.Data))])
	require.Equal(t, data, m.Data)
}
