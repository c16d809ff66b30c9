package dynld

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"linkvm/internal/golden"
	"linkvm/vm/isa"
)

var pidPrefix = regexp.MustCompile(`(?m)^ *[0-9]+:`)

func TestDebugOutputGolden(t *testing.T) {
	dir := t.TempDir()
	lib := newShared(t, "libgreet.vso.1", "1.0")
	lib.fn("greet", true).print("hello\n").ins(isa.RET, 0, 0, 0, 0)
	lib.fn("init", false).ins(isa.RET, 0, 0, 0, 0)
	lib.fn("fini", false).ins(isa.RET, 0, 0, 0, 0)
	lib.init, lib.fini = "init", "fini"
	writeModule(t, filepath.Join(dir, "lib"), "libgreet.vso", lib.build())
	b := greetProg(t, "$ORIGIN")
	b.fn("fini", false).ins(isa.RET, 0, 0, 0, 0)
	b.fini = "fini"
	writeModule(t, dir, "prog.img", b.build())
	testdata, err := filepath.Abs("testdata")
	require.NoError(t, err)
	t.Chdir(dir)
	for _, tt := range []struct{ debug, file string }{
		{"all", "debug_all.golden"},
		{"libs", "debug_libs.golden"},
		{"bindings,nonsense", "debug_bindings.golden"},
	} {
		cfg := Config{Debug: tt.debug, LibraryPath: []string{"other", "lib"}, DefaultLibDirs: []string{"/nonexistent"}}
		r := runProg(t, "prog.img", cfg)
		require.NoError(t, r.err)
		assert.Equal(t, "hello\nhello\ndone\n", r.stdout)
		// The process id depends on how many processes the test binary
		// made before; the golden files say 1.
		out := pidPrefix.ReplaceAllString(r.stderr, "    1:")
		golden.Check(t, filepath.Join(testdata, tt.file), strings.ReplaceAll(out, dir, "$DIR"))
	}
}

func TestDebugDlopenGolden(t *testing.T) {
	dir := plugDir(t)
	b := newExe(t, "libgreet.vso.1")
	b.dyn.Runpath = []string{"$ORIGIN"}
	b.fn("_start", false)
	b.dlopen("libplug.vso.1", RTLDLazy).ins(isa.MOV, 16, 0, 0, 0)
	b.dlopen("libplug.vso.1", RTLDNow|RTLDGlobal).ins(isa.MOV, 17, 0, 0, 0)
	b.dlclose(16).dlclose(17).exit(0)
	writeModule(t, dir, "prog.img", b.build())
	testdata, err := filepath.Abs("testdata")
	require.NoError(t, err)
	t.Chdir(dir)
	r := runProg(t, "prog.img", Config{Debug: "libs"})
	require.NoError(t, r.err)
	out := pidPrefix.ReplaceAllString(r.stderr, "    1:")
	golden.Check(t, filepath.Join(testdata, "debug_dlopen.golden"), strings.ReplaceAll(out, dir, "$DIR"))
}
