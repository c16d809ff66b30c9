package main

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"linkvm/objfmt"
	"linkvm/vm/isa"
)

// vmar runs the command in-process and returns its status and output.
func vmar(args ...string) (status int, stdout, stderr string) {
	var out, errb bytes.Buffer
	status = run(args, &out, &errb)
	return status, out.String(), errb.String()
}

// module returns a relocatable module whose .text defines the global
// functions defs (one ret each).
func module(defs ...string) *objfmt.File {
	f := &objfmt.File{Type: objfmt.TypeRel}
	var code []byte
	for _, d := range defs {
		f.Symbols = append(f.Symbols, objfmt.Symbol{Name: d, Bind: objfmt.BindGlobal, Type: objfmt.SymFunc, Value: uint64(len(code)), Size: 8})
		code = binary.LittleEndian.AppendUint64(code, isa.Encode(isa.RET, 0, 0, 0, 0))
	}
	f.Sections = []*objfmt.Section{{Name: ".text", Kind: objfmt.KindProgbits, Flags: objfmt.FlagAlloc | objfmt.FlagExec,
		Align: 8, Size: uint64(len(code)), Data: code}}
	return f
}

// fixture makes a temporary directory, changes into it and writes
// a.vo (defines a), b.vo (b1, b2) and c.vo (c) there.
func fixture(t *testing.T) string {
	dir := t.TempDir()
	t.Chdir(dir)
	writeModule(t, "a.vo", module("a"))
	writeModule(t, "b.vo", module("b1", "b2"))
	writeModule(t, "c.vo", module("c"))
	return dir
}

func writeModule(t *testing.T, name string, f *objfmt.File) {
	t.Helper()
	require.NoError(t, os.MkdirAll(filepath.Dir(name), 0o755))
	require.NoError(t, objfmt.WriteFile(name, f))
}

func readFile(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(name)
	require.NoError(t, err)
	return b
}

// members returns the member names and index of the archive name.
func members(t *testing.T, name string) ([]string, []objfmt.ArchiveSymbol) {
	t.Helper()
	a, err := objfmt.OpenArchive(name)
	require.NoError(t, err)
	var names []string
	for _, m := range a.Members {
		names = append(names, m.Name)
	}
	return names, a.Symbols
}

// ok runs vmar, requires success with no messages, and returns stdout.
func ok(t *testing.T, args ...string) string {
	t.Helper()
	status, out, errs := vmar(args...)
	require.Equal(t, "", errs)
	require.Equal(t, 0, status)
	return out
}

func TestCreateAndList(t *testing.T) {
	fixture(t)
	require.Equal(t, "", ok(t, "rcs", "libx.va", "a.vo", "b.vo"))
	names, syms := members(t, "libx.va")
	require.Equal(t, []string{"a.vo", "b.vo"}, names)
	require.Equal(t, []objfmt.ArchiveSymbol{{Name: "a", Member: 0}, {Name: "b1", Member: 1}, {Name: "b2", Member: 1}}, syms)

	require.Equal(t, "a.vo\nb.vo\n", ok(t, "t", "libx.va"))
	require.Equal(t, "a.vo\nb.vo\n", ok(t, "-t", "libx.va"))
	sizeA, sizeB := len(readFile(t, "a.vo")), len(readFile(t, "b.vo"))
	require.Equal(t, fmt.Sprintf("%d a.vo\n%d b.vo\n", sizeA, sizeB), ok(t, "tv", "libx.va"))
	require.Equal(t, fmt.Sprintf("%d b.vo\n", sizeB), ok(t, "-tv", "libx.va", "b.vo"))
	// Sizes are right-aligned.
	var defs []string
	for i := range 40 {
		defs = append(defs, fmt.Sprintf("f%d", i))
	}
	writeModule(t, "big.vo", module(defs...))
	sizeBig := len(readFile(t, "big.vo"))
	require.Less(t, sizeA, 1000)
	require.GreaterOrEqual(t, sizeBig, 1000)
	require.Less(t, sizeBig, 10000)
	ok(t, "rcs", "big.va", "a.vo", "big.vo")
	require.Equal(t, fmt.Sprintf(" %d a.vo\n%d big.vo\n", sizeA, sizeBig), ok(t, "tv", "big.va"))
	require.Equal(t, "a.vo\nb.vo\n", ok(t, "t", "libx.va", "b.vo", "a.vo"), "archive order")

	// Member bytes are the files' bytes.
	a, err := objfmt.OpenArchive("libx.va")
	require.NoError(t, err)
	require.Equal(t, readFile(t, "a.vo"), a.Members[0].Data)
	require.Equal(t, readFile(t, "b.vo"), a.Members[1].Data)
}

