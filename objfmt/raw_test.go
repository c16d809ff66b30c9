package objfmt

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestReadRaw(t *testing.T) {
	f := &File{
		Type: TypeRel,
		Sections: []*Section{{
			Name: ".text", Kind: KindProgbits, Flags: FlagAlloc | FlagExec, Align: 8, Size: 8,
			Data:   make([]byte, 8),
			Relocs: []Reloc{{Offset: 0, Kind: RelInsnPC, Sym: 0}},
		}},
		Symbols: []Symbol{{Name: "f", Bind: BindGlobal, Type: SymFunc, Section: SecUndef}},
	}
	b, err := f.Encode()
	require.NoError(t, err)
	raw, err := ReadRaw(bytes.NewReader(b))
	require.NoError(t, err)
	assert.Equal(t, uint16(TypeRel), raw.Header.Type)
	var names []string
	var kinds []SectionKind
	for _, s := range raw.Sections {
		names = append(names, s.Name)
		kinds = append(kinds, SectionKind(s.Header.Kind))
	}
	assert.Equal(t, []string{"", ".text", ".rel.text", ".symtab", ".strtab"}, names)
	assert.Equal(t, []SectionKind{KindNull, KindProgbits, KindReloc, KindSymtab, KindStrtab}, kinds)
	assert.Equal(t, uint64(HeaderSize), raw.Sections[1].Header.Offset)
	assert.Equal(t, uint32(3), raw.Sections[2].Header.Link)
	assert.Equal(t, uint32(1), raw.Sections[2].Header.Info)

	_, err = ReadRaw(bytes.NewReader([]byte("nope")))
	require.EqualError(t, err, `objfmt: bad magic "nope" at offset 0x0`)
	_, err = ReadRaw(bytes.NewReader(b[:100]))
	require.EqualError(t, err, fmt.Sprintf("objfmt: section header table (offset %#x, size 0xf0) extends past end of file at offset 0x10", raw.Header.Shoff))
}
