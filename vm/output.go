package vm

import (
	"bytes"
	"errors"
	"io"
	"os"
)

// outputBufferSize is the most each of the stdout and stderr buffers
// holds before it is written out.
const outputBufferSize = 32 << 10

// initialOutputBuffer is the capacity a stream's buffer starts with on
// its first write; it doubles up to outputBufferSize as the program writes
// more, so that a process that prints little costs little host memory.
const initialOutputBuffer = 512

// output buffers the program's stdout (fd 1) and stderr (fd 2) in the host.
// Both are flushed when the program exits or traps and before it reads
// stdin; a write to one stream first flushes the other, so that output
// sent to a shared terminal keeps the program's order. A stream that goes
// to a terminal is line-buffered, as C's stdout is: a person watching sees
// each line when it is written.
type output struct {
	out, err *streamBuf
	// outLines and errLines are set when the stream goes to a terminal.
	outLines, errLines bool
}

// isTerminal reports whether w is a terminal (a character device); tests
// replace it.
var isTerminal = func(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// init sets up the buffers over the host's writers; nil discards.
func (o *output) init(stdout, stderr io.Writer) {
	if stdout == nil {
		stdout = io.Discard
	}
	if stderr == nil {
		stderr = io.Discard
	}
	o.out = &streamBuf{w: stdout}
	o.err = &streamBuf{w: stderr}
	o.outLines, o.errLines = isTerminal(stdout), isTerminal(stderr)
}

// write appends b to fd 1 or 2 (any other fd means 2).
func (o *output) write(fd int64, b []byte) (int, error) {
	w, other, lines := o.err, o.out, o.errLines
	if fd == 1 {
		w, other, lines = o.out, o.err, o.outLines
	}
	if other.Buffered() > 0 {
		if err := other.Flush(); err != nil {
			return 0, err
		}
	}
	n, err := w.Write(b)
	if err == nil && lines && bytes.IndexByte(b, '\n') >= 0 {
		err = w.Flush()
	}
	return n, err
}

// flush writes out both buffers, stdout first.
func (o *output) flush() error {
	return errors.Join(o.out.Flush(), o.err.Flush())
}

// streamBuf buffers writes to w as a bufio.Writer of size outputBufferSize
// does (a write larger than the buffer goes straight through when the
// buffer is empty; the first error sticks), but allocates its buffer on
// the first write and grows it only as needed.
type streamBuf struct {
	w   io.Writer
	buf []byte
	err error
}

// Buffered returns the number of bytes waiting to be written.
func (s *streamBuf) Buffered() int { return len(s.buf) }

// Write buffers p, writing the buffer out each time it fills.
func (s *streamBuf) Write(p []byte) (int, error) {
	n := 0
	for len(p) > outputBufferSize-len(s.buf) && s.err == nil {
		var m int
		if len(s.buf) == 0 {
			m, s.err = s.w.Write(p) // large write, empty buffer: write directly
		} else {
			m = outputBufferSize - len(s.buf)
			s.append(p[:m])
			s.Flush()
		}
		n += m
		p = p[m:]
	}
	if s.err != nil {
		return n, s.err
	}
	s.append(p)
	return n + len(p), nil
}

// append adds p, which fits, to the buffer, growing it if need be.
func (s *streamBuf) append(p []byte) {
	if need := len(s.buf) + len(p); need > cap(s.buf) {
		c := max(2*cap(s.buf), need, initialOutputBuffer)
		c = min(c, outputBufferSize)
		nb := make([]byte, len(s.buf), c)
		copy(nb, s.buf)
		s.buf = nb
	}
	s.buf = append(s.buf, p...)
}

// Flush writes the buffered bytes out. After an error every Write and
// Flush returns it, and the unwritten bytes stay buffered.
func (s *streamBuf) Flush() error {
	if s.err != nil {
		return s.err
	}
	if len(s.buf) == 0 {
		return nil
	}
	m, err := s.w.Write(s.buf)
	if m < len(s.buf) && err == nil {
		err = io.ErrShortWrite
	}
	if err != nil {
		if m > 0 && m < len(s.buf) {
			s.buf = s.buf[:copy(s.buf, s.buf[m:])]
		}
		s.err = err
		return err
	}
	s.buf = s.buf[:0]
	return nil
}
