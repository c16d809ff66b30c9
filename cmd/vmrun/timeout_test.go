package main

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"linkvm/vm/isa"
)

func TestTimeoutEndsAProcessBlockedForEver(t *testing.T) {
	// The program reads from a pipe whose only write end it holds itself:
	// it executes no more instructions, so only --timeout ends it.
	var p prog
	p.fn("_start")
	p.write(2, 1, "waiting\n")
	p.in(3, isa.ADDI, 0, isa.RegSP, 0, -16)
	p.in(3, isa.SYS, 0, 0, 0, 22) // pipe(sp-16)
	p.in(4, isa.LD64, 0, isa.RegSP, 0, -16)
	p.in(4, isa.ADDI, 1, isa.RegSP, 0, -32)
	p.in(4, isa.LI, 2, 0, 0, 8)
	p.in(4, isa.SYS, 0, 0, 0, 2) // read(fds[0], sp-32, 8)
	p.exit(5, 0)
	img := p.file(t)
	start := time.Now()
	r := vmrun("", "--max-steps", "1000", "--timeout", "200ms", img)
	assert.Less(t, time.Since(start), 5*time.Second)
	assert.Equal(t, result{"waiting\n", `vmrun: trap: interrupted
  at _start+0x50 (p.s:5)
backtrace:
  #0 0x10050 _start+0x50 (p.s:5)
vmrun: timed out after 200ms
`, 124}, r)
}

func TestTimeoutEndsALoop(t *testing.T) {
	var p prog
	p.fn("_start")
	p.in(2, isa.JMP, 0, 0, 0, 0)
	r := vmrun("", "--timeout=0.1", p.file(t))
	assert.Equal(t, 124, r.status)
	assert.Contains(t, r.stderr, "vmrun: trap: interrupted\n  at _start+0x0 (p.s:2)\n")
	assert.Contains(t, r.stderr, "vmrun: timed out after 100ms\n")

	// A program that ends in time is not affected.
	var q prog
	q.fn("_start")
	q.exit(2, 5)
	assert.Equal(t, result{"", "", 5}, vmrun("", "--timeout", "1m", q.file(t)))
}

func TestTimeoutUsageErrors(t *testing.T) {
	for _, tc := range []struct{ arg, msg string }{
		{"0", "the timeout must be positive"},
		{"-1s", "the timeout must be positive"},
		{"soon", "not a duration (such as 2s, 500ms, 1m, or a number of seconds)"},
		{"NaN", "not a duration (such as 2s, 500ms, 1m, or a number of seconds)"},
	} {
		r := vmrun("", "--timeout", tc.arg, "x.img")
		assert.Equal(t, result{"", "vmrun: --timeout " + tc.arg + ": " + tc.msg + "\n" +
			"usage: vmrun [flags] prog.img [args...] (vmrun -h for help)\n", 2}, r)
	}
	r := vmrun("", "--timeout")
	assert.Equal(t, "vmrun: --timeout needs a duration\nusage: vmrun [flags] prog.img [args...] (vmrun -h for help)\n", r.stderr)
}
