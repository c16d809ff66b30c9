package runopts

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"linkvm/vm"
)

// parse scans args with the shared flags only, as vmrun and vmdbg do.
func parse(args ...string) (*Options, int, error) {
	o := New()
	i, err := Scan(args, func(name string, hasVal bool, value func() (string, bool)) error {
		if ok, err := o.Flag(name, hasVal, value); ok {
			return err
		}
		return assert.AnError
	})
	return o, i, err
}

func TestScanAndFlags(t *testing.T) {
	dir := t.TempDir()
	o, i, err := parse("--dir", dir, "--dir-rw="+dir+":/out", "--max-steps", "0x10", "--stack-size=64K",
		"--max-memory", "1M", "--max-files", "10", "--max-procs=3", "--bind-now", "--env", "A=1",
		"prog.img", "--max-steps", "5")
	require.NoError(t, err)
	assert.Equal(t, 14, i, "flags end at the image")
	require.NoError(t, o.Finish(func(string) (string, bool) { return "", false }))
	assert.Equal(t, []vm.DirGrant{{Host: dir, Guest: dir, ReadOnly: true}, {Host: dir, Guest: "/out"}}, o.Config.Dirs)
	assert.Equal(t, uint64(16), o.Config.MaxSteps)
	assert.Equal(t, uint64(64<<10), o.Config.StackSize)
	assert.Equal(t, uint64(1<<20), o.Config.MaxMemory)
	assert.Equal(t, 10, o.Config.MaxFiles)
	assert.Equal(t, 3, o.MaxProcs)
	assert.True(t, o.BindNow)
	assert.Equal(t, []string{"A=1"}, o.Config.Env)

	_, i, err = parse("--", "-x.img")
	require.NoError(t, err)
	assert.Equal(t, 1, i)
	_, i, err = parse("-", "x")
	require.NoError(t, err)
	assert.Equal(t, 0, i, "a lone - is an argument")
}

func TestEnvFromTheToolsEnvironment(t *testing.T) {
	o, _, err := parse("--env", "HOME", "--env", "UNSET", "--env", "A=1", "--env", "A=2")
	require.NoError(t, err)
	require.NoError(t, o.Finish(func(k string) (string, bool) {
		if k == "HOME" {
			return "/home/x", true
		}
		return "", false
	}))
	assert.Equal(t, []string{"HOME=/home/x", "A=2"}, o.Config.Env)
}

func TestFlagErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--dir"}, "--dir needs an argument HOST[:GUEST]"},
		{[]string{"--dir", ":x"}, "--dir :x: empty host directory"},
		{[]string{"--dir-rw", "/nonexistent/x"}, "--dir-rw /nonexistent/x: stat /nonexistent/x: no such file or directory"},
		{[]string{"--max-steps"}, "--max-steps needs an argument"},
		{[]string{"--max-steps", "0"}, "--max-steps 0: not a positive number of instructions"},
		{[]string{"--stack-size", "0"}, "--stack-size 0: the stack size must be positive"},
		{[]string{"--stack-size", "2G"}, "--stack-size 2G: larger than the maximum stack size 1073741824"},
		{[]string{"--stack-size", "1X"}, "--stack-size 1X: not a size (bytes, with an optional K, M or G suffix)"},
		{[]string{"--max-memory", "0"}, "--max-memory 0: not a size from 1 to 140737488355328 bytes"},
		{[]string{"--max-files", "2"}, "--max-files 2: not a number of file descriptors from 3 (the standard streams) to 65536"},
		{[]string{"--max-procs", "0"}, "--max-procs 0: not a number of processes from 1 to 65536"},
		{[]string{"--env", "=x"}, "--env =x: no variable name (the form is NAME or NAME=VALUE)"},
		{[]string{"--bind-now=yes"}, "--bind-now takes no argument"},
	} {
		_, _, err := parse(tc.args...)
		assert.EqualError(t, err, tc.want, "%q", tc.args)
	}
	o, _, err := parse("--stack-size", "2M", "--max-memory", "1M")
	require.NoError(t, err)
	assert.EqualError(t, o.Finish(nil),
		"the stack (--stack-size, 2097152 bytes) is larger than the memory limit (--max-memory, 1048576 bytes)")
}

func TestForImage(t *testing.T) {
	env := map[string]string{"VM_LIBRARY_PATH": "/a:/b"}
	o, _, err := parse("--max-steps", "7", "dir/prog.img")
	require.NoError(t, err)
	cfg, dcfg := o.ForImage("dir/prog.img", func(k string) string { return env[k] })
	assert.Equal(t, "dir", cfg.LoadRoot, "the program loads from its image's tree")
	assert.Equal(t, uint64(7), cfg.MaxSteps)
	assert.Equal(t, []string{"/a", "/b"}, dcfg.LibraryPath)
	assert.False(t, dcfg.BindNow)
	assert.Empty(t, o.Config.LoadRoot, "Options keeps its own Config")

	o, _, err = parse("--bind-now", "prog.img")
	require.NoError(t, err)
	_, dcfg = o.ForImage("prog.img", func(string) string { return "" })
	assert.True(t, dcfg.BindNow, "--bind-now")
	env = map[string]string{"VM_BIND_NOW": "1"}
	_, dcfg = New().ForImage("prog.img", func(k string) string { return env[k] })
	assert.True(t, dcfg.BindNow, "VM_BIND_NOW")
}
