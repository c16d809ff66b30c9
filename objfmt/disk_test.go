package objfmt

import (
	"bytes"
	"encoding/binary"
	"testing"

	"github.com/stretchr/testify/require"
)

// The hand-written get/put functions must agree with encoding/binary's
// view of the record structs, which mirror the layouts in docs/objfmt.md.
func TestDiskRecordLayout(t *testing.T) {
	h := Header{Magic: [4]byte{1, 2, 3, 4}, Version: 0x0506, Type: 0x0708, Entry: 0x1112131415161718,
		Shoff: 0x2122232425262728, Shnum: 0x31323334, Strndx: 0x41424344, Flags: 0x51525354, Checksum: 0x61626364}
	for i := range h.Reserved {
		h.Reserved[i] = byte(0x70 + i)
	}
	sh := SectionHeader{Name: 0x01020304, Kind: 0x11121314, Flags: 0x21222324, Align: 0x31323334,
		Addr: 0x4142434445464748, Offset: 0x5152535455565758, Size: 0x6162636465666768, Link: 0x71727374, Info: 0x81828384}
	sym := SymbolRecord{Name: 0x01020304, Bind: 0x11, Type: 0x12, Reserved: 0x1314, Shndx: 0x21222324,
		Value: 0x3132333435363738, Size: 0x4142434445464748, Reserved2: 0x51525354}
	rel := RelocRecord{Offset: 0x0102030405060708, Sym: 0x11121314, Kind: 0x21222324, Addend: -0x3132333435363738}
	line := LineRecord{Offset: 0x01020304, File: 0x11121314, Line: 0x21222324, Col: 0x31323334}

	cases := []struct {
		name string
		size int
		val  any
		put  func([]byte)
		get  func([]byte) any
	}{
		{"Header", HeaderSize, h, h.put, func(b []byte) any { return getHeader(b) }},
		{"SectionHeader", SectionHeaderSize, sh, sh.put, func(b []byte) any { return getSectionHeader(b) }},
		{"SymbolRecord", SymbolSize, sym, sym.put, func(b []byte) any { return getSymbolRecord(b) }},
		{"RelocRecord", RelocSize, rel, rel.put, func(b []byte) any { return getRelocRecord(b) }},
		{"LineRecord", LineSize, line, line.put, func(b []byte) any { return getLineRecord(b) }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			require.Equal(t, c.size, binary.Size(c.val))
			var want bytes.Buffer
			require.NoError(t, binary.Write(&want, binary.LittleEndian, c.val))
			got := make([]byte, c.size)
			c.put(got)
			require.Equal(t, want.Bytes(), got)
			require.Equal(t, c.val, c.get(got))
		})
	}
}

func TestSectionKindString(t *testing.T) {
	require.Equal(t, "PROGBITS", KindProgbits.String())
	require.Equal(t, "LINES", KindLines.String())
	require.Equal(t, "KIND_9", SectionKind(9).String())
}
