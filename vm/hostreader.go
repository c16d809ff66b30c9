package vm

import (
	"bytes"
	"io"
	"os"
	"strings"
)

// EINTR is the error of a system call cut short by Host.Interrupt (the
// process then ends with an ErrInterrupted trap before it sees it).
const EINTR = 4

// maxBlockingRead bounds one read from a standard input that may block:
// it goes through a buffer of the host's (a shorter read is allowed).
const maxBlockingRead = 64 << 10

// hostReader is the host's standard input as all its processes read it:
// one read at a time, and one that blocks waiting for input (from a
// terminal or a pipe) gives up with ErrHostInterrupted when the host is
// interrupted, so that SIGINT stops a program waiting for input. Such a
// read runs in a goroutine of its own, reading into a host buffer: if it
// is given up, the goroutine ends when the read does (at the next input
// or end of file) and its data is dropped.
type hostReader struct {
	r        io.Reader
	turn     chan struct{}   // the host's: holds a token while nobody reads
	stop     <-chan struct{} // closed by Host.Interrupt
	mayBlock bool            // reads may wait for input: see readerMayBlock
}

// newHostReader wraps r for the host h; h.mu is held.
func (h *Host) newHostReader(r io.Reader) *hostReader {
	if h.inTurn == nil {
		h.inTurn = make(chan struct{}, 1)
		h.inTurn <- struct{}{}
	}
	return &hostReader{r: r, turn: h.inTurn, stop: h.stop, mayBlock: readerMayBlock(r)}
}

// readerMayBlock reports whether reading r may wait for input: anything
// but a regular file or an in-memory reader.
func readerMayBlock(r io.Reader) bool {
	switch r := r.(type) {
	case *strings.Reader, *bytes.Reader, *bytes.Buffer:
		return false
	case *os.File:
		return fileMayBlock(r)
	}
	return true
}

// fileMayBlock reports whether reading or writing f may wait for as long
// as nobody writes or reads at the other end: anything but a regular file
// (a pipe, a socket, a terminal, one stopped by Ctrl-S or a
// pseudo-terminal nobody reads).
func fileMayBlock(f *os.File) bool {
	fi, err := f.Stat()
	return err != nil || !fi.Mode().IsRegular()
}

// ioResult is what one Read or Write returned.
type ioResult struct {
	n   int
	err error
}

// Read reads from the underlying reader when no other process is, unless
// the host is interrupted first.
func (h *hostReader) Read(b []byte) (int, error) {
	select {
	case <-h.stop:
		return 0, ErrHostInterrupted
	default:
	}
	select {
	case <-h.turn:
	case <-h.stop:
		return 0, ErrHostInterrupted
	}
	if !h.mayBlock {
		defer func() { h.turn <- struct{}{} }()
		return h.r.Read(b)
	}
	buf := make([]byte, min(len(b), maxBlockingRead))
	done := make(chan ioResult, 1)
	go func() {
		n, err := h.r.Read(buf)
		done <- ioResult{n, err}
		h.turn <- struct{}{}
	}()
	select {
	case res := <-done:
		return copy(b, buf[:res.n]), res.err
	case <-h.stop:
		return 0, ErrHostInterrupted
	}
}
