package vm

import (
	"bytes"
	"errors"
	"io"
	"os"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// signalWriter collects what is written to it and closes first at the
// first write: the test knows the program is running.
type signalWriter struct {
	mu    sync.Mutex
	buf   bytes.Buffer
	first chan struct{}
}

func newSignalWriter() *signalWriter { return &signalWriter{first: make(chan struct{})} }

func (w *signalWriter) Write(b []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.buf.Len() == 0 {
		close(w.first)
	}
	return w.buf.Write(b)
}

func (w *signalWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

// interruptRun starts path as the host's first process with stdout and
// stdin, interrupts the host once the process has written something,
// and returns what Wait returned. It fails the test if the process does
// not end within 10 seconds of the interrupt.
func interruptRun(t *testing.T, h *Host, path string, cfg Config, out *signalWriter) (int, error) {
	t.Helper()
	cfg.Stdout = out
	pid, err := h.Spawn(path, []string{path}, cfg)
	require.NoError(t, err)
	select {
	case <-out.first:
	case <-time.After(10 * time.Second):
		t.Fatal("the program wrote nothing")
	}
	h.Interrupt()
	type waited struct {
		status int
		err    error
	}
	done := make(chan waited, 1)
	go func() {
		st, err := h.Wait(pid)
		h.WaitAll()
		done <- waited{st, err}
	}()
	select {
	case w := <-done:
		return w.status, w.err
	case <-time.After(10 * time.Second):
		t.Fatal("the interrupted host did not end")
	}
	return 0, nil
}

// interruptedAt asserts that err is an ErrInterrupted trap with the
// report want.
func interruptedAt(t *testing.T, err error, want string) {
	t.Helper()
	var trap *Trap
	require.True(t, errors.As(err, &trap), "not a trap: %v", err)
	assert.ErrorIs(t, err, ErrInterrupted)
	assert.Equal(t, want, trap.Report())
}

func TestInterruptLoopFlushesOutput(t *testing.T) {
	// Writes "a", flushes (the test's cue), writes "b" (buffered) and
	// spins: the interrupt ends it, and "b" is flushed.
	spin := `
_start:	li r0, 1
	la r1, msg
	li r2, 2
	sys 1
	li r0, 1
	sys 15
	li r0, 1
	la r1, msg2
	li r2, 2
	sys 1
1:	jmp 1b
	.rodata
msg:	.ascii "a\n"
msg2:	.ascii "b\n"
`
	h := testHost(t, map[string]string{"spin": spin})
	out := newSignalWriter()
	_, err := interruptRun(t, h, "spin", Config{}, out)
	interruptedAt(t, err, `trap: interrupted
  at _start+0x50 (t.s:12)
backtrace:
  #0 0x10050 _start+0x50 (t.s:12)
`)
	assert.Equal(t, "a\nb\n", out.String())
}

func TestInterruptBlockedCalls(t *testing.T) {
	// Each program writes "ready" (flushed by the call that then blocks)
	// and blocks in a system call that only the interrupt ends.
	const ready = `
_start:	li r0, 1
	la r1, ready
	li r2, 6
	sys 1
`
	const readyData = "\t.rodata\nready:\t.ascii \"ready\\n\"\n"
	spin := "\n_start:\n1:\tjmp 1b\n"
	for _, tc := range []struct {
		name, src, report string
		stderr            string
	}{
		{"wait for a child", `
_start:	la r0, spin
	li r1, 0
	li r2, 0
	sys 19
	mov r16, r0
	li r0, 1
	la r1, ready
	li r2, 6
	sys 1
	mov r0, r16
	sys 20
	halt
` + readyData + "spin:\t.asciz \"spin\"\n", `trap: interrupted
  at _start+0x58 (t.s:13)
backtrace:
  #0 0x10058 _start+0x58 (t.s:13)
`, `vmrun: trap: interrupted
  at _start+0x0 (t.s:3)
backtrace:
  #0 0x10000 _start+0x0 (t.s:3)
`},
		{"read standard input", ready + `	li r0, 0
	la r1, buf
	li r2, 8
	sys 2
	halt
` + readyData + "\t.bss\nbuf:\t.zero 8\n", `trap: interrupted
  at _start+0x40 (t.s:10)
backtrace:
  #0 0x10040 _start+0x40 (t.s:10)
`, ""},
		{"read a pipe nobody writes to", ready + `	li r0, 1
	sys 15
	la r0, fds
	sys 22
	la r8, fds
	ld64 r0, [r8]
	la r1, buf
	li r2, 8
	sys 2
	halt
` + readyData + "\t.bss\nfds:\t.zero 16\nbuf:\t.zero 8\n", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// Standard input is a pipe that stays open and empty.
			r, w, err := os.Pipe()
			require.NoError(t, err)
			defer r.Close()
			defer w.Close()
			var errb bytes.Buffer
			h := testHost(t, map[string]string{"prog": tc.src, "spin": spin})
			out := newSignalWriter()
			_, err = interruptRun(t, h, "prog", Config{Stdin: r, Stderr: &errb}, out)
			if tc.report == "" {
				// The cue (the flush) comes just before the read: the
				// interrupt may come before the read blocks, or after
				// (TestInterruptUnblocksPipes has the second case alone).
				assert.ErrorIs(t, err, ErrInterrupted)
			} else {
				interruptedAt(t, err, tc.report)
			}
			assert.Equal(t, "ready\n", out.String())
			assert.Equal(t, tc.stderr, errb.String())
			h.mu.Lock()
			assert.Empty(t, h.refs, "the pipe ends are closed")
			h.mu.Unlock()
		})
	}
}

func TestSpawnAfterInterrupt(t *testing.T) {
	h := testHost(t, map[string]string{"seven": sevenProg})
	h.Interrupt()
	h.Interrupt() // more than once is harmless
	_, err := h.Spawn("seven", []string{"seven"}, Config{})
	assert.EqualError(t, err, "vm: seven: the host has been interrupted")
	assert.ErrorIs(t, err, ErrHostInterrupted)
	h.WaitAll()

	// A Host made without NewHost can be interrupted too.
	var zero Host
	zero.Interrupt()
	_, err = zero.Spawn("x", nil, Config{})
	assert.EqualError(t, err, "vm: the host has no loader")
}

func TestInterruptedReadGoroutineEnds(t *testing.T) {
	// A read given up by the interrupt leaves its goroutine blocked in
	// the host's read until input comes; then it ends.
	r, w, err := os.Pipe()
	require.NoError(t, err)
	defer r.Close()
	before := runtime.NumGoroutine()
	h := testHost(t, map[string]string{"cat": catProg})
	pid, err := h.Spawn("cat", []string{"cat"}, Config{Stdin: r})
	require.NoError(t, err)
	time.Sleep(20 * time.Millisecond) // let it block in read (or not yet: either way)
	h.Interrupt()
	_, err = h.Wait(pid)
	assert.ErrorIs(t, err, ErrInterrupted)
	h.WaitAll()
	require.NoError(t, w.Close()) // end of file: the read returns
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	assert.LessOrEqual(t, runtime.NumGoroutine(), before)
}

func TestInterruptUnblocksPipes(t *testing.T) {
	// A read of a pipe the host tracks, blocked for want of a writer,
	// returns when the host is interrupted, as EINTR.
	h := NewHost(nil)
	r, w, err := os.Pipe()
	require.NoError(t, err)
	h.track(r)
	h.track(w)
	done := make(chan error, 1)
	go func() {
		_, err := r.Read(make([]byte, 8))
		done <- err
	}()
	time.Sleep(20 * time.Millisecond) // blocked by now, almost surely
	h.Interrupt()
	select {
	case err := <-done:
		assert.Equal(t, int64(EINTR), ioErrno(err))
	case <-time.After(10 * time.Second):
		t.Fatal("the read did not return")
	}
	// Writes are cut short too (the pipe is not full here: the deadline
	// alone refuses them).
	_, err = w.Write([]byte("x"))
	assert.Equal(t, int64(EINTR), ioErrno(err))
	require.NoError(t, h.release(r))
	require.NoError(t, h.release(w))
}

func TestInterruptUnblocksAWriteToAFullPipe(t *testing.T) {
	// The host's standard output is a pipe nobody reads: the program's
	// writes fill it and block. The interrupt still ends the program,
	// and the output after that fails at once instead of blocking again.
	flood := `
_start:
1:	li r0, 1
	la r1, line
	li r2, 2
	sys 1
	jmp 1b
	.rodata
line:	.ascii "y\n"
`
	h := testHost(t, map[string]string{"flood": flood})
	r, w, err := os.Pipe()
	require.NoError(t, err)
	defer r.Close()
	defer w.Close()
	pid, err := h.Spawn("flood", []string{"flood"}, Config{Stdout: w})
	require.NoError(t, err)
	time.Sleep(300 * time.Millisecond) // the pipe fills in far less
	h.Interrupt()
	done := make(chan error, 1)
	go func() {
		_, err := h.Wait(pid)
		done <- err
	}()
	select {
	case err := <-done:
		assert.ErrorIs(t, err, ErrInterrupted)
	case <-time.After(10 * time.Second):
		t.Fatal("the process blocked writing to the full pipe did not end")
	}
	// The pipe was full: the process was blocked writing when
	// interrupted (the capacity of a pipe is 64 KiB on Linux, 16 KiB at
	// least elsewhere).
	require.NoError(t, r.SetReadDeadline(time.Now().Add(100*time.Millisecond)))
	n, _ := io.Copy(io.Discard, r)
	assert.GreaterOrEqual(t, n, int64(16<<10))
}
