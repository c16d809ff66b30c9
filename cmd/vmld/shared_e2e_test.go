package main

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"linkvm/dynld"
	"linkvm/objfmt"
	"linkvm/vm"
)

// greetSource is libgreet: greet() counts its calls in count, a global
// the program reads through the GOT, and prints a line twice with emit, a
// global function of the library: once through a function pointer in
// .data (an ABS64 dynamic relocation), once by a call through the
// library's own PLT (emit could be interposed). The read-only table makes
// the library big enough that copying it into a static image costs pages.
const greetSource = `
        .text
        .global greet
        .type greet, @function
greet:  enter 0
        ldpc  r1, count@got
        ld64  r2, [r1]
        addi  r2, r2, 1
        st64  r2, [r1]
        la    r1, ops
        ld64  r1, [r1]
        callr r1
        call  emit
        leave
        ret

        .global emit
        .type emit, @function
emit:   li    r0, 1
        la    r1, msg
        li    r2, msg_len
        sys   1
        ret

        .data
        .global count
        .type count, @object
count:  .quad 0
ops:    .quad emit

        .rodata
msg:    .ascii "hello from libgreet\n"
        .equ  msg_len, . - msg
table:  .space 10000
`

// progSource calls greet twice, once as a plain call and once @plt, and
// exits with the count the library kept.
const progSource = `
        .text
        .global _start
_start: call  greet
        call  greet@plt
        ldpc  r1, count@got
        ld64  r0, [r1]
        sys   0
`

// runOutput runs the image path with dynld (which also runs static
// images) and returns its exit status and standard output.
func runOutput(t *testing.T, path string) (int, string) {
	t.Helper()
	var out bytes.Buffer
	p, err := dynld.Load(path, vm.Config{Args: []string{path}, Stdout: &out}, dynld.Config{})
	require.NoError(t, err)
	status, err := p.Run()
	require.NoError(t, err)
	return status, out.String()
}

// TestSharedAndStaticGreet is issue 4's done-means for the linker: the
// same program linked against libgreet.vso and, statically, against
// libgreet.va prints the same output, and the dynamic image is smaller.
func TestSharedAndStaticGreet(t *testing.T) {
	t.Chdir(t.TempDir())
	write(t, ".", "greet.vo", assemble(t, "greet.s", greetSource))
	write(t, ".", "prog.vo", assemble(t, "prog.s", progSource))
	writeArchive(t, "lib/libgreet.va", "greet.vo", assemble(t, "greet.s", greetSource))

	status, _, stderr := vmld("-shared", "-soname", "libgreet.vso.1", "--module-version", "1.2", "-o", "lib/libgreet.vso", "greet.vo")
	require.Equal(t, 0, status, stderr)
	status, _, stderr = vmld("-o", "prog.img", "-rpath", "$ORIGIN/lib", "prog.vo", "-Llib", "-lgreet")
	require.Equal(t, 0, status, stderr)
	status, _, stderr = vmld("-static", "-o", "static.img", "prog.vo", "-Llib", "-lgreet")
	require.Equal(t, 0, status, stderr)

	lib, err := objfmt.Open("lib/libgreet.vso")
	require.NoError(t, err)
	assert.Equal(t, objfmt.TypeShared, lib.Type)
	assert.Equal(t, "libgreet.vso.1", lib.Dynamic.Soname)
	assert.Equal(t, "1.2", lib.Dynamic.Version)
	img, err := objfmt.Open("prog.img")
	require.NoError(t, err)
	assert.Equal(t, []string{"libgreet.vso.1"}, img.Dynamic.Needed)
	assert.Equal(t, []string{"$ORIGIN/lib"}, img.Dynamic.Runpath)
	assert.Equal(t, []string{"ABS64 emit", "GLOB_DAT count", "JUMP_SLOT emit"}, dynRelocs(lib))
	assert.Equal(t, []string{"GLOB_DAT count", "JUMP_SLOT greet"}, dynRelocs(img))
	static, err := objfmt.Open("static.img")
	require.NoError(t, err)
	assert.Nil(t, static.Dynamic)

	want := strings.Repeat("hello from libgreet\n", 4)
	status, out := runOutput(t, "prog.img")
	assert.Equal(t, 2, status)
	assert.Equal(t, want, out)
	status, out = runOutput(t, "static.img")
	assert.Equal(t, 2, status)
	assert.Equal(t, want, out)

	assert.Less(t, fileSize(t, "prog.img"), fileSize(t, "static.img"))
}

