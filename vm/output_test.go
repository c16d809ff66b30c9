package vm

import (
	"io"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestTerminalLineBuffered: a stream that goes to a terminal is flushed at
// each newline; one that goes to a file or pipe only when the buffer fills,
// the streams switch, or the program ends.
func TestTerminalLineBuffered(t *testing.T) {
	var log []string
	term := logWriter{"out", &log}
	saved := isTerminal
	t.Cleanup(func() { isTerminal = saved })
	isTerminal = func(w io.Writer) bool { return w == term }

	src := "\n_start:\n" + writeSrc(1, "a") + writeSrc(1, "b\nc") + writeSrc(1, "de") + writeSrc(1, "fgh\n") + "\tli r0, 0\n\tsys 0\n"
	res := runSrc(t, src, Config{Stdout: term, Stderr: logWriter{"err", &log}})
	require.NoError(t, res.err)
	assert.Equal(t, []string{"out:ab\nc", "out:defgh\n"}, log, "flushed at each write that ends a line")

	log = nil
	pipe := logWriter{"pipe", &log}
	res = runSrc(t, src, Config{Stdout: pipe})
	require.NoError(t, res.err)
	assert.Equal(t, []string{"pipe:ab\ncdefgh\n"}, log, "one write at exit")
}

func TestIsTerminal(t *testing.T) {
	f, err := os.CreateTemp(t.TempDir(), "out")
	require.NoError(t, err)
	defer f.Close()
	assert.False(t, isTerminal(f), "a regular file")
	assert.False(t, isTerminal(io.Discard))
	if tty, err := os.OpenFile("/dev/tty", os.O_WRONLY, 0); err == nil {
		defer tty.Close()
		assert.True(t, isTerminal(tty))
	}
}
