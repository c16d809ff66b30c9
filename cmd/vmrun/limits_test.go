package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLimitFlagErrors(t *testing.T) {
	hello := helloImage(t)
	for _, tc := range []struct {
		args []string
		msg  string
	}{
		{[]string{"--max-memory", "lots"}, "--max-memory lots: not a size (bytes, with an optional K, M or G suffix)"},
		{[]string{"--max-memory", "0"}, "--max-memory 0: not a size from 1 to 140737488355328 bytes"},
		{[]string{"--max-memory=200000G"}, "--max-memory 200000G: not a size from 1 to 140737488355328 bytes"},
		{[]string{"--max-memory", "99999999999999G"}, "--max-memory 99999999999999G: too large"},
		{[]string{"--max-memory"}, "--max-memory needs an argument"},
		{[]string{"--max-files", "2"}, "--max-files 2: not a number of file descriptors from 3 (the standard streams) to 65536"},
		{[]string{"--max-files", "x"}, "--max-files x: not a number of file descriptors from 3 (the standard streams) to 65536"},
		{[]string{"--max-files=65537"}, "--max-files 65537: not a number of file descriptors from 3 (the standard streams) to 65536"},
		{[]string{"--max-procs", "0"}, "--max-procs 0: not a number of processes from 1 to 65536"},
		{[]string{"--max-procs", "-1"}, "--max-procs -1: not a number of processes from 1 to 65536"},
		{[]string{"--env", "=x"}, "--env =x: no variable name (the form is NAME or NAME=VALUE)"},
		{[]string{"--env"}, "--env needs an argument"},
		{[]string{"--dir-rw"}, "--dir-rw needs an argument HOST[:GUEST]"},
		{[]string{"--max-memory", "512K"}, "the stack (--stack-size, 1048576 bytes) is larger than the memory limit (--max-memory, 524288 bytes)"},
		{[]string{"--stack-size", "2M", "--max-memory", "1M"}, "the stack (--stack-size, 2097152 bytes) is larger than the memory limit (--max-memory, 1048576 bytes)"},
	} {
		t.Run(tc.msg, func(t *testing.T) {
			args := tc.args
			if !strings.Contains(tc.msg, "needs an argument") {
				args = append(args, hello)
			}
			assert.Equal(t, result{"", "vmrun: " + tc.msg + "\n" + shortUsage, 2}, vmrun("", args...))
		})
	}
	// A stack as large as the limit is allowed (the heap then gets
	// nothing).
	assert.Equal(t, result{"Hello, world!\n", "", 0}, vmrun("", "--stack-size", "1M", "--max-memory", "1M", hello))
}

func TestMemoryHungryProgram(t *testing.T) {
	hog := limitsProg(t, "hog")
	// 16 MiB in all: the 1 MiB stack, then the heap grows until sbrk
	// refuses, and malloc returns NULL.
	assert.Equal(t, result{"malloc returned NULL after 14 MiB\n", "", 0}, vmrun("", "--max-memory", "16M", hog))
	assert.Equal(t, result{"malloc returned NULL after 30 MiB\n", "", 0}, vmrun("", "--max-memory=32m", hog))
}

func TestSpawnHappyPrograms(t *testing.T) {
	// A hundred spawns without a wait: the children that exited still
	// count until they are waited for, so seven fit beside the parent.
	bomb := limitsProg(t, "bomb")
	assert.Equal(t, result{"7 spawned, 93 refused (error -11)\n", "", 0}, vmrun("", "--max-procs", "8", bomb))
	assert.Equal(t, result{"63 spawned, 37 refused (error -11)\n", "", 0}, vmrun("", bomb))
	// A chain of processes, each waiting for the next, grows to the
	// limit.
	chain := limitsProg(t, "chain")
	assert.Equal(t, result{"process 5: spawn: error -11\n", "", 4}, vmrun("", "--max-procs", "5", chain))
	assert.Equal(t, result{"process 64: spawn: error -11\n", "", 63}, vmrun("", chain))
}

func TestOpenFilesLimit(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "f"), nil, 0o644))
	files := limitsProg(t, "files")
	assert.Equal(t, result{"7 files open; open: error -24\n", "", 0}, vmrun("", "--max-files", "10", "--dir", dir+":/d", files, "/d/f"))
	assert.Equal(t, result{"61 files open; open: error -24\n", "", 0}, vmrun("", "--dir", dir+":/d", files, "/d/f"))
	assert.Equal(t, result{"0 files open; open: error -24\n", "", 0}, vmrun("", "--max-files=3", "--dir", dir+":/d", files, "/d/f"))
}

func TestEnvironment(t *testing.T) {
	env := limitsProg(t, "env")
	t.Setenv("HOME", "/home/student")
	t.Setenv("SECRET", "hunter2")
	assert.Equal(t, result{"getenv(\"HOME\"): (unset)\n", "", 0}, vmrun("", env), "empty unless passed")
	assert.Equal(t, result{"HOME=/home/student\ngetenv(\"HOME\"): /home/student\n", "", 0}, vmrun("", "--env", "HOME", env))
	assert.Equal(t, result{"LANG=C\nHOME=/tmp\nEMPTY=\ngetenv(\"HOME\"): /tmp\n", "", 0},
		vmrun("", "--env", "LANG=C", "--env=HOME", "--env", "EMPTY=", "--env", "HOME=/tmp", "--env", "NOT_SET_ANYWHERE", env),
		"the last value of a name wins, in the place of its first; a name vmrun does not have is left out")
}

func TestStepLimitOfAChild(t *testing.T) {
	// The child loops until its budget runs out: the host reports its
	// trap, its parent's wait gets 134 and the parent's buffered output
	// is flushed.
	waitloop := limitsProg(t, "waitloop")
	assert.Equal(t, result{"waiting\n", `vmrun: trap: step limit: 100 instructions executed
  at _start+0x0 (waitloop.s:9)
backtrace:
  #0 0x10000 _start+0x0 (waitloop.s:9)
`, 134}, vmrun("", "--max-steps", "100", waitloop))
}

func TestImageBeyondTheMemoryLimit(t *testing.T) {
	big := limitsProg(t, "big")
	assert.Equal(t, result{"", "vmrun: " + big + ": its writable and zero-filled sections need 2097152 bytes, " +
		"over the memory limit of 2097152 bytes (1048576 in use)\n", 127}, vmrun("", "--max-memory", "2M", big))
	assert.Equal(t, result{"", "", 0}, vmrun("", "--max-memory", "3M", big))
}
