package dynld

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"linkvm/vm"
	"linkvm/vm/isa"
)

// plugDir writes libgreet.vso.1 (needed by the program), libplug.vso.1
// (needs libdep.vso.1 and libgreet.vso.1) and libdep.vso.1, with init and
// fini functions that print.
func plugDir(t *testing.T) string {
	dir := t.TempDir()
	writeModule(t, dir, "libgreet.vso.1", printer(t, "libgreet.vso.1", "greet", "greet\n", "greet"))
	writeModule(t, dir, "libplug.vso.1", printer(t, "libplug.vso.1", "plug", "plug\n", "plug", "libdep.vso.1", "libgreet.vso.1"))
	writeModule(t, dir, "libdep.vso.1", printer(t, "libdep.vso.1", "dep", "dep\n", "dep"))
	return dir
}

func TestDlopenRefcountsAndUnload(t *testing.T) {
	dir := plugDir(t)
	b := newExe(t, "libgreet.vso.1")
	b.dyn.Runpath = []string{"$ORIGIN"}
	b.fn("_start", false).callPLT("greet")
	b.dlopen("libplug.vso.1", RTLDNow).ins(isa.MOV, 16, 0, 0, 0)
	b.dlopen("libplug.vso.1", RTLDLazy).ins(isa.MOV, 17, 0, 0, 0)
	b.ins(isa.SEQ, 0, 16, 17, 0).printDigit(0) // the same handle: 1
	b.dlsym(16, "plug").ins(isa.MOV, 18, 0, 0, 0).ins(isa.CALLR, 18, 0, 0, 0)
	b.dlclose(16).printDigit(0) // one reference left: 0, nothing unloaded
	b.ins(isa.CALLR, 18, 0, 0, 0)
	b.dlclose(17).printDigit(0)                                          // the last: fini plug, fini dep, then 0
	b.dlclose(17).ins(isa.ADDI, 0, 0, 0, 1).printDigit(0).printDlerror() // -1 + 1
	b.dlopen("libnope.vso", RTLDLazy).printDigit(0).printDlerror()
	b.ins(isa.LI, 19, 0, 0, 0).dlsym(19, "plug").printDigit(0).printDlerror()
	b.dlsym(19, "greet").ins(isa.CALLR, 0, 0, 0, 0) // greet is still there
	b.ins(isa.CALLR, 18, 0, 0, 0)                   // plug is not: trap
	b.exit(0)
	prog := writeModule(t, dir, "prog.img", b.build())
	r := runProg(t, prog, Config{})
	assert.Equal(t, "init greet\ngreet\n"+
		"init dep\ninit plug\n"+
		"1\n"+
		"plug\n"+
		"0\n"+
		"plug\n"+
		"fini plug\nfini dep\n0\n"+
		"0\ninvalid handle 3\n"+
		"0\nlibnope.vso: cannot open shared module: not found (searched: "+dir+"/libnope.vso)\n"+
		"0\n"+prog+": undefined symbol: plug\n"+
		"greet\n", r.stdout)
	var trap *vm.Trap
	require.ErrorAs(t, r.err, &trap)
	assert.ErrorIs(t, r.err, vm.ErrBadJump)
	assert.Equal(t, "bad jump to 0x100010000 (unmapped)", trap.Msg)
	assert.Equal(t, []string{prog, "libgreet.vso.1"}, r.modules)
}

func TestDlopenGlobalAndLocal(t *testing.T) {
	dir := plugDir(t)
	b := newExe(t, "libgreet.vso.1")
	b.dyn.Runpath = []string{"$ORIGIN"}
	b.fn("_start", false)
	b.dlopen("libplug.vso.1", RTLDLazy).ins(isa.MOV, 16, 0, 0, 0)
	b.dlsym(16, "dep").ins(isa.CALLR, 0, 0, 0, 0) // the local scope has the dependencies
	b.ins(isa.LI, 19, 0, 0, 0).dlsym(19, "dep").printDigit(0).printDlerror()
	b.dlopen("libplug.vso.1", RTLDGlobal).ins(isa.MOV, 17, 0, 0, 0)
	b.dlsym(19, "dep").ins(isa.CALLR, 0, 0, 0, 0) // now global
	b.dlopen("", RTLDLazy).ins(isa.MOV, 20, 0, 0, 0).printDigit(0)
	b.dlsym(20, "plug").ins(isa.CALLR, 0, 0, 0, 0)
	b.dlclose(20).printDigit(0)
	b.exit(0)
	prog := writeModule(t, dir, "prog.img", b.build())
	r := runProg(t, prog, Config{})
	require.NoError(t, r.err)
	assert.Equal(t, "init greet\n"+
		"init dep\ninit plug\n"+
		"dep\n"+
		"0\n"+prog+": undefined symbol: dep\n"+
		"dep\n"+
		"1\n"+
		"plug\n"+
		"0\n"+
		"fini plug\nfini dep\nfini greet\n", r.stdout)
}

func TestDlopenFailureLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	// libbad needs libgone, which is missing: nothing of libbad stays.
	writeModule(t, dir, "libbad.vso.1", printer(t, "libbad.vso.1", "bad", "bad\n", "bad", "libgone.vso.1"))
	b := newExe(t)
	b.dyn.Runpath = []string{"$ORIGIN"}
	b.fn("_start", false)
	b.dlopen("libbad.vso.1", RTLDLazy).printDigit(0).printDlerror()
	b.dlopen(dir+"/libbad.vso.1", RTLDLazy).printDigit(0).printDlerror()
	b.exit(0)
	prog := writeModule(t, dir, "prog.img", b.build())
	r := runProg(t, prog, Config{})
	require.NoError(t, r.err)
	gone := "libgone.vso.1: cannot open shared module: not found (needed by libbad.vso.1; searched: " +
		dir + "/libgone.vso.1, " + dir + "/libgone.vso)\n"
	assert.Equal(t, "0\n"+gone+"0\n"+gone, r.stdout)
	assert.Equal(t, []string{prog}, r.modules, "nothing of libbad stays loaded")
}

func TestDlopenNowBindsLazyModule(t *testing.T) {
	dir := t.TempDir()
	writeModule(t, dir, "libgreet.vso.1", greetLib(t, "1.0", "hi\n"))
	c := newShared(t, "libcaller.vso.1", "1.0", "libgreet.vso.1")
	c.dyn.Runpath = []string{"$ORIGIN"}
	c.fn("caller", true).ins(isa.ENTER, 0, 0, 0, 0).callPLT("greet").ins(isa.LEAVE, 0, 0, 0, 0).ins(isa.RET, 0, 0, 0, 0)
	writeModule(t, dir, "libcaller.vso.1", c.build())
	slot := FirstSharedBase + c.pltGot["greet"]
	for _, flags := range []int32{RTLDLazy, RTLDNow} {
		b := newExe(t, "libcaller.vso.1")
		b.dyn.Runpath = []string{"$ORIGIN"}
		b.fn("_start", false).dlopen("libcaller.vso.1", flags).exit(0)
		prog := writeModule(t, dir, "prog.img", b.build())
		p, err := Load(prog, vm.Config{Args: []string{prog}}, Config{Cache: NewCache(nil)})
		require.NoError(t, err)
		_, err = p.Run()
		require.NoError(t, err)
		v, err := p.Read64(slot)
		require.NoError(t, err)
		if flags == RTLDNow {
			assert.Equal(t, uint64(0x1_0001_0000), v, "greet, in libgreet after libcaller")
		} else {
			assert.Equal(t, FirstSharedBase+c.labels["plt:greet"]+16, v, "still the lazy entry")
		}
	}
}
