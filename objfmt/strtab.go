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
}

func newStrtabBuilder() *strtabBuilder {
	return &strtabBuilder{buf: []byte{0}, off: map[string]uint32{"": 0}}
}

// add stores s (which must not contain NUL) and returns its offset.
func (b *strtabBuilder) add(s string) uint32 {
	if o, ok := b.off[s]; ok {
		return o
	}
	o := uint32(len(b.buf))
	b.buf = append(b.buf, s...)
	b.buf = append(b.buf, 0)
	b.off[s] = o
	return o
}

// strtab is a string table read from a file. References must point at the
// start of a string (offset 0 or just after a NUL), so distinct references
// are disjoint; with lookups memoized by offset, the strings a reader makes
// and the time spent finding them are bounded by the size of the table,
// however many references there are.
type strtab struct {
	data []byte
	at   int64 // file offset of data, for error messages
	memo map[uint32]string
}

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
	return &strtab{data: data, at: at, memo: map[uint32]string{}}, nil
}

// lookup returns the string at offset off; what names the reference and
// fieldAt is the file offset of the field holding off, for errors.
func (t *strtab) lookup(off uint32, what string, fieldAt int64) (string, error) {
	if s, ok := t.memo[off]; ok {
		return s, nil
	}
	if uint64(off) >= uint64(len(t.data)) {
		return "", &FormatError{Off: fieldAt, Msg: fmt.Sprintf("%s: string offset 0x%x outside string table (size 0x%x)", what, off, len(t.data))}
	}
	if off > 0 && t.data[off-1] != 0 {
		return "", &FormatError{Off: fieldAt, Msg: fmt.Sprintf("%s: string offset 0x%x is not the start of a string", what, off)}
	}
	rest := t.data[off:]
	s := string(rest[:bytes.IndexByte(rest, 0)])
	t.memo[off] = s
	return s, nil
}
