package objfmt

import (
	"bytes"
	"fmt"
)

// This file holds the string table: building one (writer) and looking
// names up in one (reader).

// strtabBuilder builds a deduplicated string table. Strings are stored in
// the order of their first add, so the table depends only on the order of
// the calls.
type strtabBuilder struct {
	buf []byte
	off map[string]uint32
	// last and lastOff are the string added last and its offset: line
	// tables add the same file name over and over.
	last    string
	lastOff uint32
}

func newStrtabBuilder() *strtabBuilder { return newStrtabBuilderSize(0, 0) }

// newStrtabBuilderSize returns a builder with room for about n strings of
// size bytes in all.
func newStrtabBuilderSize(n, size int) *strtabBuilder {
	b := &strtabBuilder{buf: make([]byte, 1, 1+size), off: make(map[string]uint32, n+1)}
	b.off[""] = 0
	return b
}

// add stores s (which must not contain NUL) and returns its offset.
func (b *strtabBuilder) add(s string) uint32 {
	if s == b.last {
		return b.lastOff
	}
	o, ok := b.off[s]
	if !ok {
		o = uint32(len(b.buf))
		b.buf = append(b.buf, s...)
		b.buf = append(b.buf, 0)
		b.off[s] = o
	}
	b.last, b.lastOff = s, o
	return o
}

// strtab is a string table read from a file. References must point at the
// start of a string (offset 0 or just after a NUL), so distinct references
// are disjoint. The table is converted to one Go string once and every name
// is a substring of it, so looking names up allocates nothing. Finding the
// end of a string scans at most shortString bytes; the ends of longer
// strings are memoized by offset, so the time spent finding strings is
// bounded by the size of the table plus a constant per reference, however
// many references there are.
type strtab struct {
	data []byte
	str  string // data as a string; names are substrings of it
	at   int64  // file offset of data, for error messages
	memo map[uint32]string
}

// shortString is the length up to which a string's end is found by
// scanning on every lookup instead of being memoized.
const shortString = 64

// newStrtab checks that data is a valid string table: it starts with the
// empty string and its last byte is a NUL, so every offset inside it begins
// a NUL-terminated string.
func newStrtab(data []byte, at int64) (*strtab, error) {
	if len(data) == 0 {
		return nil, &FormatError{Off: at, Msg: "string table is empty"}
	}
	if data[0] != 0 {
		return nil, &FormatError{Off: at, Msg: "string table does not start with NUL"}
	}
	if data[len(data)-1] != 0 {
		return nil, &FormatError{Off: at + int64(len(data)) - 1, Msg: "string table does not end with NUL"}
	}
	return &strtab{data: data, str: string(data), at: at}, nil
}

// get returns the string at offset off, or false if off is outside the
// table or not at the start of a string.
func (t *strtab) get(off uint32) (string, bool) {
	if uint64(off) >= uint64(len(t.data)) || (off > 0 && t.data[off-1] != 0) {
		return "", false
	}
	rest := t.data[off:]
	if k := bytes.IndexByte(rest[:min(len(rest), shortString+1)], 0); k >= 0 {
		return t.str[off : int(off)+k], true
	}
	if s, ok := t.memo[off]; ok {
		return s, true
	}
	if t.memo == nil {
		t.memo = map[uint32]string{}
	}
	s := t.str[off : int(off)+bytes.IndexByte(rest, 0)]
	t.memo[off] = s
	return s, true
}

// lookup returns the string at offset off; what names the reference and
// fieldAt is the file offset of the field holding off, for errors.
func (t *strtab) lookup(off uint32, what string, fieldAt int64) (string, error) {
	if s, ok := t.get(off); ok {
		return s, nil
	}
	return "", t.badRef(off, what, fieldAt)
}

// badRef returns the error for an invalid reference off (one get refused).
func (t *strtab) badRef(off uint32, what string, fieldAt int64) error {
	if uint64(off) >= uint64(len(t.data)) {
		return &FormatError{Off: fieldAt, Msg: fmt.Sprintf("%s: string offset 0x%x outside string table (size 0x%x)", what, off, len(t.data))}
	}
	return &FormatError{Off: fieldAt, Msg: fmt.Sprintf("%s: string offset 0x%x is not the start of a string", what, off)}
}
