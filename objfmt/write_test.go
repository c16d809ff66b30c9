package objfmt

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestRoundTrip(t *testing.T) {
	cases := map[string]*File{
		"relocatable": sampleRel(),
		"executable":  sampleExec(),
		"shared":      sampleShared(),
		"tiny":        tiny(),
		"empty":       {Type: TypeRel},
		"empty sections": {Type: TypeRel, Sections: []*Section{
			{Name: ".text", Kind: KindProgbits, Flags: FlagAlloc | FlagExec, Align: 8},
			{Name: ".bss", Kind: KindNobits, Flags: FlagAlloc | FlagWrite, Align: 8},
		}},
		"no symbols": {Type: TypeExec, Entry: 0x10000, Sections: []*Section{
			{Name: ".bss", Kind: KindNobits, Flags: FlagAlloc | FlagWrite, Align: 8, Addr: 0x10000, Size: 1 << 40},
		}},
	}
	for name, f := range cases {
		t.Run(name, func(t *testing.T) {
			b, err := f.Encode()
			require.NoError(t, err)
			got, err := Parse(b)
			require.NoError(t, err)
			require.Equal(t, f, got)
		})
	}
}

func TestEncodeDeterministic(t *testing.T) {
	for _, mk := range []func() *File{sampleRel, sampleExec, sampleShared} {
		a := encode(mk())
		require.Equal(t, a, encode(mk()))
		// Re-encoding what was read gives the same bytes: the layout
		// depends only on the File.
		f, err := Parse(a)
		require.NoError(t, err)
		require.Equal(t, a, encode(f))
	}
}

func TestStringTableDeduplicated(t *testing.T) {
	b := encode(sampleRel())
	h := getHeader(b)
	sh := getSectionHeader(b[h.Shoff+uint64(h.Strndx)*SectionHeaderSize:])
	st := string(b[sh.Offset : sh.Offset+sh.Size])
	require.Equal(t, "\x00.text\x00.data\x00.bss\x00.rodata\x00.comment\x00.rel.text\x00.lines.text\x00.rel.data\x00"+
		".symtab\x00.strtab\x00msg\x00counter\x00main\x00puts\x00debug_hook\x00BUFSIZE\x00buf\x00main.s\x00macros.inc\x00", st)
}

func TestImageSectionsPageAligned(t *testing.T) {
	for _, f := range []*File{sampleExec(), sampleShared()} {
		b := encode(f)
		h := getHeader(b)
		for i, s := range f.Sections {
			sh := getSectionHeader(b[h.Shoff+uint64(i+1)*SectionHeaderSize:])
			require.Equal(t, s.Name, sectionName(t, b, sh.Name))
			if s.Kind == KindProgbits {
				require.Equal(t, s.Data, b[sh.Offset:sh.Offset+sh.Size], s.Name)
			}
			switch {
			case s.Kind == KindNobits:
				require.Zero(t, sh.Offset, s.Name)
			case s.Flags&FlagAlloc != 0 && s.Flags&FlagWrite == 0:
				require.Zero(t, sh.Offset%PageSize, s.Name)
			default:
				require.NotZero(t, sh.Offset%PageSize, "%s is writable or not loaded and need not be page-aligned", s.Name)
			}
		}
	}
	// Relocatable modules are packed: .text follows the header.
	b := encode(sampleRel())
	h := getHeader(b)
	require.Equal(t, uint64(HeaderSize), getSectionHeader(b[h.Shoff+SectionHeaderSize:]).Offset)
}

func sectionName(t *testing.T, b []byte, off uint32) string {
	h := getHeader(b)
	sh := getSectionHeader(b[h.Shoff+uint64(h.Strndx)*SectionHeaderSize:])
	st, err := newStrtab(b[sh.Offset:sh.Offset+sh.Size], int64(sh.Offset))
	require.NoError(t, err)
	s, err := st.lookup(off, "", 0)
	require.NoError(t, err)
	return s
}

