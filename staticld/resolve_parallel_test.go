package staticld

import (
	"math"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"linkvm/objfmt"
	"linkvm/staticld/testgen"
)

// withParallelResolve runs f with resolve entering every link's leading
// modules in parallel (enterModules) on 4 shards, or, with on false,
// never.
func withParallelResolve(t *testing.T, on bool, f func()) {
	t.Helper()
	savedMin, savedProcs := parallelResolveMin, runtime.GOMAXPROCS(4)
	defer func() { parallelResolveMin = savedMin; runtime.GOMAXPROCS(savedProcs) }()
	parallelResolveMin = math.MaxInt
	if on {
		parallelResolveMin = 0
	}
	f()
}

// TestParallelResolveRunsTheLinkerTests runs the tests of symbol
// resolution, archives, errors, shared modules and symbol tables with
// every link's leading modules entered in parallel: their expected
// images, errors and reports must not change.
func TestParallelResolveRunsTheLinkerTests(t *testing.T) {
	withParallelResolve(t, true, func() {
		for name, test := range map[string]func(*testing.T){
			"SymbolResolution":            TestSymbolResolution,
			"SymbolTableOrderAndContents": TestSymbolTableOrderAndContents,
			"LinkErrors":                  TestLinkErrors,
			"ArchiveResolution":           TestArchiveResolution,
			"ArchiveErrors":               TestArchiveErrors,
			"WeakReferenceToLazySymbol":   TestWeakReferenceToLazySymbolIsZero,
			"LinkSharedModule":            TestLinkSharedModule,
			"LinkAgainstSharedModule":     TestLinkAgainstSharedModule,
			"Map":                         TestMap,
			"LinkIsDeterministic":         TestLinkIsDeterministic,
		} {
			t.Run(name, test)
		}
	})
}

// linkBothWays links the inputs that mods returns with resolve serial and
// with it parallel, and returns both results, images encoded.
func linkBothWays(t *testing.T, cfg Config, mods func() []Input) (serial, parallel linkResult, serialImg, parallelImg []byte) {
	t.Helper()
	encoded := func(r linkResult) []byte {
		if r.img == nil {
			return nil
		}
		b, err := r.img.Encode()
		require.NoError(t, err)
		return b
	}
	withParallelResolve(t, false, func() { serial = link(cfg, mods()...) })
	withParallelResolve(t, true, func() { parallel = link(cfg, mods()...) })
	return serial, parallel, encoded(serial), encoded(parallel)
}

func TestParallelResolveGivesTheSameImage(t *testing.T) {
	gen := testgen.Config{Modules: 40, Funcs: 30, Calls: 5, Seed: 7}
	files, err := testgen.Generate(gen)
	require.NoError(t, err)
	mods := func() []Input {
		var ins []Input
		for i, f := range files {
			ins = append(ins, Input{Name: testgen.ModuleName(i), File: f})
		}
		return ins
	}
	serial, parallel, a, b := linkBothWays(t, Config{}, mods)
	require.NoError(t, serial.err)
	require.NoError(t, parallel.err)
	assert.Equal(t, a, b)
	assert.Equal(t, serial.mp, parallel.mp)
	// Every function, every module's variable and _start.
	assert.Equal(t, gen.Functions()+gen.Modules+1, len(parallel.img.Symbols))
}

