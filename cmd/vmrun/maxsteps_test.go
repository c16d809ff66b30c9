package main

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"linkvm/vm/isa"
)

func TestMaxSteps(t *testing.T) {
	// Prints, then loops forever at line 3.
	var p prog
	p.fn("_start")
	p.write(2, 1, "spinning\n")
	p.in(3, isa.JMP, 0, 0, 0, 0)
	img := p.file(t)
	report := `vmrun: trap: step limit: 1000 instructions executed
  at _start+0x20 (p.s:3)
backtrace:
  #0 0x10020 _start+0x20 (p.s:3)
`
	assert.Equal(t, result{"spinning\n", report, 124}, vmrun("", "--max-steps", "1000", img))
	assert.Equal(t, result{"spinning\n", report, 124}, vmrun("", "--max-steps=1000", img))

	// A budget that is enough changes nothing.
	var q prog
	q.fn("_start")
	q.write(2, 1, "done\n")
	q.exit(3, 3)
	assert.Equal(t, result{"done\n", "", 3}, vmrun("", "--max-steps", "6", q.file(t)))
	assert.Equal(t, 124, vmrun("", "--max-steps", "5", q.file(t)).status)

	for _, bad := range []string{"0", "-1", "many"} {
		r := vmrun("", "--max-steps", bad, img)
		assert.Equal(t, result{"", "vmrun: --max-steps " + bad + ": not a positive number of instructions\n" +
			"usage: vmrun [flags] prog.img [args...] (vmrun -h for help)\n", 2}, r)
	}
}
