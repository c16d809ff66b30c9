package dynld

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSearchOrder(t *testing.T) {
	dir := t.TempDir()
	origin := filepath.Join(dir, "bin")
	env := filepath.Join(dir, "env")
	sys := filepath.Join(dir, "sys")
	prog := writeModule(t, origin, "prog.img", greetProg(t, "$ORIGIN/../rp").build())
	rp := filepath.Join(dir, "rp")
	cfg := Config{LibraryPath: []string{env}, DefaultLibDirs: []string{sys}}

	// Each directory has libgreet.vso (and rp also libgreet.vso.1); the
	// earliest in the order wins, and in a directory the soname file.
	writeModule(t, sys, "libgreet.vso", greetLib(t, "1.0", "sys\n"))
	writeModule(t, env, "libgreet.vso", greetLib(t, "1.0", "env\n"))
	writeModule(t, rp, "libgreet.vso", greetLib(t, "1.0", "rp\n"))
	writeModule(t, rp, "libgreet.vso.1", greetLib(t, "1.0", "rp.1\n"))
	for _, tt := range []struct {
		remove string
		want   string
	}{
		{"", "rp.1\n"},
		{filepath.Join(rp, "libgreet.vso.1"), "rp\n"},
		{filepath.Join(rp, "libgreet.vso"), "env\n"},
		{filepath.Join(env, "libgreet.vso"), "sys\n"},
	} {
		if tt.remove != "" {
			require.NoError(t, os.Remove(tt.remove))
		}
		r := runProg(t, prog, cfg)
		require.NoError(t, r.err)
		assert.Equal(t, tt.want+tt.want+"done\n", r.stdout)
	}

	require.NoError(t, os.Remove(filepath.Join(sys, "libgreet.vso")))
	r := runProg(t, prog, cfg)
	require.Error(t, r.err)
	assert.Equal(t, prog+": cannot find libgreet.vso.1, needed by "+prog+"; searched: "+
		rp+"/libgreet.vso.1, "+rp+"/libgreet.vso, "+
		env+"/libgreet.vso.1, "+env+"/libgreet.vso, "+
		sys+"/libgreet.vso.1, "+sys+"/libgreet.vso", r.err.Error())
	var nf *NotFoundError
	require.ErrorAs(t, r.err, &nf)
	assert.Len(t, nf.Tried, 6)
}

func TestNotFoundWithoutDirectories(t *testing.T) {
	dir := t.TempDir()
	prog := writeModule(t, dir, "prog.img", greetProg(t).build())
	r := runProg(t, prog, Config{})
	require.Error(t, r.err)
	assert.Equal(t, prog+": cannot find libgreet.vso.1, needed by "+prog+"; searched: no directories", r.err.Error())
}

func TestVersions(t *testing.T) {
	dir := t.TempDir()
	prog := writeModule(t, dir, "prog.img", greetProg(t, "$ORIGIN").build())
	lib := filepath.Join(dir, "libgreet.vso")

	writeModule(t, dir, "libgreet.vso", greetLib(t, "1.0", "one\n"))
	r := runProg(t, prog, Config{})
	require.NoError(t, r.err)
	assert.Equal(t, "one\none\ndone\n", r.stdout)

	// A newer minor version is accepted: the unchanged program shows it.
	writeModule(t, dir, "libgreet.vso", greetLib(t, "1.1", "one.one\n"))
	r = runProg(t, prog, Config{})
	require.NoError(t, r.err)
	assert.Equal(t, "one.one\none.one\ndone\n", r.stdout)

	// A new major version is refused.
	writeModule(t, dir, "libgreet.vso", greetLib(t, "2.0", "two\n"))
	r = runProg(t, prog, Config{})
	require.Error(t, r.err)
	assert.Equal(t, prog+": libgreet.vso.1: "+lib+" has version 2.0 (soname libgreet.vso.2), incompatible", r.err.Error())

	// ... but a compatible one later in the search order is used.
	other := filepath.Join(dir, "other")
	writeModule(t, other, "libgreet.vso", greetLib(t, "1.2", "later\n"))
	r = runProg(t, prog, Config{LibraryPath: []string{other}})
	require.NoError(t, r.err)
	assert.Equal(t, "later\nlater\ndone\n", r.stdout)
}

func TestSearchErrors(t *testing.T) {
	dir := t.TempDir()
	prog := writeModule(t, dir, "prog.img", greetProg(t, "$ORIGIN").build())
	lib := filepath.Join(dir, "libgreet.vso.1")

	require.NoError(t, os.WriteFile(lib, []byte("not a module"), 0o644))
	r := runProg(t, prog, Config{})
	require.Error(t, r.err)
	assert.Equal(t, prog+": libgreet.vso.1: "+lib+": objfmt: bad magic \"not \" at offset 0x0", r.err.Error())

	writeModule(t, dir, "libgreet.vso.1", greetProg(t).build())
	r = runProg(t, prog, Config{})
	require.Error(t, r.err)
	assert.Equal(t, prog+": libgreet.vso.1: "+lib+" is not a shared module (type executable)", r.err.Error())

	require.NoError(t, os.Remove(lib))
	require.NoError(t, os.Mkdir(lib, 0o755)) // a directory is not a candidate
	writeModule(t, dir, "libgreet.vso", greetLib(t, "1.0", "ok\n"))
	r = runProg(t, prog, Config{})
	require.NoError(t, r.err)
	assert.Equal(t, "ok\nok\ndone\n", r.stdout)
}

func TestConfigFromEnv(t *testing.T) {
	env := map[string]string{
		"VM_LIBRARY_PATH": "/a::/b:",
		"VM_PRELOAD":      "libx.vso ./liby.vso:libz.vso",
		"VM_BIND_NOW":     "1",
		"VM_DEBUG":        "libs,bindings",
	}
	cfg := ConfigFromEnv(func(k string) string { return env[k] })
	assert.Equal(t, Config{
		LibraryPath: []string{"/a", "/b"},
		Preload:     []string{"libx.vso", "./liby.vso", "libz.vso"},
		BindNow:     true,
		Debug:       "libs,bindings",
	}, cfg)
	env["VM_BIND_NOW"] = "0"
	assert.False(t, ConfigFromEnv(func(k string) string { return env[k] }).BindNow)
	assert.Equal(t, Config{}, ConfigFromEnv(func(string) string { return "" }))
}