// Duplicate definitions are reported in the order one pass over the
// modules finds them, whichever shards their names fall in: here "y"
// (second definition in b.vo) before "x" (in c.vo), though "x" is used
// first, and each with its definitions in input order.
func TestParallelResolveDuplicateOrder(t *testing.T) {
	mods := func() []Input {
		a := start()
		at := a.sec(".text.a", rx, 8, nops(2))
		a.fn("x", at, 0, 8)
		a.fn("y", at, 8, 8)
		b := newMod()
		b.fn("y", b.sec(".text", rx, 8, nops(1)), 0, 8)
		c := newMod()
		ct := c.sec(".text", rx, 8, nops(3))
		c.def("w", objfmt.BindWeak, objfmt.SymFunc, ct, 0)
		c.fn("x", ct, 8, 8)
		c.fn("y", ct, 16, 8)
		d := newMod()
		d.fn("w", d.sec(".text", rx, 8, nops(1)), 0, 8)
		d.reloc(0, 0, objfmt.RelInsnPC, d.undef("v", objfmt.BindGlobal), 0)
		return in(a, b, c, d)
	}
	want := "error: duplicate symbol: y\n" +
		">>> defined in a.vo\n" +
		">>> defined in b.vo\n" +
		">>> defined in c.vo\n" +
		"error: duplicate symbol: x\n" +
		">>> defined in a.vo\n" +
		">>> defined in c.vo\n" +
		"error: undefined symbol: v\n" +
		">>> referenced by d.vo:(.text+0x0) (function w)"
	serial, parallel, _, _ := linkBothWays(t, Config{}, mods)
	require.Error(t, serial.err)
	require.Error(t, parallel.err)
	assert.Equal(t, want, serial.err.Error())
	assert.Equal(t, want, parallel.err.Error())
}

// Archives after the leading modules see what the modules entered in
// parallel referenced: the first strong reference extracts the member.
func TestParallelResolveThenArchive(t *testing.T) {
	mods := func() []Input {
		a := funcs("a.s", []string{"_start"}, []string{"f"}, "g")
		b := funcs("b.s", []string{"h"}, []string{"f"})
		ar := archiveOf(t,
			member{"f.vo", funcs("f.s", []string{"f"}, []string{"h"})},
			member{"g.vo", funcs("g.s", []string{"g"}, nil)})
		return []Input{obj("a.vo", a), obj("b.vo", b), lib("libx.va", ar)}
	}
	serial, parallel, a, b := linkBothWays(t, Config{}, mods)
	require.NoError(t, serial.err)
	require.NoError(t, parallel.err)
	assert.Equal(t, a, b)
	assert.Equal(t, "reference\textracted\tsymbol\na.vo\tlibx.va(f.vo)\tf\n", parallel.why)
	assert.Equal(t, []string{"_start", "h", "f"}, symNames(parallel.img))
}

// Traced symbols must be traced in input order: resolve then enters every
// module in one pass.
func TestParallelResolveNotWhenTracing(t *testing.T) {
	withParallelResolve(t, true, func() {
		l := &linker{cfg: Config{TraceSymbols: []string{"f"}}, items: []item{{obj: newObject("a.vo", start().f, 0, -1, -1)}}}
		assert.Equal(t, 0, leadingModules(l))
		l.cfg.TraceSymbols = nil
		assert.Equal(t, 1, leadingModules(l))
		assert.Equal(t, 4, resolveShards(1))
	})
}

// The symbol table itself, not only what the image shows of it, is the
// same: names get their symIDs in order of first use, and every module
// symbol maps to the same symID.
func TestParallelResolveSymbolIDs(t *testing.T) {
	files, err := testgen.Generate(testgen.Config{Modules: 20, Funcs: 10, Calls: 5, Seed: 3})
	require.NoError(t, err)
	resolve := func() (names []string, gids [][]symID) {
		var ins []Input
		for i, f := range files {
			ins = append(ins, Input{Name: testgen.ModuleName(i), File: f})
		}
		l := &linker{cfg: Config{Entry: DefaultEntry}, in: ins, out: &objfmt.File{Type: objfmt.TypeExec}}
		readPass(l)
		resolvePass(l)
		require.Empty(t, l.diags)
		for _, g := range l.syms {
			names = append(names, g.name)
		}
		for _, o := range l.objs {
			gids = append(gids, o.gids)
		}
		return names, gids
	}
	var serialNames, parallelNames []string
	var serialIDs, parallelIDs [][]symID
	withParallelResolve(t, false, func() { serialNames, serialIDs = resolve() })
	withParallelResolve(t, true, func() { parallelNames, parallelIDs = resolve() })
	assert.Equal(t, serialNames, parallelNames)
	assert.Equal(t, serialIDs, parallelIDs)
	assert.Equal(t, []string{"m0_f0", "m0_f1"}, parallelNames[:2])
}
