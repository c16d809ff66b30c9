package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const shortUsage = "usage: vmdbg [flags] prog.img [args...] (vmdbg -h for help)\n"

func TestUsage(t *testing.T) {
	for _, tc := range []struct {
		name   string
		args   []string
		out    string
		status int
	}{
		{"help", []string{"-h"}, usage, 0},
		{"long help", []string{"--help", "fib.img"}, usage, 0},
		{"no image", []string{"--batch"}, "vmdbg: no image given\n" + shortUsage, 2},
		{"unknown flag", []string{"-q", "fib.img"}, "vmdbg: unknown flag -q\n" + shortUsage, 2},
		{"x without file", []string{"-x"}, "vmdbg: -x needs a command file\n" + shortUsage, 2},
		{"x missing", []string{"-x", "nope.gdb", "fib.img"},
			"vmdbg: -x: open nope.gdb: no such file or directory\n" + shortUsage, 2},
		{"batch with value", []string{"--batch=1", "fib.img"}, "vmdbg: --batch takes no argument\n" + shortUsage, 2},
		{"echo with value", []string{"--echo=yes", "fib.img"}, "vmdbg: --echo takes no argument\n" + shortUsage, 2},
		{"bind-now with value", []string{"--bind-now=1", "fib.img"}, "vmdbg: --bind-now takes no argument\n" + shortUsage, 2},
		{"max-steps zero", []string{"--max-steps", "0", "fib.img"},
			"vmdbg: --max-steps 0: not a positive number of instructions\n" + shortUsage, 2},
		{"max-steps missing", []string{"--max-steps"}, "vmdbg: --max-steps needs an argument\n" + shortUsage, 2},
		{"dir missing", []string{"--dir", "/nonexistent/d", "fib.img"},
			"vmdbg: --dir /nonexistent/d: stat /nonexistent/d: no such file or directory\n" + shortUsage, 2},
		{"dir is a file", []string{"--dir=fib.img", "fib.img"}, "vmdbg: --dir fib.img: not a directory\n" + shortUsage, 2},
		{"dir-rw without value", []string{"--dir-rw"}, "vmdbg: --dir-rw needs an argument HOST[:GUEST]\n" + shortUsage, 2},
		{"no such image", []string{"--batch", "nope.img"}, "vmdbg: open nope.img: no such file or directory\n", 127},
		{"not an image", []string{"--batch", "fib.s"}, "vmdbg: fib.s: objfmt: bad magic \"# fi\" at offset 0x0\n", 127},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, status := vmdbg(t, "", tc.args...)
			assert.Equal(t, tc.out, out)
			assert.Equal(t, tc.status, status)
		})
	}
}

// TestPrompts: commands piped in without --batch get a prompt each, as in
// gdb, and a newline at the end of the input.
func TestPrompts(t *testing.T) {
	out, status := vmdbg(t, "break fib\nrun\nbogus\n", "fib.img", "3")
	assert.Equal(t, "(vmdbg) Breakpoint 1 at 0x10078: fib (fib.s:29)\n"+
		"(vmdbg) Starting program: fib.img 3\n\nBreakpoint 1, fib (fib.s:29)\n29\t        li    r8, 2\n"+
		"(vmdbg) error: unknown command \"bogus\" (help lists the commands)\n(vmdbg) \n", out)
	assert.Equal(t, 1, status)
}

// TestScriptThenInput: the commands of -x FILE run first; with --batch
// vmdbg then exits and its standard input is the program's; without, the
// commands go on from standard input.
func TestScriptThenInput(t *testing.T) {
	script := filepath.Join(t.TempDir(), "run.gdb")
	require.NoError(t, os.WriteFile(script, []byte("run\n"), 0o644))

	out, status := vmdbg(t, "piped to the program\n", "--batch", "-x", script, "echo.img")
	assert.Equal(t, "Starting program: echo.img\npiped to the program\n[program exited with status 0]\n", out)
	assert.Equal(t, 0, status)

	out, status = vmdbg(t, "info registers r0\n", "--echo", "-x", script, "fib.img", "4")
	assert.Equal(t, "(vmdbg) run\nStarting program: fib.img 4\n3\n[program exited with status 0]\n"+
		"(vmdbg) info registers r0\nerror: the program has exited; run starts it again\n", out)
	assert.Equal(t, 1, status)
}

// TestMaxSteps: --max-steps stops a runaway program with a trap the
// debugger reports, and the session goes on.
func TestMaxSteps(t *testing.T) {
	out, status := vmdbg(t, "run\nprint $r9\n", "--batch", "--max-steps", "1000", "spin.img")
	assert.Equal(t, "Starting program: spin.img\nspinning\n\nProgram trapped: step limit: 1000 instructions executed\n"+
		"_start+0x20 (spin.s:10)\n10\t        addi  r9, r9, 1\n$r9 = 498 (0x1f2)\n", out)
	assert.Equal(t, 0, status)
}

// TestQuitKillsTheProgram: quit in the middle of a run ends the program
// without waiting for it, and the rest of the script is not read.
func TestQuitKillsTheProgram(t *testing.T) {
	out, status := vmdbg(t, "break spin.s:10\nrun\nquit\nrun\n", "--batch", "spin.img")
	assert.Equal(t, "Breakpoint 1 at 0x10020: _start+0x20 (spin.s:10)\nStarting program: spin.img\nspinning\n\n"+
		"Breakpoint 1, _start+0x20 (spin.s:10)\n10\t        addi  r9, r9, 1\n", out)
	assert.Equal(t, 0, status)
}
