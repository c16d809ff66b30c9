package vm

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"
)

// BenchmarkArithLoop runs b.N iterations of a 12-instruction loop of
// straight-line integer arithmetic, loads and stores, each instruction
// using the result of the one before (a chain through the register file
// and memory); ns/op is per iteration and insts/s counts VM instructions.
func BenchmarkArithLoop(b *testing.B) {
	img := assemble(b, fmt.Sprintf(`
_start:	li64 r1, %d
	la r10, cell
	li r3, 1
.loop:	add r3, r3, r1
	xor r4, r4, r3
	shli r5, r3, 3
	sub r6, r5, r4
	muli r7, r6, 7
	and r8, r7, r1
	or r9, r9, r8
	st64 r9, [r10]
	ld64 r11, [r10]
	add r3, r3, r11
	addi r1, r1, -1
	bnez r1, .loop
	li r0, 0
	halt
	.data
cell:	.quad 0`, b.N))
	p, err := Load(img, "bench", Config{})
	require.NoError(b, err)
	b.ResetTimer()
	_, err = p.Run()
	b.StopTimer()
	require.NoError(b, err)
	b.ReportMetric(float64(p.Steps())/b.Elapsed().Seconds(), "insts/s")
}

// BenchmarkStraightLine runs b.N iterations of a 12-instruction loop of
// straight-line integer arithmetic whose instructions do not wait for one
// another (each register depends only on its own previous value and on
// the loop counter), unlike ArithLoop's chain, where every instruction
// uses the one before it: ns/op is per iteration and insts/s counts VM
// instructions.
func BenchmarkStraightLine(b *testing.B) {
	img := assemble(b, fmt.Sprintf(`
_start:	li64 r1, %d
.loop:	addi r2, r2, 1
	addi r3, r3, 3
	xor r4, r4, r1
	add r5, r5, r1
	shli r6, r1, 3
	sub r7, r7, r1
	or r8, r8, r1
	and r9, r9, r1
	add r10, r10, r2
	muli r11, r1, 7
	addi r1, r1, -1
	bnez r1, .loop
	li r0, 0
	halt`, b.N))
	p, err := Load(img, "bench", Config{})
	require.NoError(b, err)
	b.ResetTimer()
	_, err = p.Run()
	b.StopTimer()
	require.NoError(b, err)
	b.ReportMetric(float64(p.Steps())/b.Elapsed().Seconds(), "insts/s")
}

// BenchmarkFib runs naive recursive fib(22) (enter/leave/call/ret, stack
// loads and stores) once per iteration; insts/s counts VM instructions.
func BenchmarkFib(b *testing.B) {
	img := assemble(b, fibSrc(22))
	var steps uint64
	for b.Loop() {
		b.StopTimer()
		p, err := Load(img, "bench", Config{})
		require.NoError(b, err)
		b.StartTimer()
		st, err := p.Run()
		if err != nil || st != 17711 {
			b.Fatalf("fib(22) = %d, %v", st, err)
		}
		steps += p.Steps()
	}
	b.ReportMetric(float64(steps)/b.Elapsed().Seconds(), "insts/s")
}

// BenchmarkCall runs b.N calls of a two-instruction function (add, ret):
// "direct" calls it in the executable with `call`; "plt" calls it in a
// shared module through a bound PLT stub (ldpc, jr: two more
// instructions) in the executable's .text, switching code segments on
// every call and return; "plt-section" has the stub in a section of its
// own, as vmld lays out .plt, so that a call and its return switch code
// segments three times. ns/op is per call.
func BenchmarkCall(b *testing.B) {
	loop := `
_start:	li64 r20, %d
.loop:	li r0, 1
	call %s
	addi r20, r20, -1
	bnez r20, .loop
	halt
add2:	add r0, r0, r1
	ret
%s
plt0:	sys 14
add2_plt:	ldpc ip, got_add2
	jr ip
add2_lazy:	li ip, 0
	jmp plt0
	.data
got_add2:	.quad add2_lazy`
	lib := "\n\t.global add2\nadd2:\tadd r0, r0, r1\n\tret"
	for _, bc := range []struct{ name, target, stubs string }{
		{"direct", "add2", ""},
		{"plt", "add2_plt", ""},
		{"plt-section", "add2_plt", `.section .stubs, "ax"`},
	} {
		b.Run(bc.name, func(b *testing.B) {
			m := newMulti(b, fmt.Sprintf(loop, b.N, bc.target, bc.stubs), lib, "add2", nil, Config{})
			m.p.SetLinker(&fakeLinker{bind: func(p *Process, _ *Module, _ uint64) (uint64, error) {
				a := m.libAddr(b, "add2")
				return a, p.Write64(symbol(b, m.exe.File, "got_add2"), a)
			}})
			b.ResetTimer()
			_, err := m.p.Run()
			b.StopTimer()
			require.NoError(b, err)
			b.ReportMetric(float64(m.p.Steps())/b.Elapsed().Seconds(), "insts/s")
		})
	}
}