func TestEncodeErrors(t *testing.T) {
	cases := []struct {
		name string
		edit func(f *File)
		want string
	}{
		{"type", func(f *File) { f.Type = 0 }, "objfmt: unknown file type 0"},
		{"nil section", func(f *File) { f.Sections[1] = nil }, "objfmt: section 1 is nil"},
		{"section name NUL", func(f *File) { f.Sections[0].Name = "a\x00b" }, `objfmt: section 0 ("a\x00b"): name contains NUL`},
		{"kind", func(f *File) { f.Sections[0].Kind = KindSymtab }, `objfmt: section 0 (".text"): unknown kind 3`},
		{"size", func(f *File) { f.Sections[1].Size = 99 }, `objfmt: section 1 (".data"): size 99 != len(Data) 16`},
		{"nobits data", func(f *File) { f.Sections[2].Data = []byte{0} }, `objfmt: section 2 (".bss"): NOBITS section has 1 bytes of Data`},
		{"nobits relocs", func(f *File) { f.Sections[2].Relocs = []Reloc{{}} }, `objfmt: section 2 (".bss"): NOBITS section has relocations`},
		{"nobits lines", func(f *File) { f.Sections[2].Lines = []Line{{}} }, `objfmt: section 2 (".bss"): NOBITS section has line entries`},
		{"flags", func(f *File) { f.Sections[0].Flags |= 0x10 }, `objfmt: section 0 (".text"): unknown flags 0x10`},
		{"align 0", func(f *File) { f.Sections[0].Align = 0 }, `objfmt: section 0 (".text"): align 0 is not a power of two <= 2^31`},
		{"align 12", func(f *File) { f.Sections[0].Align = 12 }, `objfmt: section 0 (".text"): align 12 is not a power of two <= 2^31`},
		{"align 2^32", func(f *File) { f.Sections[0].Align = 1 << 32 }, `objfmt: section 0 (".text"): align 4294967296 is not a power of two <= 2^31`},
		{"reloc kind", func(f *File) { f.Sections[0].Relocs[1].Kind = 6 }, `objfmt: section 0 (".text"): relocation 1: unknown relocation kind 6`},
		{"reloc outside", func(f *File) { f.Sections[1].Relocs[2].Offset = 13 }, `objfmt: section 1 (".data"): relocation 2: PC32 at offset 0xd outside section (size 0x10)`},
		{"reloc huge offset", func(f *File) { f.Sections[1].Relocs[2].Offset = 1<<64 - 2 }, `objfmt: section 1 (".data"): relocation 2: PC32 at offset 0xfffffffffffffffe outside section (size 0x10)`},
		{"reloc sym", func(f *File) { f.Sections[1].Relocs[0].Sym = 9 }, `objfmt: section 1 (".data"): relocation 0: symbol index 9 out of range (9 symbols)`},
		{"reloc negative sym", func(f *File) { f.Sections[1].Relocs[0].Sym = -1 }, `objfmt: section 1 (".data"): relocation 0: symbol index -1 out of range (9 symbols)`},
		{"reloc order", func(f *File) { f.Sections[0].Relocs[1].Offset = 0 }, `objfmt: section 0 (".text"): relocation 1: offset 0x0 before the previous one (0x8); relocations must be sorted by offset`},
		{"line outside", func(f *File) { f.Sections[0].Lines[3].Offset = 65 }, `objfmt: section 0 (".text"): line 3: offset 0x41 outside section (size 0x40)`},
		{"line order", func(f *File) { f.Sections[0].Lines[2].Offset = 0 }, `objfmt: section 0 (".text"): line 2: offset 0x0 before the previous one (0x8); lines must be sorted by offset`},
		{"line file NUL", func(f *File) { f.Sections[0].Lines[0].File = "\x00" }, `objfmt: section 0 (".text"): line 0: file name contains NUL`},
		{"symbol name NUL", func(f *File) { f.Symbols[3].Name = "ma\x00in" }, `objfmt: symbol 3 ("ma\x00in"): name contains NUL`},
		{"symbol bind", func(f *File) { f.Symbols[3].Bind = 3 }, `objfmt: symbol 3 ("main"): unknown binding 3`},
		{"symbol type", func(f *File) { f.Symbols[3].Type = 4 }, `objfmt: symbol 3 ("main"): unknown type 4`},
		{"symbol section", func(f *File) { f.Symbols[3].Section = 5 }, `objfmt: symbol 3 ("main"): section index 5 out of range (5 sections)`},
		{"symbol section -3", func(f *File) { f.Symbols[3].Section = -3 }, `objfmt: symbol 3 ("main"): section index -3 out of range (5 sections)`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := sampleRel()
			c.edit(f)
			b, err := f.Encode()
			require.EqualError(t, err, c.want)
			require.Nil(t, b)
		})
	}
	_, err := (*File)(nil).Encode()
	require.EqualError(t, err, "objfmt: nil File")
}

