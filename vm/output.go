package vm

import (
	"bufio"
	"errors"
	"io"
)

// outputBufferSize is the size of each of the stdout and stderr buffers.
const outputBufferSize = 32 << 10

// output buffers the program's stdout (fd 1) and stderr (fd 2) in the host.
// Both are flushed when the program exits or traps and before it reads
// stdin; a write to one stream first flushes the other, so that output
// sent to a shared terminal keeps the program's order.
type output struct {
	out, err *bufio.Writer
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
}

// write appends b to fd 1 or 2 (any other fd means 2).
func (o *output) write(fd int64, b []byte) (int, error) {
	w, other := o.err, o.out
	if fd == 1 {
		w, other = o.out, o.err
	}
	if other.Buffered() > 0 {
		if err := other.Flush(); err != nil {
			return 0, err
		}
	}
	return w.Write(b)
}

// flush writes out both buffers, stdout first.
func (o *output) flush() error {
	return errors.Join(o.out.Flush(), o.err.Flush())
}