func TestCreateWarnsWithoutC(t *testing.T) {
	fixture(t)
	status, out, errs := vmar("r", "libx.va", "a.vo")
	require.Equal(t, 0, status)
	require.Equal(t, "", out)
	require.Equal(t, "vmar: creating libx.va\n", errs)
	// Not when the archive exists.
	require.Equal(t, "", ok(t, "r", "libx.va", "b.vo"))
	// An empty archive can be created.
	require.Equal(t, "", ok(t, "rc", "empty.va"))
	names, syms := members(t, "empty.va")
	require.Empty(t, names)
	require.Empty(t, syms)
}

func TestReplaceKeepsPosition(t *testing.T) {
	fixture(t)
	ok(t, "rcs", "libx.va", "a.vo", "b.vo", "c.vo")
	// A new b.vo in another directory replaces the member in place; d.vo
	// is appended.
	writeModule(t, "new/b.vo", module("bnew"))
	writeModule(t, "d.vo", module("d"))
	require.Equal(t, "r - b.vo\na - d.vo\n", ok(t, "rv", "libx.va", "new/b.vo", "d.vo"))
	names, syms := members(t, "libx.va")
	require.Equal(t, []string{"a.vo", "b.vo", "c.vo", "d.vo"}, names)
	require.Equal(t, []objfmt.ArchiveSymbol{{Name: "a", Member: 0}, {Name: "bnew", Member: 1}, {Name: "c", Member: 2}, {Name: "d", Member: 3}}, syms)
	a, err := objfmt.OpenArchive("libx.va")
	require.NoError(t, err)
	require.Equal(t, readFile(t, "new/b.vo"), a.Members[1].Data)

	// The same name twice: the later file wins.
	writeModule(t, "e.vo", module("e"))
	writeModule(t, "new/e.vo", module("enew"))
	require.Equal(t, "a - e.vo\nr - e.vo\n", ok(t, "-crv", "liby.va", "e.vo", "new/e.vo"))
	names, syms = members(t, "liby.va")
	require.Equal(t, []string{"e.vo"}, names)
	require.Equal(t, []objfmt.ArchiveSymbol{{Name: "enew", Member: 0}}, syms)
}

func TestDeterministic(t *testing.T) {
	fixture(t)
	ok(t, "rcs", "one.va", "a.vo", "b.vo")
	ok(t, "rcs", "two.va", "a.vo")
	ok(t, "rs", "two.va", "b.vo")
	require.Equal(t, readFile(t, "one.va"), readFile(t, "two.va"))
	// Touching the inputs changes nothing.
	now := readFile(t, "a.vo")
	require.NoError(t, os.WriteFile("a.vo", now, 0o600))
	ok(t, "rcs", "three.va", "a.vo", "b.vo")
	require.Equal(t, readFile(t, "one.va"), readFile(t, "three.va"))
}

func TestExtract(t *testing.T) {
	dir := fixture(t)
	ok(t, "rcs", "libx.va", "a.vo", "b.vo", "c.vo")
	want := map[string][]byte{}
	for _, n := range []string{"a.vo", "b.vo", "c.vo"} {
		want[n] = readFile(t, n)
		require.NoError(t, os.Remove(n))
	}
	require.Equal(t, "x - c.vo\n", ok(t, "xv", "libx.va", "c.vo"))
	require.Equal(t, want["c.vo"], readFile(t, "c.vo"))
	_, err := os.Stat("a.vo")
	require.ErrorIs(t, err, os.ErrNotExist)

	require.Equal(t, "", ok(t, "-x", "libx.va"))
	for n, b := range want {
		require.Equal(t, b, readFile(t, n))
	}
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	require.Len(t, entries, 4, "no temporary files left")
}

func TestDelete(t *testing.T) {
	fixture(t)
	ok(t, "rcs", "libx.va", "a.vo", "b.vo", "c.vo")
	require.Equal(t, "d - a.vo\nd - c.vo\n", ok(t, "dv", "libx.va", "c.vo", "a.vo"))
	names, syms := members(t, "libx.va")
	require.Equal(t, []string{"b.vo"}, names)
	require.Equal(t, []objfmt.ArchiveSymbol{{Name: "b1", Member: 0}, {Name: "b2", Member: 0}}, syms)
	ok(t, "ds", "libx.va", "b.vo")
	names, _ = members(t, "libx.va")
	require.Empty(t, names)
}