func TestLineOffsetTooLarge(t *testing.T) {
	// A PROGBITS section over 4 GiB is too big for a test, so the 32-bit
	// limit is checked on checkLine itself.
	f := &File{Type: TypeRel, Sections: []*Section{{Name: ".text", Kind: KindProgbits, Align: 1}}}
	f.Sections[0].Lines = []Line{{Offset: 1}}
	_, err := f.Encode()
	require.EqualError(t, err, `objfmt: section 0 (".text"): line 0: offset 0x1 outside section (size 0x0)`)
	require.EqualError(t, checkLine(1<<32, 1<<33), "offset 0x100000000 does not fit in 32 bits")
	require.NoError(t, checkLine(1<<32-1, 1<<33))
}

func TestWriteFileAndOpen(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		f    *File
		perm os.FileMode
	}{{sampleRel(), 0o644}, {sampleExec(), 0o755}, {sampleShared(), 0o644}} {
		name := filepath.Join(dir, c.f.Type.String())
		require.NoError(t, WriteFile(name, c.f))
		fi, err := os.Stat(name)
		require.NoError(t, err)
		require.Equal(t, c.perm, fi.Mode().Perm())
		got, err := Open(name)
		require.NoError(t, err)
		require.Equal(t, c.f, got)
	}

	// An invalid File leaves the existing file alone.
	name := filepath.Join(dir, "relocatable")
	before, err := os.ReadFile(name)
	require.NoError(t, err)
	require.EqualError(t, WriteFile(name, &File{Type: 9}), "objfmt: unknown file type 9")
	after, err := os.ReadFile(name)
	require.NoError(t, err)
	require.Equal(t, before, after)
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	require.Len(t, entries, 3)
}

// WriteFile writes large sections from where they are (encode with alias)
// and the rest from one buffer: the file is byte for byte what Encode
// returns, checksum included, for images and modules, with sections of
// bytes large enough to be aliased in the middle and at the end.
func TestWriteFileAliasesLargeSections(t *testing.T) {
	big := func(n int, seed byte) []byte {
		b := make([]byte, n)
		for i := range b {
			b[i] = seed + byte(i*7)
		}
		return b
	}
	exec := sampleExec()
	exec.Sections[0].Data = big(3*aliasMin+5, 1)
	exec.Sections[0].Size = uint64(len(exec.Sections[0].Data))
	rel := sampleRel()
	rel.Sections = append(rel.Sections, &Section{Name: ".data.big", Kind: KindProgbits, Flags: FlagAlloc | FlagWrite, Align: 8, Size: aliasMin, Data: big(aliasMin, 9)})
	for name, f := range map[string]*File{"executable": exec, "relocatable": rel, "shared": sampleShared()} {
		t.Run(name, func(t *testing.T) {
			want := encode(f)
			pieces, err := f.encode(true)
			require.NoError(t, err)
			if name != "shared" {
				require.Greater(t, len(pieces), 1, "no section was aliased")
			}
			file := filepath.Join(t.TempDir(), "out")
			require.NoError(t, WriteFile(file, f))
			got, err := os.ReadFile(file)
			require.NoError(t, err)
			require.Equal(t, want, got)
			back, err := Parse(got)
			require.NoError(t, err)
			require.Equal(t, f, back)
		})
	}
}

// Tables larger than parallelFill are encoded in parts on several
// goroutines; each part starts its file-name cache afresh and the symbol
// table's null record stays zero: the file reads back as written.
func TestEncodeLargeTablesInParts(t *testing.T) {
	const n = 40000
	text := &Section{Name: ".text", Kind: KindProgbits, Flags: FlagAlloc | FlagExec, Align: 8, Size: 8 * n, Data: make([]byte, 8*n)}
	f := &File{Type: TypeRel, Sections: []*Section{text}}
	for i := range n {
		f.Symbols = append(f.Symbols, Symbol{Name: "f" + itoa(uint64(i)), Bind: BindGlobal, Type: SymFunc, Section: 0, Value: uint64(8 * i), Size: 8})
		text.Relocs = append(text.Relocs, Reloc{Offset: uint64(8 * i), Kind: RelInsnPC, Sym: (i * 7) % n, Addend: int64(i % 5)})
		text.Lines = append(text.Lines, Line{Offset: uint64(8 * i), File: "file" + itoa(uint64(i/1000)) + ".s", Line: uint32(i + 1), Col: uint32(i%80 + 1)})
	}
	require.Greater(t, uint64(n*SymbolSize), uint64(2*parallelFill))
	require.Greater(t, uint64(n*LineSize), uint64(2*parallelFill))
	require.Greater(t, uint64(n*RelocSize), uint64(2*parallelFill))
	b, err := f.Encode()
	require.NoError(t, err)
	back, err := Parse(b)
	require.NoError(t, err)
	require.Equal(t, f, back)
}
