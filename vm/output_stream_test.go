package vm

import (
	"bufio"
	"bytes"
	"errors"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestStreamBufLikeBufio: streamBuf writes the same bytes in the same
// chunks as a bufio.Writer of outputBufferSize, and grows its buffer only
// as far as the program's output needs.
func TestStreamBufLikeBufio(t *testing.T) {
	var got, want chunkLog
	s := &streamBuf{w: &got}
	bw := bufio.NewWriterSize(&want, outputBufferSize)
	assert.Zero(t, cap(s.buf), "no buffer before the first write")
	n, err := s.Write([]byte("hello\n"))
	require.NoError(t, err)
	assert.Equal(t, 6, n)
	assert.Equal(t, initialOutputBuffer, cap(s.buf))
	bw.Write([]byte("hello\n"))
	rng := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		b := bytes.Repeat([]byte{byte('a' + rng.IntN(26))}, rng.IntN(3*outputBufferSize/2))
		if rng.IntN(4) > 0 {
			b = b[:len(b)%200]
		}
		n, err := s.Write(b)
		require.NoError(t, err)
		require.Equal(t, len(b), n)
		bw.Write(b)
		require.Equal(t, bw.Buffered(), s.Buffered())
		require.LessOrEqual(t, cap(s.buf), outputBufferSize)
		if rng.IntN(50) == 0 {
			require.NoError(t, s.Flush())
			require.NoError(t, bw.Flush())
		}
	}
	require.NoError(t, s.Flush())
	require.NoError(t, bw.Flush())
	assert.Equal(t, want.chunks, got.chunks)
}

// TestStreamBufErrorSticks: after a failed write every Write and Flush
// returns the error.
func TestStreamBufErrorSticks(t *testing.T) {
	s := &streamBuf{w: failWriter{}}
	n, err := s.Write([]byte("hi"))
	require.NoError(t, err)
	assert.Equal(t, 2, n)
	assert.EqualError(t, s.Flush(), "disk on fire")
	n, err = s.Write([]byte("more"))
	assert.Equal(t, 0, n)
	assert.EqualError(t, err, "disk on fire")
	assert.Equal(t, 2, s.Buffered(), "the unwritten bytes stay buffered")
}

// chunkLog records each write it receives.
type chunkLog struct{ chunks []string }

// Write records b.
func (c *chunkLog) Write(b []byte) (int, error) {
	if len(b) == 0 {
		return 0, errors.New("empty write")
	}
	c.chunks = append(c.chunks, string(b))
	return len(b), nil
}
