package objfmt

import (
	"encoding/hex"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"linkvm/vm/isa"
)

// defsModule is a relocatable module defining symbols of every binding
// and kind of definition: local, global (in a section and absolute), weak,
// and a global with an empty name, plus undefined globals and weaks.
func defsModule() *File {
	text := words(isa.Encode(isa.RET, 0, 0, 0, 0), isa.Encode(isa.RET, 0, 0, 0, 0))
	return &File{
		Type: TypeRel,
		Sections: []*Section{
			{Name: ".text", Kind: KindProgbits, Flags: FlagAlloc | FlagExec, Align: 8, Size: uint64(len(text)), Data: text},
			{Name: ".bss", Kind: KindNobits, Flags: FlagAlloc | FlagWrite, Align: 8, Size: 8},
		},
		Symbols: []Symbol{
			{Name: "", Bind: BindLocal, Type: SymSection, Section: 0},
			{Name: "helper", Bind: BindLocal, Type: SymFunc, Section: 0, Size: 8},
			{Name: "g", Bind: BindGlobal, Type: SymFunc, Section: 0, Value: 8, Size: 8},
			{Name: "w", Bind: BindWeak, Type: SymObject, Section: 1, Size: 8},
			{Name: "ext", Bind: BindGlobal, Section: SecUndef},
			{Name: "wext", Bind: BindWeak, Section: SecUndef},
			{Name: "K", Bind: BindGlobal, Section: SecAbs, Value: 42},
			{Name: "", Bind: BindGlobal, Section: 0},
		},
	}
}

// sampleMembers returns fresh members: tiny() (no definitions),
// defsModule() and sampleRel().
func sampleMembers() []*Member {
	return []*Member{
		{Name: "call.vo", Data: encode(tiny())},
		{Name: "g.vo", Data: encode(defsModule())},
		{Name: "main.vo", Data: encode(sampleRel())},
	}
}

func sampleArchive(t *testing.T) *Archive {
	t.Helper()
	a, err := BuildArchive(sampleMembers())
	require.NoError(t, err)
	return a
}

func TestBuildArchiveIndex(t *testing.T) {
	a := sampleArchive(t)
	require.Equal(t, []ArchiveSymbol{
		{Name: "g", Member: 1},
		{Name: "w", Member: 1},
		{Name: "K", Member: 1},
		{Name: "counter", Member: 2},
		{Name: "main", Member: 2},
		{Name: "BUFSIZE", Member: 2},
		{Name: "main", Member: 2},
	}, a.Symbols)
	require.Equal(t, sampleMembers(), a.Members)

	empty, err := BuildArchive(nil)
	require.NoError(t, err)
	require.Equal(t, &Archive{Members: []*Member{}}, empty)
}

// BuildArchive keeps its own slice of members.
func TestBuildArchiveCopiesSlice(t *testing.T) {
	ms := sampleMembers()
	a, err := BuildArchive(ms)
	require.NoError(t, err)
	ms[0] = nil
	require.Equal(t, "call.vo", a.Members[0].Name)
}

func TestArchiveRoundTrip(t *testing.T) {
	a := sampleArchive(t)
	b, err := a.Encode()
	require.NoError(t, err)
	got, err := ParseArchive(b)
	require.NoError(t, err)
	require.Equal(t, a.Symbols, got.Symbols)
	require.Len(t, got.Members, len(a.Members))
	for i, m := range got.Members {
		require.Equal(t, a.Members[i].Name, m.Name)
		require.Equal(t, a.Members[i].Data, m.Data)
		require.Zero(t, m.Off%8)
		require.Equal(t, m.Data, b[m.Off:m.Off+int64(len(m.Data))], "Off locates the data")
		f, err := m.File()
		require.NoError(t, err)
		want, err := a.Members[i].File()
		require.NoError(t, err)
		require.Equal(t, want, f)
	}
	require.Zero(t, len(b)%8)
	b2, err := got.Encode()
	require.NoError(t, err)
	require.Equal(t, b, b2)

	// Members are not parsed by the reader: any bytes round-trip, and
	// empty ones read back as nil.
	raw := &Archive{Members: []*Member{{Name: "x", Data: []byte("xyz")}, {Name: "empty"}, {Name: "y", Data: []byte{1}}}}
	b, err = raw.Encode()
	require.NoError(t, err)
	got, err = ParseArchive(b)
	require.NoError(t, err)
	require.Equal(t, []*Member{{Name: "x", Data: []byte("xyz"), Off: 0x98}, {Name: "empty", Off: 0xa0}, {Name: "y", Data: []byte{1}, Off: 0xa0}}, got.Members)
	require.Nil(t, got.Symbols)
	require.Len(t, b, 0xa8)
}

