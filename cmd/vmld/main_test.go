package main

import (
	"bytes"
	"encoding/binary"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"linkvm/objfmt"
	"linkvm/vm/isa"
)

// vmld runs the command in-process and returns its status and output.
func vmld(args ...string) (status int, stdout, stderr string) {
	var out, errb bytes.Buffer
	status = run(args, &out, &errb)
	return status, out.String(), errb.String()
}

// module returns a relocatable module whose .text defines the global
// functions defs (one halt each, from line 1 of src) and calls each of
// calls from a second word.
func module(src string, defs []string, calls ...string) *objfmt.File {
	f := &objfmt.File{Type: objfmt.TypeRel}
	var code []byte
	text := &objfmt.Section{Name: ".text", Kind: objfmt.KindProgbits, Flags: objfmt.FlagAlloc | objfmt.FlagExec, Align: 8}
	for i, d := range defs {
		f.Symbols = append(f.Symbols, objfmt.Symbol{Name: d, Bind: objfmt.BindGlobal, Type: objfmt.SymFunc, Value: uint64(len(code)), Size: 8})
		text.Lines = append(text.Lines, objfmt.Line{Offset: uint64(len(code)), File: src, Line: uint32(i + 1)})
		code = binary.LittleEndian.AppendUint64(code, isa.Encode(isa.HALT, 0, 0, 0, 0))
	}
	for _, c := range calls {
		f.Symbols = append(f.Symbols, objfmt.Symbol{Name: c, Bind: objfmt.BindGlobal, Section: objfmt.SecUndef})
		text.Relocs = append(text.Relocs, objfmt.Reloc{Offset: uint64(len(code)), Kind: objfmt.RelInsnPC, Sym: len(f.Symbols) - 1})
		code = binary.LittleEndian.AppendUint64(code, isa.Encode(isa.CALL, 0, 0, 0, 0))
	}
	text.Data, text.Size = code, uint64(len(code))
	f.Sections = []*objfmt.Section{text}
	return f
}

// write writes f as name in dir and returns its path.
func write(t *testing.T, dir, name string, f *objfmt.File) string {
	t.Helper()
	p := filepath.Join(dir, name)
	require.NoError(t, objfmt.WriteFile(p, f))
	return p
}

const usage = `usage: vmld [options] input...

Links relocatable modules (.vo), the members of static libraries (.va)
that they need and shared modules (.vso) into an executable image, or with
-shared into a shared module. An input is a file (a module or a library,
told apart by content) or -lNAME. See docs/linking.md.

options:
  -o FILE, --output=FILE            write the image to FILE (default a.img, a.vso with -shared)
  -e SYMBOL, --entry=SYMBOL         start execution at SYMBOL (default _start)
  -L DIR, --library-path=DIR        add DIR to the -l search path
  -l NAME, --library=NAME           link libNAME.vso or libNAME.va from the search path (-l:FILE: FILE)
  -static, -Bstatic, --static       link statically: -l finds only libNAME.va, shared modules are refused
  -shared                           make a shared module (.vso) instead of an executable
  -soname NAME, --soname=NAME       name the shared module NAME.vso.MAJOR (required with -shared)
  --module-version=MAJOR.MINOR      the shared module's version (default MAJOR.0, MAJOR from the soname)
  -rpath DIR, --rpath=DIR           search DIR first for needed modules at load time ($ORIGIN allowed)
  -init SYMBOL                      run SYMBOL when the module is loaded (default _init, if defined)
  -fini SYMBOL                      run SYMBOL when the module is unloaded (default _fini, if defined)
  --as-needed                       need the shared modules that follow only if they resolve a reference
  --no-as-needed                    need every shared module that follows (the default)
  -E, --export-dynamic              export every global symbol of an executable to shared modules
  -Bsymbolic                        bind a shared module's references to its own symbols at link time
  -z KEYWORD                        undefs: a shared module may import undefined symbols; defs: not (default)
  --start-group, -(                 start a group of inputs (only --warn-backrefs uses groups)
  --end-group, -)                   end a group of inputs
  -u SYMBOL, --undefined=SYMBOL     treat SYMBOL as referenced (extracted; a --gc-sections root)
  --gc-sections                     remove sections unreachable from the entry symbol
  --no-gc-sections                  keep every section (the default)
  --print-gc-sections               list the sections --gc-sections removes
  --warn-backrefs                   warn about libraries listed before the files that need them
  -y SYMBOL, --trace-symbol=SYMBOL  print each file that defines or refers to SYMBOL
  --why-extract=FILE                write why each library member was linked to FILE (-: stdout)
  -Map FILE                         write the link map to FILE
  -M, --print-map                   print the link map on stdout
  -h, --help                        print this help and exit
`

