package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"linkvm/objfmt"
	"linkvm/vm"
	"linkvm/vm/isa"
)

// words encodes instruction words.
func words(ws ...uint64) []byte {
	b := make([]byte, 8*len(ws))
	for i, w := range ws {
		for j := range 8 {
			b[8*i+j] = byte(w >> (8 * j))
		}
	}
	return b
}

// writeGreetLib writes dir/libgreet.vso: soname libgreet.vso.MAJOR,
// greet() prints msg.
func writeGreetLib(t *testing.T, dir, version, msg string) {
	t.Helper()
	text := words(
		isa.Encode(isa.LEA, 1, 0, 0, 0x1000),
		isa.Encode(isa.LI, 0, 0, 0, 1),
		isa.Encode(isa.LI, 2, 0, 0, int32(len(msg))),
		isa.Encode(isa.SYS, 0, 0, 0, vm.SysWrite),
		isa.Encode(isa.RET, 0, 0, 0, 0))
	f := &objfmt.File{Type: objfmt.TypeShared, Sections: []*objfmt.Section{
		{Name: ".text", Kind: objfmt.KindProgbits, Flags: objfmt.FlagAlloc | objfmt.FlagExec, Align: 8, Size: uint64(len(text)), Data: text},
		{Name: ".rodata", Kind: objfmt.KindProgbits, Flags: objfmt.FlagAlloc, Align: 1, Addr: 0x1000, Size: uint64(len(msg)), Data: []byte(msg)},
	}, Dynamic: &objfmt.Dynamic{
		Soname: "libgreet.vso." + version[:1], Version: version,
		Symbols: []objfmt.DynSymbol{{Name: "greet", Bind: objfmt.BindGlobal, Type: objfmt.SymFunc, Defined: true, Size: 40}},
	}}
	require.NoError(t, objfmt.WriteFile(filepath.Join(dir, "libgreet.vso"), f))
}

// writeGreetProg writes dir/prog.img, which calls greet through its PLT
// (as vmld makes it) and exits 0; its runpath is $ORIGIN.
func writeGreetProg(t *testing.T, dir string) string {
	t.Helper()
	const plt0, plt1, got = 0x10018, 0x10020, 0x11000
	text := words(
		isa.Encode(isa.CALL, 0, 0, 0, plt1-0x10000),
		isa.Encode(isa.LI, 0, 0, 0, 0),
		isa.Encode(isa.SYS, 0, 0, 0, vm.SysExit),
		isa.Encode(isa.SYS, 0, 0, 0, vm.SysBind), // PLT0
		isa.Encode(isa.LDPC, isa.RegIP, 0, 0, got-plt1),
		isa.Encode(isa.JR, isa.RegIP, 0, 0, 0),
		isa.Encode(isa.LI, isa.RegIP, 0, 0, 0),
		isa.Encode(isa.JMP, 0, 0, 0, plt0-(plt1+24)))
	f := &objfmt.File{Type: objfmt.TypeExec, Entry: 0x10000, Sections: []*objfmt.Section{
		{Name: ".text", Kind: objfmt.KindProgbits, Flags: objfmt.FlagAlloc | objfmt.FlagExec, Align: 8, Addr: 0x10000, Size: uint64(len(text)), Data: text},
		{Name: ".got", Kind: objfmt.KindProgbits, Flags: objfmt.FlagAlloc | objfmt.FlagWrite, Align: 8, Addr: got, Size: 8, Data: make([]byte, 8)},
	}, Dynamic: &objfmt.Dynamic{
		Needed: []string{"libgreet.vso.1"}, Runpath: []string{"$ORIGIN"}, PLTResolve: plt0,
		Symbols: []objfmt.DynSymbol{{Name: "greet", Bind: objfmt.BindGlobal, Type: objfmt.SymFunc}},
		Relocs:  []objfmt.DynReloc{{Offset: got, Kind: objfmt.DynJumpSlot, Sym: 0, Addend: plt1 + 16}},
	}}
	path := filepath.Join(dir, "prog.img")
	require.NoError(t, objfmt.WriteFile(path, f))
	return path
}

func TestDynamicImage(t *testing.T) {
	dir := t.TempDir()
	prog := writeGreetProg(t, dir)
	writeGreetLib(t, dir, "1.0", "hello from 1.0\n")
	r := vmrun("", prog)
	assert.Equal(t, result{"hello from 1.0\n", "", 0}, r)

	// The library is updated: the unchanged program shows the new one.
	writeGreetLib(t, dir, "1.1", "hello from 1.1\n")
	t.Setenv("VM_DEBUG", "bindings")
	r = vmrun("", prog)
	assert.Equal(t, "hello from 1.1\n", r.stdout)
	assert.Regexp(t, `^ *[0-9]+:\tbinding file `+prog+` \[0\] to libgreet.vso \[0\]: normal symbol 'greet'\n$`, r.stderr)
	r = vmrun("", "--bind-now", prog)
	assert.Equal(t, "hello from 1.1\n", r.stdout)
	assert.Equal(t, 0, r.status)
	t.Setenv("VM_DEBUG", "")

	// A new major version is refused.
	writeGreetLib(t, dir, "2.0", "hello from 2.0\n")
	lib := filepath.Join(dir, "libgreet.vso")
	r = vmrun("", prog)
	assert.Equal(t, result{"", "vmrun: " + prog + ": libgreet.vso.1: " + lib + " has version 2.0 (soname libgreet.vso.2), incompatible\n", 127}, r)

	// A missing one: every path tried.
	require.NoError(t, os.Remove(lib))
	other := t.TempDir()
	t.Setenv("VM_LIBRARY_PATH", other)
	r = vmrun("", prog)
	assert.Equal(t, result{"", "vmrun: " + prog + ": cannot find libgreet.vso.1, needed by " + prog + "; searched: " +
		dir + "/libgreet.vso.1, " + dir + "/libgreet.vso, " + other + "/libgreet.vso.1, " + other + "/libgreet.vso\n", 127}, r)

	r = vmrun("", "--bind-now=1", prog)
	assert.Equal(t, 2, r.status)
	assert.Equal(t, "vmrun: --bind-now takes no argument\n"+shortUsage, r.stderr)
}