func TestArchiveEncodeDeterministic(t *testing.T) {
	b1, err := sampleArchive(t).Encode()
	require.NoError(t, err)
	a := sampleArchive(t)
	for i, m := range a.Members {
		m.Off = int64(1000 * (i + 1)) // ignored
	}
	b2, err := a.Encode()
	require.NoError(t, err)
	require.Equal(t, b1, b2)
	b3, err := a.Encode()
	require.NoError(t, err)
	require.Equal(t, b1, b3)

	// The member order matters.
	ms := sampleMembers()
	ms[0], ms[2] = ms[2], ms[0]
	swapped, err := BuildArchive(ms)
	require.NoError(t, err)
	b4, err := swapped.Encode()
	require.NoError(t, err)
	require.NotEqual(t, b1, b4)
}

func TestEmptyArchive(t *testing.T) {
	b, err := (&Archive{}).Encode()
	require.NoError(t, err)
	require.Equal(t, "7f4c564102000000"+"0000000000000000"+
		"4000000000000000"+"4000000000000000"+"4000000000000000"+"0100000000000000"+
		"d9361814"+strings.Repeat("00", 12)+"0000000000000000", hex.EncodeToString(b))
	a, err := ParseArchive(b)
	require.NoError(t, err)
	require.Equal(t, &Archive{Members: []*Member{}}, a)
}

func TestBuildArchiveErrors(t *testing.T) {
	exec := encode(sampleExec())
	good := encode(tiny())
	cases := []struct {
		name    string
		members []*Member
		want    string
		is      error
	}{
		{"not an object", []*Member{{Name: "a.vo", Data: good}, {Name: "strlen.vo", Data: []byte("hello")}},
			`strlen.vo: objfmt: bad magic "hell" at offset 0x0`, ErrNotObject},
		{"truncated", []*Member{{Name: "strlen.vo", Data: good[:0x100]}},
			"strlen.vo: objfmt: section header table (offset 0xe8, size 0x120) extends past end of file at offset 0x10", ErrTruncated},
		{"corrupt", []*Member{{Name: "strlen.vo", Data: put16(6, 9)(append([]byte(nil), good...))}},
			"strlen.vo: objfmt: unknown file type 9 at offset 0x6", nil},
		{"executable", []*Member{{Name: "prog.img", Data: exec}}, "prog.img: objfmt: executable file, not a relocatable module", nil},
		{"nil member", []*Member{{Name: "a.vo", Data: good}, nil}, "objfmt: archive member 1 is nil", nil},
		{"empty name", []*Member{{Name: "", Data: good}}, `objfmt: archive member 0: name "" is empty`, nil},
		{"slash", []*Member{{Name: "lib/a.vo", Data: good}}, `objfmt: archive member 0: name "lib/a.vo" contains '/'`, nil},
		{"backslash", []*Member{{Name: `lib\a.vo`, Data: good}}, `objfmt: archive member 0: name "lib\\a.vo" contains '\'`, nil},
		{"dot", []*Member{{Name: ".", Data: good}}, `objfmt: archive member 0: name "." is not a file name`, nil},
		{"dotdot", []*Member{{Name: "..", Data: good}}, `objfmt: archive member 0: name ".." is not a file name`, nil},
		{"NUL", []*Member{{Name: "a\x00", Data: good}}, `objfmt: archive member 0: name "a\x00" contains NUL`, nil},
		{"duplicate", []*Member{{Name: "a.vo", Data: good}, {Name: "b.vo", Data: good}, {Name: "a.vo", Data: good}},
			`objfmt: archive member 2: duplicate name "a.vo" (also member 0)`, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a, err := BuildArchive(c.members)
			require.EqualError(t, err, c.want)
			require.Nil(t, a)
			if c.is != nil {
				require.ErrorIs(t, err, c.is)
			}
		})
	}
}

func TestArchiveEncodeErrors(t *testing.T) {
	m := func(names ...string) []*Member {
		var ms []*Member
		for _, n := range names {
			ms = append(ms, &Member{Name: n, Data: []byte{1}})
		}
		return ms
	}
	cases := []struct {
		name string
		a    *Archive
		want string
	}{
		{"nil", nil, "objfmt: nil Archive"},
		{"nil member", &Archive{Members: []*Member{nil}}, "objfmt: archive member 0 is nil"},
		{"bad name", &Archive{Members: m("a", "b/c")}, `objfmt: archive member 1: name "b/c" contains '/'`},
		{"duplicate", &Archive{Members: m("a", "a")}, `objfmt: archive member 1: duplicate name "a" (also member 0)`},
		{"symbol empty", &Archive{Members: m("a"), Symbols: []ArchiveSymbol{{Name: "", Member: 0}}}, "objfmt: archive symbol 0: empty name"},
		{"symbol NUL", &Archive{Members: m("a"), Symbols: []ArchiveSymbol{{Name: "f\x00", Member: 0}}},
			`objfmt: archive symbol 0 ("f\x00"): name contains NUL`},
		{"symbol member range", &Archive{Members: m("a"), Symbols: []ArchiveSymbol{{Name: "f", Member: 1}}},
			`objfmt: archive symbol 0 ("f"): member 1 out of range (1 members)`},
		{"symbol member negative", &Archive{Members: m("a"), Symbols: []ArchiveSymbol{{Name: "f", Member: -1}}},
			`objfmt: archive symbol 0 ("f"): member -1 out of range (1 members)`},
		{"symbol order", &Archive{Members: m("a", "b"), Symbols: []ArchiveSymbol{{Name: "f", Member: 1}, {Name: "g", Member: 0}}},
			`objfmt: archive symbol 1 ("g"): member 0 before member 1 of the previous symbol`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b, err := c.a.Encode()
			require.EqualError(t, err, c.want)
			require.Nil(t, b)
			require.EqualError(t, WriteArchive(filepath.Join(t.TempDir(), "x.va"), c.a), c.want)
		})
	}
}

