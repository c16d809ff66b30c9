package vm

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"os"
)

// outputBufferSize is the size of each of the stdout and stderr buffers.
const outputBufferSize = 32 << 10

// output buffers the program's stdout (fd 1) and stderr (fd 2) in the host.
// Both are flushed when the program exits or traps and before it reads
// stdin; a write to one stream first flushes the other, so that output
// sent to a shared terminal keeps the program's order. A stream that goes
// to a terminal is line-buffered, as C's stdout is: a person watching sees
// each line when it is written.
type output struct {
	out, err *bufio.Writer
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
	o.out = bufio.NewWriterSize(stdout, outputBufferSize)
	o.err = bufio.NewWriterSize(stderr, outputBufferSize)
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
