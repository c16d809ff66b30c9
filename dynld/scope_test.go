package dynld

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"linkvm/vm"
	"linkvm/vm/isa"
)

func TestGlobalScopeBreadthFirst(t *testing.T) {
	dir := t.TempDir()
	b := newExe(t, "liba.vso.1", "libb.vso.1")
	b.dyn.Runpath = []string{dir}
	b.fn("_start", false).callPLT("who").exit(0)
	prog := writeModule(t, dir, "prog.img", b.build())
	// liba needs libc; libb and libc both define who: breadth-first, libb
	// (depth 1) comes before libc (depth 2).
	writeModule(t, dir, "liba.vso.1", printer(t, "liba.vso.1", "a", "a\n", "", "libc.vso.1"))
	writeModule(t, dir, "libb.vso.1", printer(t, "libb.vso.1", "who", "b\n", ""))
	writeModule(t, dir, "libc.vso.1", printer(t, "libc.vso.1", "who", "c\n", ""))
	r := runProg(t, prog, Config{})
	require.NoError(t, r.err)
	assert.Equal(t, "b\n", r.stdout)

	// A preload interposes ahead of all of them; by path or by name.
	pre := writeModule(t, filepath.Join(dir, "pre"), "libpre.vso", printer(t, "libpre.vso.1", "who", "pre\n", ""))
	r = runProg(t, prog, Config{Preload: []string{pre}})
	require.NoError(t, r.err)
	assert.Equal(t, "pre\n", r.stdout)
	r = runProg(t, prog, Config{Preload: []string{"libpre.vso.1"}, LibraryPath: []string{filepath.Join(dir, "pre")}})
	require.NoError(t, r.err)
	assert.Equal(t, "pre\n", r.stdout)

	r = runProg(t, prog, Config{Preload: []string{"libnope.vso"}})
	require.Error(t, r.err)
	assert.Equal(t, prog+": cannot find libnope.vso, needed by VM_PRELOAD; searched: no directories", r.err.Error())
}

func TestExecutableInterposes(t *testing.T) {
	// The executable exports who; libx's call to who (through its own
	// PLT, as vmld makes calls to global functions) reaches the
	// executable's, not libx's.
	dir := t.TempDir()
	x := newShared(t, "libx.vso.1", "1.0")
	x.fn("who", true).print("libx\n").ins(isa.RET, 0, 0, 0, 0)
	x.fn("callwho", true).ins(isa.ENTER, 0, 0, 0, 0).callPLT("who").ins(isa.LEAVE, 0, 0, 0, 0).ins(isa.RET, 0, 0, 0, 0)
	writeModule(t, dir, "libx.vso.1", x.build())
	b := newExe(t, "libx.vso.1")
	b.dyn.Runpath = []string{"$ORIGIN"}
	b.fn("_start", false).callPLT("callwho").exit(0)
	b.fn("who", true).print("exe\n").ins(isa.RET, 0, 0, 0, 0)
	prog := writeModule(t, dir, "prog.img", b.build())
	r := runProg(t, prog, Config{})
	require.NoError(t, r.err)
	assert.Equal(t, "exe\n", r.stdout)
}

func TestCyclesInitAndFiniOrder(t *testing.T) {
	dir := t.TempDir()
	// prog needs liba and libb; liba needs libc; libc needs liba (a
	// cycle); libb needs libc.
	writeModule(t, dir, "liba.vso.1", printer(t, "liba.vso.1", "fa", "", "a", "libc.vso.1"))
	writeModule(t, dir, "libb.vso.1", printer(t, "libb.vso.1", "fb", "", "b", "libc.vso.1"))
	writeModule(t, dir, "libc.vso.1", printer(t, "libc.vso.1", "fc", "", "c", "liba.vso.1"))
	b := newExe(t, "liba.vso.1", "libb.vso.1")
	b.dyn.Runpath = []string{dir}
	b.fn("_start", false).print("main\n").exit(3)
	b.fn("init", false).print("init prog\n").ins(isa.RET, 0, 0, 0, 0)
	b.fn("fini", false).print("fini prog\n").ins(isa.RET, 0, 0, 0, 0)
	b.init, b.fini = "init", "fini"
	prog := writeModule(t, dir, "prog.img", b.build())
	r := runProg(t, prog, Config{})
	require.NoError(t, r.err)
	assert.Equal(t, 3, r.status)
	assert.Equal(t, "init c\ninit a\ninit b\ninit prog\nmain\nfini prog\nfini b\nfini a\nfini c\n", r.stdout)

	cache := NewCache(testParse)
	root, err := Tree(prog, Config{Cache: cache})
	require.NoError(t, err)
	var names []string
	var bases []uint64
	for _, n := range root.Modules {
		names = append(names, n.Name)
		bases = append(bases, n.Base)
	}
	assert.Equal(t, []string{"liba.vso.1", "libb.vso.1", "libc.vso.1"}, names)
	assert.Equal(t, []uint64{0x1_0000_0000, 0x1_0001_0000, 0x1_0002_0000}, bases)
	assert.Same(t, root.Modules[2], root.Modules[0].Needed[0])
	assert.Same(t, root.Modules[0], root.Modules[2].Needed[0])
}

func TestUnresolvedSymbols(t *testing.T) {
	dir := t.TempDir()
	writeModule(t, dir, "libgreet.vso.1", greetLib(t, "1.0", "hi\n"))

	// A PLT call to a symbol nobody defines loads, and traps when called.
	b := newExe(t, "libgreet.vso.1")
	b.dyn.Runpath = []string{dir}
	b.fn("_start", false).callPLT("greet").callPLT("nosuch").exit(0)
	prog := writeModule(t, dir, "prog.img", b.build())
	r := runProg(t, prog, Config{})
	assert.Equal(t, "hi\n", r.stdout)
	var trap *vm.Trap
	require.ErrorAs(t, r.err, &trap)
	assert.ErrorIs(t, r.err, vm.ErrUnresolvedSymbol)
	assert.Equal(t, "unresolved symbol nosuch (needed by "+prog+")", trap.Msg)

	// With bind-now it is a load error, like a GOT reference.
	r = runProg(t, prog, Config{BindNow: true})
	require.Error(t, r.err)
	assert.Equal(t, prog+": unresolved symbol nosuch (needed by "+prog+")", r.err.Error())
	b = newExe(t, "libgreet.vso.1")
	b.dyn.Runpath = []string{dir}
	b.fn("_start", false).callGOT("nodata").exit(0)
	prog2 := writeModule(t, dir, "prog2.img", b.build())
	r = runProg(t, prog2, Config{})
	require.Error(t, r.err)
	assert.Equal(t, prog2+": unresolved symbol nodata (needed by "+prog2+")", r.err.Error())

	// An unresolved weak import is 0.
	b = newExe(t, "libgreet.vso.1")
	b.dyn.Runpath = []string{dir}
	b.fn("_start", false)
	b.toAddr(isa.LDPC, 0, b.gotFor("maybe", true))
	b.printDigit(0).exit(0)
	r = runProg(t, writeModule(t, dir, "prog3.img", b.build()), Config{})
	require.NoError(t, r.err)
	assert.Equal(t, "0\n", r.stdout)
}