func TestIsArchive(t *testing.T) {
	require.True(t, IsArchive([]byte(ArchiveMagic)))
	require.True(t, IsArchive(encodeArchive(t, sampleArchive(t))))
	require.False(t, IsArchive([]byte(ArchiveMagic[:3])))
	require.False(t, IsArchive(nil))
	require.False(t, IsArchive(encode(tiny())))
}

func TestWriteAndOpenArchive(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "libx.va")
	a := sampleArchive(t)
	require.NoError(t, WriteArchive(name, a))
	fi, err := os.Stat(name)
	require.NoError(t, err)
	require.Equal(t, os.FileMode(0o644), fi.Mode().Perm())
	got, err := OpenArchive(name)
	require.NoError(t, err)
	b, err := os.ReadFile(name)
	require.NoError(t, err)
	want, err := ParseArchive(b)
	require.NoError(t, err)
	require.Equal(t, want, got)
	require.Equal(t, a.Symbols, got.Symbols)

	_, err = OpenArchive(filepath.Join(dir, "missing.va"))
	require.ErrorIs(t, err, fs.ErrNotExist)
	_, err = OpenArchive(dir)
	require.EqualError(t, err, "open "+dir+": is a directory")

	vo := filepath.Join(dir, "a.vo")
	require.NoError(t, WriteFile(vo, tiny()))
	_, err = OpenArchive(vo)
	require.EqualError(t, err, `objfmt: bad archive magic "\x7fLVM" at offset 0x0`)
	require.ErrorIs(t, err, ErrNotObject)

	// A failed write leaves the old archive alone.
	require.Error(t, WriteArchive(name, &Archive{Members: []*Member{nil}}))
	after, err := os.ReadFile(name)
	require.NoError(t, err)
	require.Equal(t, b, after)
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	require.Len(t, entries, 2)
}

func encodeArchive(t *testing.T, a *Archive) []byte {
	t.Helper()
	b, err := a.Encode()
	require.NoError(t, err)
	return b
}

// The annotated example in docs/objfmt.md must be the real encoding of
// docArchive().
func TestDocArchiveHexDump(t *testing.T) {
	doc, err := os.ReadFile("../docs/objfmt.md")
	require.NoError(t, err)
	const begin, end = "<!-- hexdump:archive -->\n```\n", "```\n<!-- end hexdump -->"
	s := string(doc)
	i := strings.Index(s, begin)
	require.GreaterOrEqual(t, i, 0, "hex dump marker missing")
	s = s[i+len(begin):]
	j := strings.Index(s, end)
	require.GreaterOrEqual(t, j, 0, "hex dump end marker missing")
	b := encodeArchive(t, docArchive(t))
	// The dump stops before the members' bytes.
	a, err := ParseArchive(b)
	require.NoError(t, err)
	require.Equal(t, hex.Dump(b[:a.Members[0].Off]), s[:j])
	require.Equal(t, int64(0xa0), a.Members[0].Off)
	require.Equal(t, int64(0x2a8), a.Members[1].Off)
	require.Len(t, b, 0x540)
}

// docArchive is the example of docs/objfmt.md: tiny() as "call.vo" and
// defsModule() as "g.vo".
func docArchive(t *testing.T) *Archive {
	a, err := BuildArchive([]*Member{
		{Name: "call.vo", Data: encode(tiny())},
		{Name: "g.vo", Data: encode(defsModule())},
	})
	require.NoError(t, err)
	return a
}

func TestMemberFileError(t *testing.T) {
	_, err := (&Member{Name: "x.vo", Data: []byte("\x7fLVM")}).File()
	require.EqualError(t, err, "objfmt: header truncated (4 of 64 bytes) at offset 0x0")
	require.True(t, errors.Is(err, ErrTruncated))
}
