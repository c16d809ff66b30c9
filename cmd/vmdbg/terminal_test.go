package main

import (
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"linkvm/internal/golden"
)

// The interactive tests drive vmdbg through a real terminal: tmux runs it
// in a detached session, send-keys types, capture-pane reads the screen.
// They are skipped where tmux is not installed.

// screenSession is vmdbg running in a tmux session of its own (its own
// server, on a socket in a temporary directory).
type screenSession struct {
	t    *testing.T
	tmux string
	sock string
}

// startScreen starts vmdbg with args in an 80x30 terminal, in work.
func startScreen(t *testing.T, args ...string) *screenSession {
	t.Helper()
	tmux, err := exec.LookPath("tmux")
	if err != nil {
		t.Skip("tmux is not installed")
	}
	s := &screenSession{t: t, tmux: tmux, sock: filepath.Join(t.TempDir(), "tmux.sock")}
	cmd := append([]string{filepath.Join(bin, "vmdbg")}, args...)
	s.run("-f", "/dev/null", "new-session", "-d", "-x", "80", "-y", "30", "-c", work,
		"-e", "VM_DEBUG=", "-e", "VM_PRELOAD=", "-e", "VM_LIBRARY_PATH=", "-e", "VM_BIND_NOW=",
		strings.Join(cmd, " "))
	t.Cleanup(func() { exec.Command(s.tmux, "-S", s.sock, "kill-server").Run() })
	s.waitFor(promptRE)
	return s
}

// run runs a tmux command on the session's server.
func (s *screenSession) run(args ...string) string {
	s.t.Helper()
	out, err := exec.Command(s.tmux, append([]string{"-S", s.sock}, args...)...).CombinedOutput()
	require.NoError(s.t, err, "tmux %v: %s", args, out)
	return string(out)
}

// keys presses keys: tmux key names, such as Enter, Up, C-c.
func (s *screenSession) keys(keys ...string) {
	s.t.Helper()
	s.run(append([]string{"send-keys", "-t", "0"}, keys...)...)
}

// typ types text as it is (a word such as "delete" is not a key name).
func (s *screenSession) typ(text string) {
	s.t.Helper()
	s.run("send-keys", "-t", "0", "-l", text)
}

// command types a command and presses Enter.
func (s *screenSession) command(text string) {
	s.t.Helper()
	s.typ(text)
	s.keys("Enter")
}

// screen returns what the terminal shows, without trailing blanks.
func (s *screenSession) screen() string {
	s.t.Helper()
	text := s.run("capture-pane", "-p", "-t", "0")
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.TrimRight(strings.Join(lines, "\n"), "\n") + "\n"
}

// waitFor waits until the screen's last lines match the regular
// expression re, and fails after 10 seconds.
func (s *screenSession) waitFor(re string) {
	s.t.Helper()
	r := regexp.MustCompile(re)
	deadline := time.Now().Add(10 * time.Second)
	for {
		screen := s.screen()
		if r.MatchString(screen) {
			return
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("the screen never showed %q; it shows:\n%s", re, screen)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// waitForExit waits until vmdbg has exited (and the tmux session with
// it), and fails after 10 seconds.
func (s *screenSession) waitForExit() {
	s.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for exec.Command(s.tmux, "-S", s.sock, "has-session").Run() == nil {
		if time.Now().After(deadline) {
			s.t.Fatalf("vmdbg did not exit; the screen shows:\n%s", s.screen())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// promptRE matches an empty prompt on the last line (the screen's
// trailing blanks are cut).
const promptRE = `\(vmdbg\)\n$`

// TestInteractiveTerminal types a session at a real terminal: commands,
// an empty line repeating next, history with the arrow keys, Tab
// completion, Ctrl-C clearing a half-typed line; then compares the screen.
func TestInteractiveTerminal(t *testing.T) {
	s := startScreen(t, "fib.img", "5")
	s.command("break fib")
	s.waitFor(`Breakpoint 1 at 0x10078: fib \(fib.s:29\)\n` + promptRE)
	s.command("run")
	s.waitFor(`29\s+li    r8, 2\n` + promptRE)
	s.command("next")
	s.waitFor(`30\s+blt.*\n` + promptRE)
	s.keys("Enter") // repeats next
	s.waitFor(`31\s+enter 16.*\n` + promptRE)
	s.keys("Up", "Up", "Up") // back to "break fib" ...
	s.waitFor(`\(vmdbg\) break fib\n$`)
	s.keys("C-e", "BSpace", "BSpace", "BSpace") // ... edited into "break atoi"
	s.typ("atoi")
	s.waitFor(`\(vmdbg\) break atoi\n$`)
	s.keys("C-u")
	s.typ("garbage here")
	s.waitFor(`\(vmdbg\) garbage here\n$`)
	s.keys("C-c") // drops the line
	s.waitFor(promptRE)
	s.typ("disas")
	s.keys("Tab") // completes the command name
	s.waitFor(`\(vmdbg\) disassemble\n$`)
	s.keys("C-u")
	s.command("info registers r0 pc")
	s.waitFor(`pc   0x10088 .*\n` + promptRE)
	s.command("bt")
	s.waitFor(`#1  0x10020 in _start\+0x20 \(fib.s:14\)\n` + promptRE)
	golden.Check(t, filepath.Join("testdata", "terminal.golden"), s.screen())

	s.command("delete")
	s.command("continue")
	s.waitFor(`\n5\n\[program exited with status 0\]\n` + promptRE)
	s.keys("C-d") // quits
	s.waitForExit()
}

// TestInterruptAtTerminal stops a program that loops for ever with
// Ctrl-C, looks at it, and lets it go on.
func TestInterruptAtTerminal(t *testing.T) {
	s := startScreen(t, "spin.img")
	s.command("run")
	s.waitFor(`spinning\n$`)
	s.keys("C-c")
	s.waitFor(`Program interrupted.\n_start\+0x(20|28) \(spin.s:1[01]\)\n.*\n` + promptRE)
	s.command("print $r9 > 1000")
	s.waitFor(`\$r9 > 1000 = 1 \(0x1\)\n` + promptRE)
	s.command("continue")
	s.waitFor(`\(vmdbg\) continue\n$`)
	s.keys("C-c")
	s.waitFor(`Program interrupted.\n_start\+0x(20|28) \(spin.s:1[01]\)\n.*\n` + promptRE)
	s.command("quit")
	s.waitForExit()
}
