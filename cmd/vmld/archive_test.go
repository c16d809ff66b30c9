package main

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"linkvm/objfmt"
)

// writeArchive writes an archive of the modules (name, module pairs) as
// path and returns path.
func writeArchive(t *testing.T, path string, mods ...any) string {
	t.Helper()
	var ms []*objfmt.Member
	for i := 0; i < len(mods); i += 2 {
		data, err := mods[i+1].(*objfmt.File).Encode()
		require.NoError(t, err)
		ms = append(ms, &objfmt.Member{Name: mods[i].(string), Data: data})
	}
	a, err := objfmt.BuildArchive(ms)
	require.NoError(t, err)
	require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
	require.NoError(t, objfmt.WriteArchive(path, a))
	return path
}

// libDir sets up, in the current directory, main.vo (whose _start calls
// foo), lib/libx.va (foo.vo: foo, which calls bar; bar.vo: bar; baz.vo:
// baz) and other/libx.va (foo.vo: foo).
func libDir(t *testing.T) {
	t.Chdir(t.TempDir())
	write(t, ".", "main.vo", module("main.s", []string{"_start"}, "foo"))
	writeArchive(t, "lib/libx.va",
		"foo.vo", module("foo.s", []string{"foo"}, "bar"),
		"bar.vo", module("bar.s", []string{"bar"}),
		"baz.vo", module("baz.s", []string{"baz"}))
	writeArchive(t, "other/libx.va", "foo.vo", module("other.s", []string{"foo"}))
}

// imageSymbols returns the names of the symbols of the image path.
func imageSymbols(t *testing.T, path string) []string {
	t.Helper()
	img, err := objfmt.Open(path)
	require.NoError(t, err)
	var names []string
	for _, s := range img.Symbols {
		names = append(names, s.Name)
	}
	return names
}

func TestLibraries(t *testing.T) {
	tests := []struct {
		name string
		args []string
		syms []string // the image's symbols
		out  string   // stdout
		err  string   // stderr
	}{{
		name: "-L DIR -lNAME",
		args: []string{"main.vo", "-L", "lib", "-lx"},
		syms: []string{"_start", "foo", "bar"},
	}, {
		name: "-LDIR -l NAME, before the modules",
		args: []string{"-Llib", "-l", "x", "main.vo"},
		syms: []string{"_start", "foo", "bar"},
	}, {
		name: "-L directories are searched in order",
		args: []string{"main.vo", "--library-path=other", "--library-path", "lib", "--library=x"},
		syms: []string{"_start", "foo"},
	}, {
		name: "-l:FILE",
		args: []string{"main.vo", "-Lnone", "-Llib", "-l:libx.va"},
		syms: []string{"_start", "foo", "bar"},
	}, {
		name: "an archive given by path",
		args: []string{"main.vo", "lib/libx.va", "-static", "--start-group", "other/libx.va", "--end-group"},
		syms: []string{"_start", "foo", "bar"},
	}, {
		name: "--why-extract=- and -y",
		args: []string{"main.vo", "-Llib", "-lx", "--why-extract=-", "-y", "bar", "--trace-symbol=foo"},
		syms: []string{"_start", "foo", "bar"},
		out: "main.vo: reference to foo\n" +
			"lib/libx.va: lazy definition of foo\n" +
			"lib/libx.va: lazy definition of bar\n" +
			"lib/libx.va(foo.vo): definition of foo\n" +
			"lib/libx.va(foo.vo): reference to bar\n" +
			"lib/libx.va(bar.vo): definition of bar\n" +
			"reference\textracted\tsymbol\n" +
			"main.vo\tlib/libx.va(foo.vo)\tfoo\n" +
			"lib/libx.va(foo.vo)\tlib/libx.va(bar.vo)\tbar\n",
	}, {
		name: "--warn-backrefs",
		args: []string{"lib/libx.va", "main.vo", "--warn-backrefs"},
		syms: []string{"_start", "foo", "bar"},
		err:  "vmld: warning: backward reference detected: foo in main.vo refers to lib/libx.va(foo.vo)\n",
	}, {
		name: "--warn-backrefs with a group",
		args: []string{"-(", "lib/libx.va", "main.vo", "-)", "--warn-backrefs"},
		syms: []string{"_start", "foo", "bar"},
	}, {
		name: "-u and --gc-sections with --print-gc-sections",
		args: []string{"main.vo", "-Llib", "-lx", "-u", "baz", "--gc-sections", "--print-gc-sections", "--why-extract", "-"},
		syms: []string{"_start", "foo", "bar", "baz"},
		out: "reference\textracted\tsymbol\n" +
			"main.vo\tlib/libx.va(foo.vo)\tfoo\n" +
			"lib/libx.va(foo.vo)\tlib/libx.va(bar.vo)\tbar\n" +
			"--undefined\tlib/libx.va(baz.vo)\tbaz\n",
	}, {
		name: "--no-gc-sections wins when last",
		args: []string{"main.vo", "-Llib", "-lx", "--gc-sections", "--no-gc-sections", "--print-gc-sections"},
		syms: []string{"_start", "foo", "bar"},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			libDir(t)
			status, stdout, stderr := vmld(append([]string{"-o", "out.img"}, tt.args...)...)
			require.Equal(t, 0, status, stderr)
			assert.Equal(t, tt.out, stdout)
			assert.Equal(t, tt.err, stderr)
			assert.Equal(t, tt.syms, imageSymbols(t, "out.img"))
		})
	}
}