func TestRebuildIndex(t *testing.T) {
	fixture(t)
	ok(t, "rcs", "libx.va", "a.vo", "b.vo")
	good := readFile(t, "libx.va")
	// Write an archive with an empty index; s rebuilds it.
	a, err := objfmt.OpenArchive("libx.va")
	require.NoError(t, err)
	a.Symbols = nil
	require.NoError(t, objfmt.WriteArchive("libx.va", a))
	require.NotEqual(t, good, readFile(t, "libx.va"))
	require.Equal(t, "", ok(t, "s", "libx.va"))
	require.Equal(t, good, readFile(t, "libx.va"))
	require.Equal(t, "", ok(t, "-s", "libx.va"))
	require.Equal(t, good, readFile(t, "libx.va"))
}

func TestHelp(t *testing.T) {
	for _, h := range []string{"-h", "--help", "-help"} {
		status, out, errs := vmar(h)
		require.Equal(t, 0, status)
		require.Equal(t, "", out)
		require.Equal(t, usage, errs)
	}
}

func TestUsageErrors(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{nil, "missing operation"},
		{[]string{"-"}, "missing operation"},
		{[]string{"q", "libx.va"}, `unknown operation or modifier "q" in "q"`},
		{[]string{"-rq", "libx.va"}, `unknown operation or modifier "q" in "-rq"`},
		{[]string{"rt", "libx.va"}, `more than one operation in "rt"`},
		{[]string{"rxr", "libx.va"}, `more than one operation in "rxr"`},
		{[]string{"cv", "libx.va"}, `no operation in "cv"`},
		{[]string{"tc", "libx.va"}, "modifier 'c' needs operation r"},
		{[]string{"ts", "libx.va"}, "modifier 's' needs operation r or d"},
		{[]string{"xs", "libx.va"}, "modifier 's' needs operation r or d"},
		{[]string{"rcs"}, "missing archive name"},
		{[]string{"d", "libx.va"}, "operation d needs member names"},
		{[]string{"s", "libx.va", "a.vo"}, "operation s takes no member names"},
	}
	for _, c := range cases {
		status, out, errs := vmar(c.args...)
		require.Equal(t, 2, status, "%q", c.args)
		require.Equal(t, "", out)
		require.Equal(t, "vmar: "+c.want+"\n"+shortUsage, errs, "%q", c.args)
	}
}

func TestErrors(t *testing.T) {
	dir := fixture(t)
	ok(t, "rcs", "libx.va", "a.vo", "b.vo")
	good := readFile(t, "libx.va")
	require.NoError(t, os.WriteFile("junk.vo", []byte("not an object"), 0o644))
	require.NoError(t, os.WriteFile("short.vo", []byte("\x7fLVM\x01\x00"), 0o644))
	img := module("_start")
	img.Type = objfmt.TypeExec
	img.Sections[0].Align = objfmt.PageSize
	img.Sections[0].Addr = 0x10000
	img.Symbols[0].Value = 0x10000
	writeModule(t, "prog.img", img)
	require.NoError(t, os.Mkdir("sub", 0o755))

	cases := []struct {
		name string
		args []string
		want string
	}{
		{"missing archive", []string{"t", "nope.va"}, "vmar: nope.va: no such file or directory\n"},
		{"missing archive x", []string{"x", "nope.va"}, "vmar: nope.va: no such file or directory\n"},
		{"missing archive d", []string{"d", "nope.va", "a.vo"}, "vmar: nope.va: no such file or directory\n"},
		{"missing archive s", []string{"s", "nope.va"}, "vmar: nope.va: no such file or directory\n"},
		{"not an archive", []string{"t", "a.vo"}, `vmar: a.vo: objfmt: bad archive magic "\x7fLVM" at offset 0x0` + "\n"},
		{"r into a module", []string{"rcs", "a.vo", "b.vo"}, `vmar: a.vo: objfmt: bad archive magic "\x7fLVM" at offset 0x0` + "\n"},
		{"archive is a directory", []string{"rcs", "sub", "a.vo"}, "vmar: sub: is a directory\n"},
		{"no such member t", []string{"t", "libx.va", "a.vo", "foo.vo"}, "vmar: libx.va: no such member: foo.vo\n"},
		{"no such member x", []string{"x", "libx.va", "foo.vo", "bar.vo", "foo.vo"},
			"vmar: libx.va: no such member: foo.vo\nvmar: libx.va: no such member: bar.vo\n"},
		{"no such member d", []string{"d", "libx.va", "a.vo", "foo.vo"}, "vmar: libx.va: no such member: foo.vo\n"},
		{"missing input", []string{"rcs", "libx.va", "c.vo", "nope.vo"}, "vmar: nope.vo: no such file or directory\n"},
		{"junk input", []string{"rcs", "libx.va", "junk.vo", "c.vo", "short.vo"},
			`vmar: junk.vo: objfmt: bad magic "not " at offset 0x0` + "\n" +
				"vmar: short.vo: objfmt: header truncated (6 of 64 bytes) at offset 0x0\n"},
		{"executable input", []string{"rcs", "libx.va", "prog.img"}, "vmar: prog.img: executable file, not a relocatable module\n"},
		{"directory input", []string{"rcs", "libx.va", "sub"}, "vmar: sub: is a directory\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			status, out, errs := vmar(c.args...)
			require.Equal(t, 1, status)
			require.Equal(t, "", out)
			require.Equal(t, c.want, errs)
			// Nothing changed.
			require.Equal(t, good, readFile(t, "libx.va"))
			_, err := os.Stat("c.vo")
			require.NoError(t, err)
			_, err = os.Stat("nope.va")
			require.ErrorIs(t, err, os.ErrNotExist)
		})
	}
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	require.Len(t, entries, 8, "no temporary files left")
}

