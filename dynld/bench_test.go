package dynld

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"linkvm/vm"
	"linkvm/vm/isa"
)

// How loopProg's program calls f.
const (
	callDirect = iota // a function of the executable
	callPLT           // f of the module, through the PLT stub
	callGOT           // f of the module, ldpc + callr through its GOT slot
)

// loopProg writes a program that calls f b.N times (how: callDirect,
// callPLT, callGOT), and the module defining f (an empty function).
func loopProg(b *testing.B, how int) string {
	dir := b.TempDir()
	lib := newShared(b, "libf.vso.1", "1.0")
	lib.fn("f", true).ins(isa.RET, 0, 0, 0, 0)
	writeModule(b, dir, "libf.vso.1", lib.build())
	p := newExe(b, "libf.vso.1")
	p.dyn.Runpath = []string{"$ORIGIN"}
	p.fn("_start", false).ins(isa.LI, 16, 0, 0, int32(b.N))
	p.fn("loop", false)
	switch how {
	case callPLT:
		p.callPLT("f")
	case callGOT:
		p.callGOT("f")
	default:
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
func BenchmarkCallDirect(b *testing.B) { runLoop(b, loopProg(b, callDirect), Config{}) }

// BenchmarkCallPLTBound is a call through a PLT stub once bound (the
// first of the b.N calls binds it).
func BenchmarkCallPLTBound(b *testing.B) { runLoop(b, loopProg(b, callPLT), Config{}) }

// BenchmarkCallGOT is a call to another module through a GOT slot
// without a stub: the cost of crossing modules alone.
func BenchmarkCallGOT(b *testing.B) { runLoop(b, loopProg(b, callGOT), Config{}) }

// firstCalls is how many functions the first-call benchmarks call.
const firstCalls = 256

// firstCall times processes that call firstCalls functions of a module
// once each through their PLT stubs, reporting the time per call.
func firstCall(b *testing.B, bindNow bool) {
	dir := b.TempDir()
	lib := newShared(b, "libf.vso.1", "1.0")
	p := newExe(b, "libf.vso.1")
	p.dyn.Runpath = []string{"$ORIGIN"}
	p.fn("_start", false)
	for i := range firstCalls {
		name := fmt.Sprintf("f%d", i)
		lib.fn(name, true).ins(isa.RET, 0, 0, 0, 0)
		p.callPLT(name)
	}
	p.exit(0)
	writeModule(b, dir, "libf.vso.1", lib.build())
	prog := writeModule(b, dir, "prog.img", p.build())
	cfg := Config{BindNow: bindNow, Cache: NewCache(nil)}
	var run time.Duration
	for range b.N {
		proc, err := Load(prog, vm.Config{Args: []string{prog}}, cfg)
		require.NoError(b, err)
		start := time.Now()
		_, err = proc.Run()
		run += time.Since(start)
		require.NoError(b, err)
	}
	b.ReportMetric(float64(run.Nanoseconds())/float64(b.N*firstCalls), "ns/call")
}

// BenchmarkFirstCallLazy: each call is the first through its stub, so it
// binds lazily (sys 14, symbol lookup, GOT write).
func BenchmarkFirstCallLazy(b *testing.B) { firstCall(b, false) }

// BenchmarkFirstCallBound: the same calls bound at load time; the
// difference from BenchmarkFirstCallLazy is the cost of a lazy binding.
func BenchmarkFirstCallBound(b *testing.B) { firstCall(b, true) }