func TestGCSectionsOption(t *testing.T) {
	t.Chdir(t.TempDir())
	m := module("main.s", []string{"_start"})
	unused := &objfmt.Section{Name: ".text.unused", Kind: objfmt.KindProgbits, Flags: objfmt.FlagAlloc | objfmt.FlagExec, Align: 8, Size: 8, Data: make([]byte, 8)}
	m.Sections = append(m.Sections, unused)
	write(t, ".", "a.vo", m)
	status, stdout, stderr := vmld("-o", "gc.img", "--gc-sections", "--print-gc-sections", "a.vo")
	require.Equal(t, 0, status, stderr)
	assert.Empty(t, stdout)
	assert.Equal(t, "vmld: removing unused section 'a.vo:(.text.unused)'\n", stderr)
	status, _, stderr = vmld("-o", "full.img", "a.vo")
	require.Equal(t, 0, status, stderr)
	gc, err := objfmt.Open("gc.img")
	require.NoError(t, err)
	full, err := objfmt.Open("full.img")
	require.NoError(t, err)
	assert.Equal(t, uint64(8), gc.Sections[0].Size)
	assert.Equal(t, uint64(16), full.Sections[0].Size)
}

func TestMapOptions(t *testing.T) {
	const want = "Entry point: _start = 0x10000\n" +
		"\n" +
		"Archive members included to satisfy references:\n" +
		"\n" +
		"lib/libx.va(foo.vo)             main.vo (foo)\n" +
		"lib/libx.va(bar.vo)             lib/libx.va(foo.vo) (bar)\n" +
		"\n" +
		"Memory map:\n" +
		"\n" +
		"     VMA     Size Align Out     In      Symbol\n" +
		"   10000       28     8 .text\n" +
		"   10000       10     8         main.vo:(.text)\n" +
		"   10000        8                       _start\n" +
		"   10010       10     8         lib/libx.va(foo.vo):(.text)\n" +
		"   10010        8                       foo\n" +
		"   10020        8     8         lib/libx.va(bar.vo):(.text)\n" +
		"   10020        8                       bar\n"
	for _, args := range [][]string{{"-Map", "out.map"}, {"-Map=out.map"}, {"-M"}, {"--print-map"}} {
		libDir(t)
		status, stdout, stderr := vmld(append([]string{"main.vo", "-Llib", "-lx"}, args...)...)
		require.Equal(t, 0, status, stderr)
		assert.Empty(t, stderr)
		if args[0] == "-M" || args[0] == "--print-map" {
			assert.Equal(t, want, stdout, "%q", args)
			continue
		}
		assert.Empty(t, stdout)
		got, err := os.ReadFile("out.map")
		require.NoError(t, err)
		assert.Equal(t, want, string(got), "%q", args)
	}
}

func TestLibraryErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		err  string
	}{{
		name: "library not found lists every path tried",
		args: []string{"main.vo", "-Lnone", "-Llib", "-lmissing", "-lx", "-l:nofile.va"},
		err: "vmld: error: unable to find library -lmissing\n" +
			">>> tried none/libmissing.vso\n" +
			">>> tried none/libmissing.va\n" +
			">>> tried lib/libmissing.vso\n" +
			">>> tried lib/libmissing.va\n" +
			"vmld: error: unable to find library -l:nofile.va\n" +
			">>> tried none/nofile.va\n" +
			">>> tried lib/nofile.va\n",
	}, {
		name: "no library directories",
		args: []string{"main.vo", "-lx"},
		err: "vmld: error: unable to find library -lx\n" +
			">>> no library directories to search (use -L DIR)\n",
	}, {
		name: "a directory is not a library",
		args: []string{"main.vo", "-Llib", "-l:sub"},
		err: "vmld: error: unable to find library -l:sub\n" +
			">>> tried lib/sub\n",
	}, {
		name: "corrupt archive file",
		args: []string{"main.vo", "bad.va"},
		err:  "vmld: error: bad.va: " + archiveError(t, "\x7fLVA junk") + "\n",
	}, {
		name: "duplicate between a module and a member",
		args: []string{"main.vo", "dup.vo", "-Llib", "-lx"},
		err: "vmld: error: duplicate symbol: bar\n" +
			">>> defined in dup.vo (dup.s:1)\n" +
			">>> defined in lib/libx.va(foo.vo) (foo.s:2)\n",
	}, {
		name: "corrupt member",
		args: []string{"main.vo", "-Lbadlib", "-lx"},
		err: "vmld: error: badlib/libx.va(foo.vo): " + parseError(t, "\x7fLVM") + "\n" +
			"vmld: error: undefined symbol: foo\n" +
			">>> referenced by main.s:1 (main.vo: function _start)\n",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Chdir(t.TempDir())
			write(t, ".", "main.vo", module("main.s", []string{"_start"}, "foo"))
			write(t, ".", "dup.vo", module("dup.s", []string{"bar"}))
			writeArchive(t, "lib/libx.va",
				"foo.vo", module("foo.s", []string{"foo", "bar"}))
			require.NoError(t, os.WriteFile("bad.va", []byte("\x7fLVA junk"), 0o644))
			require.NoError(t, os.Mkdir("lib/sub", 0o755))
			writeBadMemberArchive(t, "badlib/libx.va")
			require.NoError(t, os.WriteFile("out.img", []byte("previous image"), 0o644))
			status, stdout, stderr := vmld(append([]string{"-o", "out.img"}, tt.args...)...)
			assert.Equal(t, 1, status)
			assert.Empty(t, stdout)
			assert.Equal(t, tt.err, stderr)
			got, err := os.ReadFile("out.img")
			require.NoError(t, err)
			assert.Equal(t, "previous image", string(got))
		})
	}
}

// archiveError returns the error objfmt gives for the archive bytes data,
// without the "objfmt: " prefix, as vmld prints it.
func archiveError(t *testing.T, data string) string {
	_, err := objfmt.ParseArchive([]byte(data))
	var fe *objfmt.FormatError
	require.ErrorAs(t, err, &fe)
	return fe.Msg + " at offset 0x" + strconv.FormatInt(fe.Off, 16)
}

// parseError returns the error objfmt gives for the module bytes data.
func parseError(t *testing.T, data string) string {
	_, err := objfmt.Parse([]byte(data))
	require.Error(t, err)
	return err.Error()
}

// writeBadMemberArchive writes as path an archive whose member foo.vo,
// listed as defining foo, is not a valid module.
func writeBadMemberArchive(t *testing.T, path string) {
	t.Helper()
	a := &objfmt.Archive{
		Members: []*objfmt.Member{{Name: "foo.vo", Data: []byte("\x7fLVM")}},
		Symbols: []objfmt.ArchiveSymbol{{Name: "foo", Member: 0}},
	}
	require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
	require.NoError(t, objfmt.WriteArchive(path, a))
}

func TestReportsOfAFailedLink(t *testing.T) {
	t.Chdir(t.TempDir())
	write(t, ".", "main.vo", module("main.s", []string{"_start"}, "foo"))
	writeArchive(t, "lib/libx.va", "foo.vo", module("foo.s", []string{"foo"}, "missing"))
	status, stdout, stderr := vmld("main.vo", "lib/libx.va", "--why-extract=why.txt", "-Map", "out.map")
	assert.Equal(t, 1, status)
	assert.Empty(t, stdout)
	assert.Equal(t, "vmld: error: undefined symbol: missing\n"+
		">>> referenced by foo.s:1 (lib/libx.va(foo.vo): function foo)\n", stderr)
	// The why-extract table explains the failure; there is no map.
	why, err := os.ReadFile("why.txt")
	require.NoError(t, err)
	assert.Equal(t, "reference\textracted\tsymbol\nmain.vo\tlib/libx.va(foo.vo)\tfoo\n", string(why))
	assert.NoFileExists(t, "out.map")
	assert.NoFileExists(t, "a.img")
}

func TestReportWriteErrors(t *testing.T) {
	t.Chdir(t.TempDir())
	write(t, ".", "main.vo", module("main.s", []string{"_start"}))
	status, _, stderr := vmld("main.vo", "--why-extract=no/why.txt", "-Map=no/out.map")
	assert.Equal(t, 1, status)
	assert.Equal(t, "vmld: error: cannot write no/why.txt: no such file or directory\n"+
		"vmld: error: cannot write no/out.map: no such file or directory\n", stderr)
	assert.NoFileExists(t, "a.img")
}
