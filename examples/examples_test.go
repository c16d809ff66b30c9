// End-to-end tests: every example is assembled, linked and run with the real
// command-line tools, and its output compared.
package examples_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"linkvm/internal/toolstest"
	"linkvm/stdlib"
)

// bin is the directory holding the tools, built once by TestMain; libstd
// is installed in bin/../lib, where the tools find it with no flags, as
// after `make`.
var bin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "linkvm-tools-")
	if err != nil {
		panic(err)
	}
	bin = filepath.Join(dir, "bin")
	if err := toolstest.Build(bin); err != nil {
		os.RemoveAll(dir)
		panic(err)
	}
	lib := filepath.Join(dir, "lib")
	if err := os.Mkdir(lib, 0o755); err != nil {
		panic(err)
	}
	if err := stdlib.Install(lib); err != nil {
		os.RemoveAll(dir)
		panic("installing libstd: " + err.Error())
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// result is what a tool printed and its exit status.
type result struct {
	stdout, stderr string
	status         int
}

// run runs one of the built tools with stdin empty.
func run(t *testing.T, tool string, args ...string) result {
	t.Helper()
	return runIn(t, "", nil, tool, args...)
}

// runIn runs one of the built tools in dir (if not empty) with env added
// to the environment.
func runIn(t *testing.T, dir string, env []string, tool string, args ...string) result {
	t.Helper()
	return runFrom(t, bin, dir, env, tool, args...)
}

// runFrom is runIn with the tools of binDir (such as those `make`
// builds) instead of TestMain's.
func runFrom(t *testing.T, binDir, dir string, env []string, tool string, args ...string) result {
	t.Helper()
	cmd := exec.Command(filepath.Join(binDir, tool), args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	status := 0
	if ee, ok := err.(*exec.ExitError); ok {
		status = ee.ExitCode()
	} else {
		require.NoError(t, err)
	}
	return result{out.String(), errb.String(), status}
}

// build assembles every .s file of srcDir and links them into dir/name.img.
func build(t *testing.T, srcDir, dir, name string) string {
	t.Helper()
	srcs, err := filepath.Glob(filepath.Join(srcDir, "*.s"))
	require.NoError(t, err)
	require.NotEmpty(t, srcs)
	var objs []string
	for _, s := range srcs {
		o := filepath.Join(dir, strings.TrimSuffix(filepath.Base(s), ".s")+".vo")
		r := run(t, "vmas", "-o", o, s)
		require.Equal(t, 0, r.status, "vmas %s: %s", s, r.stderr)
		objs = append(objs, o)
	}
	img := filepath.Join(dir, name+".img")
	r := run(t, "vmld", append([]string{"-o", img}, objs...)...)
	require.Equal(t, 0, r.status, "vmld: %s", r.stderr)
	return img
}

func TestExamples(t *testing.T) {
	for _, tc := range []struct {
		example string
		args    []string
		stdout  string
		stderr  string
		status  int
	}{
		{"hello", nil, "Hello, world!\n", "", 0},
		{"fib", []string{"10"}, "55\n", "", 0},
		{"fib", []string{"25"}, "75025\n", "", 0},
		{"fib", []string{"1"}, "1\n", "", 0},
		{"fib", nil, "", "usage: fib N\n", 2},
		{"multi", nil, "apply(double_it, 21) = 42\napply_named(square, 12) = 144\n" +
			"calls counted by util.s: 2\nthree modules, one image\n", "", 0},
	} {
		t.Run(tc.example+"/"+strings.Join(tc.args, ","), func(t *testing.T) {
			img := build(t, tc.example, t.TempDir(), tc.example)
			r := run(t, "vmrun", append([]string{img}, tc.args...)...)
			assert.Equal(t, tc.stdout, r.stdout)
			assert.Equal(t, tc.stderr, r.stderr)
			assert.Equal(t, tc.status, r.status)
		})
	}
}

// TestLinkDeterministic links the same inputs twice and compares the bytes.
func TestLinkDeterministic(t *testing.T) {
	dir := t.TempDir()
	a := build(t, "multi", dir, "a")
	b := build(t, "multi", dir, "b")
	ab, err := os.ReadFile(a)
	require.NoError(t, err)
	bb, err := os.ReadFile(b)
	require.NoError(t, err)
	assert.Equal(t, ab, bb)
}

// TestStoreIntoCodeTraps runs a program that overwrites its own code: the
// store traps, output written before is flushed, and the report names the
// trap, the function+offset, the source line and the backtrace.
func TestStoreIntoCodeTraps(t *testing.T) {
	img := build(t, "testdata/selfmod", t.TempDir(), "selfmod")
	r := run(t, "vmrun", img)
	assert.Equal(t, "partial", r.stdout)
	assert.Equal(t, `vmrun: trap: write to read-only memory at 0x10000 (section .text)
  at poke+0x10 (testdata/selfmod/selfmod.s:17)
backtrace:
  #0 0x10040 poke+0x10 (testdata/selfmod/selfmod.s:17)
  #1 0x10018 _start+0x18 (testdata/selfmod/selfmod.s:10)
`, r.stderr)
	assert.Equal(t, 134, r.status)
}

// TestCorruptInputs feeds random, truncated and bit-flipped files to the
// linker and the runner: each gives one line naming the file, never a Go
// panic.
func TestCorruptInputs(t *testing.T) {
	dir := t.TempDir()
	img := build(t, "hello", dir, "hello")
	good, err := os.ReadFile(img)
	require.NoError(t, err)
	vo, err := os.ReadFile(filepath.Join(dir, "hello.vo"))
	require.NoError(t, err)

	flipped := bytes.Clone(good)
	flipped[20] ^= 0x80 // the section header table offset
	random := make([]byte, 512)
	for i := range random {
		random[i] = byte(i*131 + 7)
	}
	cases := map[string][]byte{
		"empty":     nil,
		"random":    random,
		"truncated": good[:len(good)/2],
		"header":    good[:40],
		"flipped":   flipped,
		"vo-trunc":  vo[:len(vo)-7],
	}
	for name, data := range cases {
		t.Run(name, func(t *testing.T) {
			f := filepath.Join(dir, name+".bin")
			require.NoError(t, os.WriteFile(f, data, 0o644))
			for _, c := range []struct {
				tool   string
				args   []string
				status int
			}{
				{"vmrun", []string{f}, 127},
				{"vmld", []string{"-o", filepath.Join(dir, "out.img"), f}, 1},
			} {
				r := run(t, c.tool, c.args...)
				assert.Equal(t, c.status, r.status, r.stderr)
				assert.Equal(t, 1, strings.Count(r.stderr, "\n"), "one line: %q", r.stderr)
				assert.Contains(t, r.stderr, f)
				assert.NotContains(t, r.stderr, "panic")
				assert.NotContains(t, r.stderr, "goroutine")
			}
		})
	}
	_, err = os.Stat(filepath.Join(dir, "out.img"))
	assert.True(t, os.IsNotExist(err), "a failed link leaves no output")
}

// TestTrapInLoopBacktrace: a trap at a loop label inside a framed function
// is reported in that function, with every caller in the backtrace.
func TestTrapInLoopBacktrace(t *testing.T) {
	img := build(t, "testdata/looptrap", t.TempDir(), "looptrap")
	r := run(t, "vmrun", img)
	assert.Equal(t, `vmrun: trap: null pointer read at 0x0
  at sum_until_null+0x18 (testdata/looptrap/looptrap.s:23)
backtrace:
  #0 0x10050 sum_until_null+0x18 (testdata/looptrap/looptrap.s:23)
  #1 0x10020 outer+0x8 (testdata/looptrap/looptrap.s:14)
  #2 0x10008 _start+0x8 (testdata/looptrap/looptrap.s:9)
`, r.stderr)
	assert.Equal(t, 134, r.status)
}