func TestHelp(t *testing.T) {
	for _, arg := range []string{"-h", "--help"} {
		status, stdout, stderr := vmld(arg, "ignored.vo")
		assert.Equal(t, 0, status, arg)
		assert.Empty(t, stdout, arg)
		assert.Equal(t, usage, stderr, arg)
	}
}

func TestUsageErrors(t *testing.T) {
	const short = "usage: vmld [options] input... (vmld --help for help)\n"
	tests := []struct {
		args []string
		want string
	}{
		{nil, "vmld: no input files\n"},
		{[]string{"-o", "x.img"}, "vmld: no input files\n"},
		{[]string{"-x", "a.vo"}, "vmld: unknown option: -x\n"},
		{[]string{"--frobnicate=1", "a.vo"}, "vmld: unknown option: --frobnicate=1\n"},
		{[]string{"a.vo", "-o"}, "vmld: option -o requires an argument\n"},
		{[]string{"a.vo", "--entry"}, "vmld: option --entry requires an argument\n"},
		{[]string{"a.vo", "-e", ""}, "vmld: option -e requires a non-empty argument\n"},
		{[]string{"a.vo", "--output="}, "vmld: option --output requires a non-empty argument\n"},
		{[]string{"--help=yes"}, "vmld: option --help takes no argument\n"},
		{[]string{"-z", "lazy", "a.vo"}, "vmld: unknown -z keyword: lazy (expected defs or undefs)\n"},
		{[]string{"a.vo", "-l"}, "vmld: option -l requires an argument\n"},
		{[]string{"a.vo", "-L"}, "vmld: option -L requires an argument\n"},
		{[]string{"a.vo", "-Map"}, "vmld: option -Map requires an argument\n"},
		{[]string{"a.vo", "-Map="}, "vmld: option -Map requires a non-empty argument\n"},
		{[]string{"a.vo", "-M=x"}, "vmld: unknown option: -M=x\n"},
		{[]string{"a.vo", "--gc-sections=yes"}, "vmld: option --gc-sections takes no argument\n"},
		{[]string{"--start-group", "a.vo", "-("}, "vmld: nested --start-group\n"},
		{[]string{"a.vo", "--end-group"}, "vmld: stray --end-group\n"},
		{[]string{"-L", "lib", "-u", "f"}, "vmld: no input files\n"},
	}
	for _, tt := range tests {
		status, stdout, stderr := vmld(tt.args...)
		assert.Equal(t, 2, status, "%q", tt.args)
		assert.Empty(t, stdout)
		assert.Equal(t, tt.want+short, stderr, "%q", tt.args)
	}
}

func TestOptionSpellings(t *testing.T) {
	dir := t.TempDir()
	a := write(t, dir, "a.vo", module("a.s", []string{"_start", "main"}, "helper"))
	b := write(t, dir, "b.vo", module("b.s", []string{"helper"}))
	out := filepath.Join(dir, "out.img")
	// .text starts at 0x10000: _start, main, the call, then b's helper.
	tests := []struct {
		args  []string
		entry uint64
	}{
		{[]string{"-o", out, a, b}, 0x10000},
		{[]string{"-o" + out, a, b}, 0x10000},
		{[]string{a, "--output=" + out, b}, 0x10000},
		{[]string{a, b, "--output", out}, 0x10000},
		{[]string{"-o", out, "-e", "main", a, b}, 0x10008},
		{[]string{"-o", out, "-emain", a, b}, 0x10008},
		{[]string{"-o", out, "--entry=helper", a, b}, 0x10018},
		{[]string{"-o", out, "--entry", "helper", "-static", a, b}, 0x10018},
		{[]string{"-o", out, "--", a, b}, 0x10000},
	}
	for _, tt := range tests {
		require.NoError(t, os.RemoveAll(out))
		status, stdout, stderr := vmld(tt.args...)
		require.Equal(t, 0, status, "%q: %s", tt.args, stderr)
		assert.Empty(t, stdout)
		assert.Empty(t, stderr)
		img, err := objfmt.Open(out)
		require.NoError(t, err, "%q", tt.args)
		assert.Equal(t, objfmt.TypeExec, img.Type)
		assert.Equal(t, tt.entry, img.Entry, "%q", tt.args)
		assert.Equal(t, uint64(0x10000), img.Sections[0].Addr)
		fi, err := os.Stat(out)
		require.NoError(t, err)
		assert.Equal(t, os.FileMode(0o755), fi.Mode().Perm())
	}
}

