package main

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"linkvm/internal/toolstest"
)

// buildVmrun builds the vmrun command into a temporary directory and
// returns its path: the tests that send it signals run it as an OS
// process.
func buildVmrun(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	require.NoError(t, toolstest.Build(dir, "vmrun"))
	return filepath.Join(dir, "vmrun")
}

// interrupted is what an OS process of vmrun did after SIGINT.
type interrupted struct {
	stdout, stderr string
	status         int
}

// runUntil starts vmrun with args, calls ready with its standard output
// until it returns (ready returns what it read of it), sends it SIGINT
// and returns what it printed and its exit status. Standard input is a
// pipe that stays open and empty. The test fails if vmrun does not exit
// within 10 seconds of the signal, or is killed by it.
func runUntil(t *testing.T, vmrunPath string, ready func(stdout io.Reader) string, args ...string) interrupted {
	t.Helper()
	cmd := exec.Command(vmrunPath, args...)
	stdin, err := cmd.StdinPipe()
	require.NoError(t, err)
	defer stdin.Close()
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	require.NoError(t, cmd.Start())
	seen := ready(stdout)
	require.NoError(t, cmd.Process.Signal(os.Interrupt))
	rest, err := io.ReadAll(stdout)
	require.NoError(t, err)
	// Standard error is whole only once Wait has copied all of it: read
	// it after.
	status := waitExit(t, cmd)
	return interrupted{seen + string(rest), stderr.String(), status}
}

// waitExit waits for the started cmd, sent SIGINT, and returns its exit
// status. The test fails if vmrun does not exit within 10 seconds, or is
// killed by the signal.
func waitExit(t *testing.T, cmd *exec.Cmd) int {
	t.Helper()
	waited := make(chan error, 1)
	go func() { waited <- cmd.Wait() }()
	var err error
	select {
	case err = <-waited:
	case <-time.After(10 * time.Second):
		cmd.Process.Kill()
		t.Fatal("vmrun did not exit after SIGINT")
	}
	if ee, ok := err.(*exec.ExitError); ok {
		ws := ee.Sys().(syscall.WaitStatus)
		require.False(t, ws.Signaled(), "vmrun was killed by %v instead of exiting", ws.Signal())
		return ee.ExitCode()
	}
	require.NoError(t, err)
	return 0
}

// readCue returns a ready function that reads cue from standard output.
func readCue(t *testing.T, cue string) func(io.Reader) string {
	return func(stdout io.Reader) string {
		b := make([]byte, len(cue))
		_, err := io.ReadFull(stdout, b)
		require.NoError(t, err)
		require.Equal(t, cue, string(b))
		return cue
	}
}

// TestSIGINT runs vmrun as an OS process and interrupts it with SIGINT
// while its program loops after writing output that is still buffered,
// while it is blocked reading standard input, and while it is blocked
// waiting for a child that loops. Each time every process ends with an
// "interrupted" trap report, its output flushed first, and vmrun exits
// with 130.
func TestSIGINT(t *testing.T) {
	if testing.Short() {
		t.Skip("builds vmrun")
	}
	vmrunPath := buildVmrun(t)
	t.Run("loop", func(t *testing.T) {
		dir := t.TempDir()
		cue := filepath.Join(dir, "cue")
		// The program says "started" in the file cue, which the test
		// watches, once its "spinning" is in the VM's buffer.
		ready := func(io.Reader) string {
			for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
				if b, _ := os.ReadFile(cue); string(b) == "started\n" {
					return ""
				}
			}
			t.Fatal("the program did not start")
			return ""
		}
		res := runUntil(t, vmrunPath, ready, "--dir-rw", dir+":/d", limitsProg(t, "spin"), "/d/cue")
		assert.Equal(t, interrupted{"spinning\n", `vmrun: trap: interrupted
  at _start+0x60 (spin.s:19)
backtrace:
  #0 0x10060 _start+0x60 (spin.s:19)
`, 130}, res)
	})
	t.Run("blocked in read", func(t *testing.T) {
		// The read flushes the prompt, then blocks.
		res := runUntil(t, vmrunPath, readCue(t, "name? "), limitsProg(t, "prompt"))
		assert.Equal(t, interrupted{"name? ", `vmrun: trap: interrupted
  at _start+0x40 (prompt.s:14)
backtrace:
  #0 0x10040 _start+0x40 (prompt.s:14)
`, 130}, res)
	})
	t.Run("blocked in wait", func(t *testing.T) {
		// The parent's wait flushes "waiting", then blocks; the child
		// loops. Both are interrupted; the child's report comes when it
		// ends, after the parent's or before.
		res := runUntil(t, vmrunPath, readCue(t, "waiting\n"), limitsProg(t, "waitloop"))
		assert.Equal(t, 130, res.status)
		assert.Equal(t, "waiting\n", res.stdout)
		parent := `vmrun: trap: interrupted
  at _start+0x78 (waitloop.s:24)
backtrace:
  #0 0x10078 _start+0x78 (waitloop.s:24)
`
		child := `vmrun: trap: interrupted
  at _start+0x0 (waitloop.s:9)
backtrace:
  #0 0x10000 _start+0x0 (waitloop.s:9)
`
		assert.Contains(t, []string{parent + child, child + parent}, res.stderr)
	})
	t.Run("blocked writing to a full pipe", func(t *testing.T) {
		// Standard output is a pipe nobody reads: flood's writes fill it
		// and block. One SIGINT still ends vmrun, with the trap report.
		r, w, err := os.Pipe()
		require.NoError(t, err)
		defer r.Close()
		cmd := exec.Command(vmrunPath, limitsProg(t, "flood"))
		cmd.Stdout = w
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		require.NoError(t, cmd.Start())
		w.Close()                          // vmrun holds the only write end
		time.Sleep(300 * time.Millisecond) // the pipe fills in far less
		require.NoError(t, cmd.Process.Signal(os.Interrupt))
		assert.Equal(t, 130, waitExit(t, cmd))
		assert.Contains(t, stderr.String(), "vmrun: trap: interrupted\n  at _start+")
	})
}
