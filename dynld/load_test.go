package dynld

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"linkvm/objfmt"
	"linkvm/vm"
	"linkvm/vm/isa"
)

// greetLib is libgreet.vso.1: greet prints msg.
func greetLib(t testing.TB, version, msg string) *objfmt.File {
	b := newShared(t, "libgreet.vso."+version[:1], version)
	b.fn("greet", true).print(msg).ins(isa.RET, 0, 0, 0, 0)
	return b.build()
}

// greetProg is prog.img: calls greet twice through the PLT, prints done.
func greetProg(t testing.TB, runpath ...string) *builder {
	b := newExe(t, "libgreet.vso.1")
	b.dyn.Runpath = runpath
	b.fn("_start", false).callPLT("greet").callPLT("greet").print("done\n").exit(0)
	return b
}

func TestLoadRunsLazyBinding(t *testing.T) {
	dir := t.TempDir()
	writeModule(t, dir, "libgreet.vso", greetLib(t, "1.0", "hello\n"))
	prog := writeModule(t, dir, "prog.img", greetProg(t, "$ORIGIN").build())
	r := runProg(t, prog, Config{})
	require.NoError(t, r.err)
	assert.Equal(t, "hello\nhello\ndone\n", r.stdout)
	assert.Equal(t, 0, r.status)
}

func TestGOTSlotLazyThenBound(t *testing.T) {
	dir := t.TempDir()
	writeModule(t, dir, "libgreet.vso", greetLib(t, "1.0", "hello\n"))
	b := greetProg(t, "$ORIGIN")
	f := b.build()
	prog := writeModule(t, dir, "prog.img", f)
	slot := b.pltGot["greet"]
	lazy := b.labels["plt:greet"] + 16
	target := uint64(FirstSharedBase) // greet is the first word of libgreet

	for _, now := range []bool{false, true} {
		cfg := Config{BindNow: now, Cache: NewCache(testParse)}
		p, err := Load(prog, vm.Config{Args: []string{prog}}, cfg)
		require.NoError(t, err)
		v, err := p.Read64(slot)
		require.NoError(t, err)
		if now {
			assert.Equal(t, target, v, "bind now: the slot holds the target before the first call")
		} else {
			assert.Equal(t, lazy, v, "lazy: the slot holds the stub's lazy entry before the first call")
		}
		_, err = p.Run()
		require.NoError(t, err)
		v, err = p.Read64(slot)
		require.NoError(t, err)
		assert.Equal(t, target, v, "after the call the slot holds the target")
	}
}