func TestDefaultOutput(t *testing.T) {
	dir := t.TempDir()
	a := write(t, dir, "a.vo", module("a.s", []string{"_start"}))
	t.Chdir(dir)
	status, _, stderr := vmld(a)
	require.Equal(t, 0, status, stderr)
	img, err := objfmt.Open(filepath.Join(dir, "a.img"))
	require.NoError(t, err)
	assert.Equal(t, uint64(0x10000), img.Entry)
}

func TestSameInputsSameImage(t *testing.T) {
	dir := t.TempDir()
	a := write(t, dir, "a.vo", module("a.s", []string{"_start"}, "f"))
	b := write(t, dir, "b.vo", module("b.s", []string{"f"}))
	one, two := filepath.Join(dir, "1.img"), filepath.Join(dir, "2.img")
	status, _, stderr := vmld("-o", one, a, b)
	require.Equal(t, 0, status, stderr)
	status, _, stderr = vmld("-o", two, a, b)
	require.Equal(t, 0, status, stderr)
	b1, err := os.ReadFile(one)
	require.NoError(t, err)
	b2, err := os.ReadFile(two)
	require.NoError(t, err)
	assert.Equal(t, b1, b2)
}

func TestFailedLinkLeavesOutputUntouched(t *testing.T) {
	dir := t.TempDir()
	a := write(t, dir, "a.vo", module("a.s", []string{"_start", "main"}, "print_int", "print_int"))
	b := write(t, dir, "b.vo", module("b.s", []string{"main"}, "print_int"))
	bad := filepath.Join(dir, "bad.vo")
	require.NoError(t, os.WriteFile(bad, []byte("\x7fLVM garbage"), 0o644))
	c := write(t, dir, "c.vo", module("c.s", []string{"main"}))
	_, err := objfmt.Open(bad)
	var fe *objfmt.FormatError
	require.ErrorAs(t, err, &fe)
	out := filepath.Join(dir, "prog.img")
	tests := []struct {
		name string
		args []string
		want string
	}{{
		name: "link errors",
		args: []string{"-o", out, a, b},
		want: "vmld: error: duplicate symbol: main\n" +
			">>> defined in " + a + " (a.s:2)\n" +
			">>> defined in " + b + " (b.s:1)\n" +
			"vmld: error: undefined symbol: print_int\n" +
			">>> referenced by a.s:2 (" + a + ": function main)\n" +
			">>> referenced by a.s:2 (" + a + ": function main)\n" +
			">>> referenced by b.s:1 (" + b + ": function main)\n",
	}, {
		name: "unreadable inputs",
		args: []string{"-o", out, filepath.Join(dir, "missing.vo"), a, bad},
		want: "vmld: error: cannot open " + filepath.Join(dir, "missing.vo") + ": no such file or directory\n" +
			"vmld: error: " + bad + ": " + fe.Msg + " at offset 0x0\n",
	}, {
		name: "missing entry",
		args: []string{"-o", out, "-e", "begin", c},
		want: "vmld: error: undefined entry symbol: begin\n",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.NoError(t, os.WriteFile(out, []byte("previous image"), 0o644))
			status, stdout, stderr := vmld(tt.args...)
			assert.Equal(t, 1, status)
			assert.Empty(t, stdout)
			assert.Equal(t, tt.want, stderr)
			got, err := os.ReadFile(out)
			require.NoError(t, err)
			assert.Equal(t, "previous image", string(got))
			entries, err := os.ReadDir(dir)
			require.NoError(t, err)
			assert.Len(t, entries, 5, "no temporary file is left behind")
		})
	}
}

func TestWriteError(t *testing.T) {
	dir := t.TempDir()
	a := write(t, dir, "a.vo", module("a.s", []string{"_start"}))
	out := filepath.Join(dir, "no", "such", "dir", "a.img")
	status, _, stderr := vmld("-o", out, a)
	assert.Equal(t, 1, status)
	assert.Equal(t, "vmld: error: cannot write "+out+": no such file or directory\n", stderr)
}
