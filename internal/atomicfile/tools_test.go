//go:build unix

package atomicfile_test

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"linkvm/internal/toolstest"
)

// The tests of this file run the real tools that write files (vmas, vmld,
// vmar) under a file-size limit (RLIMIT_FSIZE, set by the shell's
// `ulimit -f`), so that the kernel fails their write part-way through, as
// a full disk would, and check that the file they were replacing is
// intact, that no temporary file is left behind and that the error names
// the file. Every tool writes through WriteFile; these tests check that
// none bypasses it.

// buildTools builds the tools into a temporary directory and returns it.
func buildTools(t *testing.T) string {
	t.Helper()
	bin := t.TempDir()
	require.NoError(t, toolstest.Build(bin, "vmas", "vmld", "vmar"))
	return bin
}

// bigProgram is a complete program (no library needed) whose object file,
// image and library are well over the limit.
const bigProgram = `        .text
        .global _start
_start:
        li    r0, 0
        sys   0
        .data
        .global table
table:  .space 8192
`

// limitBlocks is the file-size limit, in the shell's ulimit -f blocks (512
// or 1024 bytes): far less than any output, so every write fails midway.
const limitBlocks = 1

// tool is a command run in dir, under the limit if limited.
func tool(t *testing.T, dir string, limited bool, bin, name string, args ...string) (stderr string, status int) {
	t.Helper()
	argv := append([]string{filepath.Join(bin, name)}, args...)
	var cmd *exec.Cmd
	if limited {
		cmd = exec.Command("sh", append([]string{"-c", fmt.Sprintf(`ulimit -f %d && exec "$@"`, limitBlocks), "sh"}, argv...)...)
	} else {
		cmd = exec.Command(argv[0], argv[1:]...)
	}
	cmd.Dir = dir
	var errBuf bytes.Buffer
	cmd.Stderr = &errBuf
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		return errBuf.String(), ee.ExitCode()
	}
	require.NoError(t, err)
	return errBuf.String(), 0
}

// listing returns the names in dir.
func listing(t *testing.T, dir string) []string {
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	var ns []string
	for _, e := range entries {
		ns = append(ns, e.Name())
	}
	return ns
}

func TestToolsKeepOldOutputWhenAWriteFails(t *testing.T) {
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("no sh to set the file-size limit with")
	}
	bin := buildTools(t)
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "prog.s"), []byte(bigProgram), 0o644))
	for _, step := range [][]string{
		{"vmas", "-o", "prog.vo", "prog.s"},
		{"vmld", "-o", "prog.img", "prog.vo"},
		{"vmar", "rc", "lib.va", "prog.vo"},
	} {
		stderr, status := tool(t, dir, false, bin, step[0], step[1:]...)
		require.Equal(t, 0, status, "%v: %s", step, stderr)
	}
	for _, f := range []string{"prog.vo", "prog.img", "lib.va"} {
		fi, err := os.Stat(filepath.Join(dir, f))
		require.NoError(t, err)
		require.Greater(t, fi.Size(), int64(4096), "%s must be larger than the limit", f)
	}

	cases := []struct {
		name   string
		target string // the file the tool replaces
		argv   []string
		stderr string
	}{
		{"vmas", "out.vo", []string{"vmas", "-o", "out.vo", "prog.s"},
			"vmas: error: write out.vo: file too large\n"},
		{"vmld", "out.img", []string{"vmld", "-o", "out.img", "prog.vo"},
			"vmld: error: cannot write out.img: file too large\n"},
		{"vmar r", "lib.va", []string{"vmar", "r", "lib.va", "prog.vo"},
			"vmar: cannot write lib.va: file too large\n"},
		{"vmar x", "prog.vo", []string{"vmar", "x", "lib.va", "prog.vo"},
			"vmar: cannot write prog.vo: file too large\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			target := filepath.Join(dir, c.target)
			old, err := os.ReadFile(target)
			if os.IsNotExist(err) {
				old = []byte("old contents of " + c.target + "\n")
				require.NoError(t, os.WriteFile(target, old, 0o644))
			} else {
				require.NoError(t, err)
			}
			before := listing(t, dir)

			stderr, status := tool(t, dir, true, bin, c.argv[0], c.argv[1:]...)
			require.Equal(t, 1, status, stderr)
			require.Equal(t, c.stderr, stderr)

			got, err := os.ReadFile(target)
			require.NoError(t, err)
			require.True(t, bytes.Equal(old, got), "%s changed", c.target)
			after := listing(t, dir)
			require.Equal(t, before, after, "a temporary file was left behind")
			require.False(t, slices.ContainsFunc(after, func(n string) bool { return strings.Contains(n, ".tmp") }))
		})
	}

	// Without the limit, the same commands replace their targets.
	for _, c := range cases {
		stderr, status := tool(t, dir, false, bin, c.argv[0], c.argv[1:]...)
		require.Equal(t, 0, status, "%s: %s", c.name, stderr)
	}
	img, err := os.ReadFile(filepath.Join(dir, "out.img"))
	require.NoError(t, err)
	good, err := os.ReadFile(filepath.Join(dir, "prog.img"))
	require.NoError(t, err)
	require.Equal(t, good, img)
}
