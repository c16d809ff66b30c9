package dynld

import (
	"bytes"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"linkvm/objfmt"
	"linkvm/vm"
	"linkvm/vm/isa"
)

// TestNamesWithSlashAreNotSearched: a module named with a '/' (needed,
// preloaded or dlopened) is that path, relative to the current
// directory, and nothing else: no directory of the search order is tried,
// even one that holds a file of that relative name.
func TestNamesWithSlashAreNotSearched(t *testing.T) {
	dir := t.TempDir()
	lib := filepath.Join(dir, "lib")
	writeModule(t, filepath.Join(lib, "sub"), "libgreet.vso", greetLib(t, "1.0", "found\n"))
	cfg := Config{LibraryPath: []string{lib}, DefaultLibDirs: []string{lib}}

	// Needed.
	b := newExe(t, "sub/libgreet.vso")
	b.dyn.Runpath = []string{lib}
	b.fn("_start", false).callPLT("greet").exit(0)
	prog := writeModule(t, dir, "needs.img", b.build())
	r := runProg(t, prog, cfg)
	assert.EqualError(t, r.err, prog+": cannot find sub/libgreet.vso, needed by "+prog+"; searched: sub/libgreet.vso")

	// Preloaded.
	plain := writeModule(t, dir, "plain.img", newExe(t).fn("_start", false).print("plain\n").exit(0).build())
	r = runProg(t, plain, Config{LibraryPath: []string{lib}, Preload: []string{"sub/libgreet.vso"}})
	assert.EqualError(t, r.err, plain+": cannot find sub/libgreet.vso, needed by VM_PRELOAD; searched: sub/libgreet.vso")
	// ... but found as the path it is.
	r = runProg(t, plain, Config{Preload: []string{filepath.Join(lib, "sub", "libgreet.vso")}})
	require.NoError(t, r.err)
	assert.Equal(t, "plain\n", r.stdout)

	// Opened with dlopen: the error is dlerror's.
	d := newExe(t)
	d.dyn.Runpath = []string{lib}
	d.fn("_start", false).dlopen("sub/libgreet.vso", RTLDNow).printDigit(0).printDlerror().exit(0)
	prog = writeModule(t, dir, "opens.img", d.build())
	r = runProg(t, prog, cfg)
	require.NoError(t, r.err)
	assert.Equal(t, "0\nsub/libgreet.vso: cannot open shared module: not found (searched: sub/libgreet.vso)\n", r.stdout)
}

// TestRunpathIsTheNeedingModulesOwn: a module's dependencies are searched
// in its own runpath, not in that of the executable that needed it, and
// preloads (names without '/') in VM_LIBRARY_PATH and the default
// directories, not in any runpath.
func TestRunpathIsTheNeedingModulesOwn(t *testing.T) {
	dir := t.TempDir()
	writeModule(t, dir, "libdep.vso.1", printer(t, "libdep.vso.1", "dep", "dep\n", ""))
	// libplug needs libdep and has no runpath; it sits beside libdep,
	// where the executable's runpath points.
	plug := newShared(t, "libplug.vso.1", "1.0", "libdep.vso.1")
	plug.fn("plug", true).ins(isa.RET, 0, 0, 0, 0)
	writeModule(t, dir, "libplug.vso.1", plug.build())
	b := newExe(t, "libplug.vso.1")
	b.dyn.Runpath = []string{"$ORIGIN"}
	b.fn("_start", false).callPLT("plug").exit(0)
	prog := writeModule(t, dir, "prog.img", b.build())
	r := runProg(t, prog, Config{})
	assert.EqualError(t, r.err, prog+": cannot find libdep.vso.1, needed by libplug.vso.1; searched: no directories")
	// VM_LIBRARY_PATH is searched for every module.
	r = runProg(t, prog, Config{LibraryPath: []string{dir}})
	require.NoError(t, r.err)

	// A preload named without '/' is searched without runpath.
	plain := writeModule(t, dir, "plain.img", newExe(t).fn("_start", false).exit(0).build())
	plainB := newExe(t)
	plainB.dyn.Runpath = []string{"$ORIGIN"}
	withRunpath := writeModule(t, dir, "rp.img", plainB.fn("_start", false).exit(0).build())
	for _, p := range []string{plain, withRunpath} {
		r = runProg(t, p, Config{Preload: []string{"libdep.vso.1"}})
		assert.EqualError(t, r.err, p+": cannot find libdep.vso.1, needed by VM_PRELOAD; searched: no directories")
	}
	r = runProg(t, withRunpath, Config{Preload: []string{"libdep.vso.1"}, DefaultLibDirs: []string{dir}})
	require.NoError(t, r.err)
}

// TestDlopenBeyondTheMemoryLimit: a module whose writable and zero-filled
// sections do not fit in what the process's memory limit leaves cannot be
// opened, and dlerror says why; the process goes on.
func TestDlopenBeyondTheMemoryLimit(t *testing.T) {
	dir := t.TempDir()
	big := newShared(t, "libbig.vso.1", "1.0")
	big.fn("f", true).ins(isa.RET, 0, 0, 0, 0)
	f := big.build()
	f.Sections = append(f.Sections, &objfmt.Section{Name: ".bss", Kind: objfmt.KindNobits,
		Flags: objfmt.FlagAlloc | objfmt.FlagWrite, Align: 8, Addr: 0x10000, Size: 8 << 20})
	writeModule(t, dir, "libbig.vso.1", f)
	b := newExe(t)
	b.dyn.Runpath = []string{"$ORIGIN"}
	b.fn("_start", false).dlopen("libbig.vso.1", RTLDNow).printDigit(0).printDlerror().print("still running\n").exit(0)
	prog := writeModule(t, dir, "prog.img", b.build())
	var out bytes.Buffer
	p, err := Load(prog, vm.Config{Args: []string{prog}, Stdout: &out, MaxMemory: 4 << 20}, Config{Cache: NewCache(testParse)})
	require.NoError(t, err)
	status, err := p.Run()
	require.NoError(t, err)
	assert.Equal(t, 0, status)
	assert.Equal(t, "0\nlibbig.vso.1: cannot open shared module: libbig.vso.1: its writable and zero-filled sections need 8388608 bytes, "+
		"over the memory limit of 4194304 bytes (1048576 in use)\nstill running\n", out.String())

	// With room for it, it opens.
	out.Reset()
	p, err = Load(prog, vm.Config{Args: []string{prog}, Stdout: &out, MaxMemory: 16 << 20}, Config{Cache: NewCache(testParse)})
	require.NoError(t, err)
	_, err = p.Run()
	require.NoError(t, err)
	assert.Equal(t, "2\n\nstill running\n", out.String(), "handle 2, no error")
}
