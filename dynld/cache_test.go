package dynld

import (
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"linkvm/vm"
	"linkvm/vm/isa"
)

func TestCacheSharesModulesBetweenProcesses(t *testing.T) {
	dir := t.TempDir()
	lib := writeModule(t, dir, "libgreet.vso", greetLib(t, "1.0", "one\n"))
	prog := writeModule(t, dir, "prog.img", greetProg(t, "$ORIGIN").build())
	cfg := Config{Cache: NewCache(testParse)}
	load := func() *vm.Process {
		p, err := Load(prog, vm.Config{Args: []string{prog}}, cfg)
		require.NoError(t, err)
		require.Len(t, p.Modules(), 2)
		return p
	}
	p1, p2 := load(), load()
	assert.Same(t, p1.Modules()[0].File, p2.Modules()[0].File)
	assert.Same(t, p1.Modules()[1].File, p2.Modules()[1].File)
	assert.Equal(t, 2, cfg.Cache.Len())

	// Replace the module (same size, same modification time): the content
	// hash tells the versions apart; the old process keeps the old File.
	fi, err := os.Stat(lib)
	require.NoError(t, err)
	writeModule(t, dir, "libgreet.vso", greetLib(t, "1.0", "two\n"))
	require.NoError(t, os.Chtimes(lib, time.Time{}, fi.ModTime()))
	p3 := load()
	assert.NotSame(t, p1.Modules()[1].File, p3.Modules()[1].File)
	assert.Same(t, p1.Modules()[0].File, p3.Modules()[0].File)
	assert.Equal(t, 2, cfg.Cache.Len(), "the old version is dropped from the cache")
	for _, p := range []*vm.Process{p1, p3} {
		require.NoError(t, p.Close())
	}
	_, err = p2.Run()
	require.NoError(t, err)
	abs, err := filepath.Abs(lib)
	require.NoError(t, err)
	assert.Equal(t, abs, p3.Modules()[1].Path)
}

func TestConcurrentProcesses(t *testing.T) {
	dir := plugDir(t)
	b := newExe(t, "libgreet.vso.1")
	b.dyn.Runpath = []string{"$ORIGIN"}
	b.fn("_start", false).callPLT("greet")
	b.dlopen("libplug.vso.1", RTLDLazy).ins(isa.MOV, 16, 0, 0, 0)
	b.dlsym(16, "plug").ins(isa.CALLR, 0, 0, 0, 0)
	b.dlclose(16).exit(0)
	prog := writeModule(t, dir, "prog.img", b.build())
	cfg := Config{Cache: NewCache(nil)}
	const n = 16
	outs := make([]result, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			outs[i] = runProg(t, prog, cfg)
		}()
	}
	wg.Wait()
	for _, r := range outs {
		require.NoError(t, r.err)
		assert.Equal(t, "init greet\ngreet\ninit dep\ninit plug\nplug\nfini plug\nfini dep\nfini greet\n", r.stdout)
	}
	assert.Equal(t, 4, cfg.Cache.Len())
}

// TestCacheFreesUnusedModules: the cache holds modules weakly, so when no
// process uses a module any more its parsed file, code included, is freed
// and its entry goes.
func TestCacheFreesUnusedModules(t *testing.T) {
	dir := t.TempDir()
	writeModule(t, dir, "libgreet.vso", greetLib(t, "1.0", "one\n"))
	prog := writeModule(t, dir, "prog.img", greetProg(t, "$ORIGIN").build())
	cfg := Config{Cache: NewCache(testParse)}
	p, err := Load(prog, vm.Config{Args: []string{prog}}, cfg)
	require.NoError(t, err)
	_, err = p.Run()
	require.NoError(t, err)
	require.NoError(t, p.Close())
	runtime.GC()
	assert.Equal(t, 2, cfg.Cache.Len(), "a process that is still referenced keeps its modules")
	runtime.KeepAlive(p)

	p = nil
	for i := 0; i < 5 && cfg.Cache.Len() > 0; i++ {
		runtime.GC()
	}
	assert.Equal(t, 0, cfg.Cache.Len(), "no process uses them: freed")
}

// TestCacheOpenSharesStaticImages: Open gives every caller the same File
// for the same version of a file, static images included (vmrun loads
// every process's image through it), and names the file in its errors.
func TestCacheOpenSharesStaticImages(t *testing.T) {
	dir := t.TempDir()
	prog := writeModule(t, dir, "prog.img", greetProg(t, "$ORIGIN").build())
	c := NewCache(nil)
	a, err := c.Open(prog)
	require.NoError(t, err)
	b, err := c.Open(prog)
	require.NoError(t, err)
	assert.Same(t, a, b)

	_, err = c.Open(filepath.Join(dir, "nope.img"))
	assert.EqualError(t, err, "open "+filepath.Join(dir, "nope.img")+": no such file or directory")
	_, err = c.Open(dir)
	assert.EqualError(t, err, "open "+dir+": is a directory")
}
