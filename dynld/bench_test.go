package dynld

import (
	"testing"

	"github.com/stretchr/testify/require"

	"linkvm/vm"
	"linkvm/vm/isa"
)

// loopProg writes a program that calls f b.N times, through its PLT
// (plt) or directly, and the module defining f (an empty function).
func loopProg(b *testing.B, plt bool) string {
	dir := b.TempDir()
	lib := newShared(b, "libf.vso.1", "1.0")
	lib.fn("f", true).ins(isa.RET, 0, 0, 0, 0)
	writeModule(b, dir, "libf.vso.1", lib.build())
	p := newExe(b, "libf.vso.1")
	p.dyn.Runpath = []string{"$ORIGIN"}
	p.fn("_start", false).ins(isa.LI, 16, 0, 0, int32(b.N))
	p.fn("loop", false)
	if plt {
		p.callPLT("f")
	} else {
		p.toLabel(isa.CALL, 0, 0, "local")
	}
	p.ins(isa.ADDI, 16, 16, 0, -1).toLabel(isa.BNEZ, 16, 0, "loop").exit(0)
	p.fn("local", false).ins(isa.RET, 0, 0, 0, 0)
	return writeModule(b, dir, "prog.img", p.build())
}

// runLoop loads and runs prog, timing only Run.
func runLoop(b *testing.B, prog string, cfg Config) {
	b.StopTimer()
	cfg.Cache = NewCache(nil)
	p, err := Load(prog, vm.Config{Args: []string{prog}}, cfg)
	require.NoError(b, err)
	b.StartTimer()
	_, err = p.Run()
	require.NoError(b, err)
}

// BenchmarkCallDirect is a call to a function in the same module.
func BenchmarkCallDirect(b *testing.B) { runLoop(b, loopProg(b, false), Config{}) }

// BenchmarkCallPLTBound is a call through a PLT stub once bound (the
// first of the b.N calls binds it).
func BenchmarkCallPLTBound(b *testing.B) { runLoop(b, loopProg(b, true), Config{}) }

// firstCall times the first call of fresh processes through the PLT.
func firstCall(b *testing.B, bindNow bool) {
	dir := b.TempDir()
	lib := newShared(b, "libf.vso.1", "1.0")
	lib.fn("f", true).ins(isa.RET, 0, 0, 0, 0)
	writeModule(b, dir, "libf.vso.1", lib.build())
	p := newExe(b, "libf.vso.1")
	p.dyn.Runpath = []string{"$ORIGIN"}
	p.fn("_start", false).callPLT("f").exit(0)
	prog := writeModule(b, dir, "prog.img", p.build())
	cfg := Config{BindNow: bindNow, Cache: NewCache(nil)}
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		proc, err := Load(prog, vm.Config{Args: []string{prog}}, cfg)
		require.NoError(b, err)
		b.StartTimer()
		_, err = proc.Run()
		require.NoError(b, err)
	}
}

// BenchmarkFirstCallLazy runs a process whose one call binds lazily.
func BenchmarkFirstCallLazy(b *testing.B) { firstCall(b, false) }

// BenchmarkFirstCallBound runs the same process bound at load: the
// difference from BenchmarkFirstCallLazy is the cost of a lazy binding.
func BenchmarkFirstCallBound(b *testing.B) { firstCall(b, true) }