func TestSharedOptions(t *testing.T) {
	t.Chdir(t.TempDir())
	write(t, ".", "greet.vo", assemble(t, "greet.s", greetSource))
	write(t, ".", "prog.vo", assemble(t, "prog.s", progSource))
	write(t, ".", "other.vo", assemble(t, "other.s", ".text\n.global other\nother: ret\n"))
	require.NoError(t, os.Mkdir("lib", 0o755))
	require.Equal(t, 0, run0(t, "-shared", "-soname", "libgreet.vso.1", "-o", "lib/libgreet.vso", "greet.vo"))
	require.Equal(t, 0, run0(t, "-shared", "--soname=libother.vso.4", "-o", "lib/libother.vso", "other.vo"))

	// -shared without -o writes a.vso, version MAJOR.0 by default.
	require.Equal(t, 0, run0(t, "-shared", "-soname", "libother.vso.4", "other.vo"))
	f, err := objfmt.Open("a.vso")
	require.NoError(t, err)
	assert.Equal(t, "4.0", f.Dynamic.Version)

	needed := func(args ...string) []string {
		t.Helper()
		require.Equal(t, 0, run0(t, append([]string{"-o", "p.img"}, args...)...))
		f, err := objfmt.Open("p.img")
		require.NoError(t, err)
		require.NotNil(t, f.Dynamic)
		return f.Dynamic.Needed
	}
	assert.Equal(t, []string{"libother.vso.4", "libgreet.vso.1"}, needed("prog.vo", "-Llib", "-lother", "-lgreet"))
	assert.Equal(t, []string{"libgreet.vso.1"}, needed("prog.vo", "-Llib", "--as-needed", "-lother", "-lgreet"))
	assert.Equal(t, []string{"libother.vso.4", "libgreet.vso.1"}, needed("prog.vo", "-Llib", "--as-needed", "--no-as-needed", "-lother", "-lgreet"))
	assert.Equal(t, []string{"libgreet.vso.1"}, needed("prog.vo", "lib/libgreet.vso"))

	tests := []struct {
		args []string
		err  string
	}{
		{[]string{"-static", "prog.vo", "lib/libgreet.vso"}, "vmld: error: lib/libgreet.vso: cannot link a shared module in a static link (-static)\n"},
		{[]string{"-static", "prog.vo", "-Llib", "-lgreet"}, "vmld: error: unable to find library -lgreet\n>>> tried lib/libgreet.va\n"},
		{[]string{"-shared", "-soname", "libgreet.vso.1", "--module-version", "2.0", "greet.vo"}, "vmld: error: module version 2.0 does not match the soname libgreet.vso.1 (major version 1)\n"},
		{[]string{"-shared", "greet.vo"}, "vmld: error: a shared module needs a soname: -soname NAME.vso.MAJOR (such as libgreet.vso.1)\n"},
		{[]string{"-shared", "-soname", "libgreet.vso.1", "-init", "nothing", "greet.vo"}, "vmld: error: -init: symbol nothing is not defined in a loaded section\n"},
	}
	for _, tt := range tests {
		status, _, stderr := vmld(tt.args...)
		assert.Equal(t, 1, status, tt.args)
		assert.Equal(t, tt.err, stderr, tt.args)
	}
}

// run0 runs vmld and returns its status, failing the test with its
// standard error if it is not 0.
func run0(t *testing.T, args ...string) int {
	t.Helper()
	status, _, stderr := vmld(args...)
	require.Equal(t, 0, status, stderr)
	return status
}

// TestCallbackIntoExecutable links a shared module that calls a function
// of the program that loads it (-z undefs), and a program that exports
// that function because the module imports it; bound lazily and eagerly.
func TestCallbackIntoExecutable(t *testing.T) {
	t.Chdir(t.TempDir())
	write(t, ".", "plug.vo", assemble(t, "plug.s", `
        .text
        .global plug
plug:   enter 0
        call  host_hello
        li    r0, 40
        leave
        ret
`))
	write(t, ".", "host.vo", assemble(t, "host.s", `
        .text
        .global _start
_start: call  plug
        addi  r0, r0, 2
        sys   0
        .global host_hello
host_hello:
        li    r0, 1
        la    r1, msg
        li    r2, 6
        sys   1
        ret
        .rodata
msg:    .ascii "hello\n"
`))
	status, _, stderr := vmld("-shared", "-soname", "libplug.vso.1", "-o", "libplug.vso", "plug.vo")
	assert.Equal(t, 1, status)
	assert.Equal(t, "vmld: error: undefined symbol: host_hello\n>>> referenced by plug.s:5 (plug.vo: function plug)\n", stderr)
	run0(t, "-shared", "-soname", "libplug.vso.1", "-z", "undefs", "-o", "libplug.vso", "plug.vo")
	run0(t, "-o", "host.img", "-rpath", "$ORIGIN", "host.vo", "libplug.vso")

	img, err := objfmt.Open("host.img")
	require.NoError(t, err)
	var exports []string
	for _, s := range img.Dynamic.Symbols {
		if s.Defined {
			exports = append(exports, s.Name)
		}
	}
	assert.Equal(t, []string{"host_hello"}, exports, "only what the module imports")

	for _, bindNow := range []bool{false, true} {
		var out bytes.Buffer
		p, err := dynld.Load("host.img", vm.Config{Args: []string{"host.img"}, Stdout: &out}, dynld.Config{BindNow: bindNow})
		require.NoError(t, err)
		status, err := p.Run()
		require.NoError(t, err)
		assert.Equal(t, 42, status)
		assert.Equal(t, "hello\n", out.String())
	}

	run0(t, "-E", "-o", "all.img", "-rpath", "$ORIGIN", "host.vo", "libplug.vso")
	all, err := objfmt.Open("all.img")
	require.NoError(t, err)
	assert.Equal(t, "_start", all.Dynamic.Symbols[0].Name, "-E exports every global")
}

// dynRelocs lists f's dynamic relocations as "KIND symbol".
func dynRelocs(f *objfmt.File) []string {
	var rs []string
	for _, r := range f.Dynamic.Relocs {
		name := "-"
		if r.Sym >= 0 {
			name = f.Dynamic.Symbols[r.Sym].Name
		}
		rs = append(rs, r.Kind.String()+" "+name)
	}
	return rs
}