// An archive whose member is damaged (but whose container is fine) is
// read by t and x, and rejected, naming the member, where the index must
// be rebuilt.
func TestDamagedMember(t *testing.T) {
	fixture(t)
	bad := &objfmt.Archive{Members: []*objfmt.Member{
		{Name: "a.vo", Data: readFile(t, "a.vo")},
		{Name: "strlen.vo", Data: []byte("\x7fLVM\x02\x00")},
	}}
	require.NoError(t, objfmt.WriteArchive("bad.va", bad))
	before := readFile(t, "bad.va")
	require.Equal(t, "a.vo\nstrlen.vo\n", ok(t, "t", "bad.va"))
	for _, args := range [][]string{{"s", "bad.va"}, {"r", "bad.va", "c.vo"}, {"d", "bad.va", "a.vo"}} {
		status, out, errs := vmar(args...)
		require.Equal(t, 1, status)
		require.Equal(t, "", out)
		require.Equal(t, "vmar: bad.va: strlen.vo: objfmt: header truncated (6 of 64 bytes) at offset 0x0\n", errs)
		require.Equal(t, before, readFile(t, "bad.va"))
	}
	// Deleting the damaged member repairs the archive.
	require.Equal(t, "", ok(t, "d", "bad.va", "strlen.vo"))
	names, syms := members(t, "bad.va")
	require.Equal(t, []string{"a.vo"}, names)
	require.Equal(t, []objfmt.ArchiveSymbol{{Name: "a", Member: 0}}, syms)
}

func TestBadMemberNameFromInput(t *testing.T) {
	fixture(t)
	writeModule(t, `back\slash.vo`, module("z"))
	status, _, errs := vmar("rc", "libx.va", `back\slash.vo`)
	require.Equal(t, 1, status)
	require.Equal(t, `vmar: libx.va: objfmt: archive member 0: name "back\\slash.vo" contains '\'`+"\n", errs)
	_, err := os.Stat("libx.va")
	require.ErrorIs(t, err, os.ErrNotExist)
}

func TestWriteFailure(t *testing.T) {
	dir := fixture(t)
	// The archive's directory does not exist: nothing can be created.
	status, _, errs := vmar("rc", filepath.Join("nodir", "libx.va"), "a.vo")
	require.Equal(t, 1, status)
	require.Equal(t, "vmar: cannot write nodir/libx.va: no such file or directory\n", errs)

	// A directory stands where a member would be extracted.
	ok(t, "rcs", "libx.va", "a.vo", "b.vo")
	require.NoError(t, os.Remove("b.vo"))
	require.NoError(t, os.Mkdir("b.vo", 0o755))
	require.NoError(t, os.WriteFile(filepath.Join("b.vo", "keep"), nil, 0o644))
	status, _, errs = vmar("x", "libx.va", "b.vo")
	require.Equal(t, 1, status)
	// The reason depends on the file system (EISDIR, EEXIST); the
	// temporary file's name never shows.
	require.Regexp(t, `^vmar: cannot write b\.vo: (is a directory|file exists|directory not empty)\n$`, errs)
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	require.Len(t, entries, 4, "no temporary files left")
}
