package objfmt

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"sync"
)

// readChunk bounds the memory committed before the bytes are known to
// exist: a request larger than this is read piece by piece, so that a lying
// header costs at most readChunk bytes more than the input's real size (the
// technique of Go's internal/saferio).
const readChunk = 4 << 20

// safeReader reads ranges given by hostile offsets and sizes.
type safeReader struct {
	r    io.ReaderAt
	size int64 // the input's size, or -1 if r does not say
	// buf, if not nil, is the whole input (r reads it and size is its
	// length): view returns slices of it instead of copies.
	buf []byte
	// own says that buf belongs to the reader, so that a File or an
	// Archive may keep slices of it (Open and OpenArchive read the file
	// into a buffer of their own; Parse's buffer belongs to the caller).
	own bool
}

// newBufReader returns a safeReader of the input b, held in memory; own
// says whether the File being read may keep slices of b.
func newBufReader(b []byte, own bool) *safeReader {
	return &safeReader{r: bytes.NewReader(b), size: int64(len(b)), buf: b, own: own}
}

func newSafeReader(r io.ReaderAt) *safeReader {
	sr := &safeReader{r: r, size: -1}
	if s, ok := r.(interface{ Size() int64 }); ok && s.Size() >= 0 {
		sr.size = s.Size()
	}
	return sr
}

// checkOverflow checks that off+n does not overflow. what names the data
// for error messages and at is the file offset blamed for a bad range (the
// field holding off).
func checkOverflow(off, n uint64, what string, at int64) error {
	if off+n < off {
		return &FormatError{Off: at, Msg: fmt.Sprintf("%s: offset 0x%x + size 0x%x overflows", what, off, n)}
	}
	return nil
}

// checkRange checks that the n bytes at off can exist: off+n does not
// overflow and, if the input's size is known, lies inside it. Whether the
// size is known does not change which error a read reports, only how much
// work is done before it.
func (sr *safeReader) checkRange(off, n uint64, what string, at int64) error {
	if err := checkOverflow(off, n, what, at); err != nil {
		return err
	}
	if off+n > math.MaxInt64 || (sr.size >= 0 && off+n > uint64(sr.size)) {
		return sr.past(off, n, what, at)
	}
	return nil
}

func (sr *safeReader) past(off, n uint64, what string, at int64) error {
	return &FormatError{Off: at, Msg: fmt.Sprintf("%s (offset 0x%x, size 0x%x) extends past end of file", what, off, n), err: ErrTruncated}
}

// read returns the n bytes at off, checked as by checkRange.
func (sr *safeReader) read(off, n uint64, what string, at int64) ([]byte, error) {
	if err := sr.checkRange(off, n, what, at); err != nil {
		return nil, err
	}
	past := func() error { return sr.past(off, n, what, at) }
	if sr.buf != nil { // the range is inside buf
		if n == 0 {
			return []byte{}, nil
		}
		buf := make([]byte, n)
		copy(buf, sr.buf[off:])
		return buf, nil
	}
	if n == 0 {
		// An empty range must still start inside the input (or at its
		// end): when the size is unknown, probe the byte before it.
		if sr.size < 0 && off > 0 {
			var b [1]byte
			if err := sr.readFull(b[:], int64(off-1)); err != nil {
				if errors.Is(err, io.ErrUnexpectedEOF) {
					return nil, past()
				}
				return nil, err
			}
		}
		return []byte{}, nil
	}
	if n < readChunk {
		buf := make([]byte, n)
		if err := sr.readFull(buf, int64(off)); err != nil {
			if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
				return nil, past()
			}
			return nil, err
		}
		return buf, nil
	}
	var buf []byte
	for done := uint64(0); done < n; {
		c := min(n-done, readChunk)
		buf = append(buf, make([]byte, c)...)
		if err := sr.readFull(buf[done:done+c], int64(off+done)); err != nil {
			if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
				return nil, past()
			}
			return nil, err
		}
		done += c
	}
	return buf, nil
}

// readInMemory parses r with parse: from memory when slurp can read it
// whole (an input of known size starting with magic), else piece by piece.
// A pooled buffer is reused for the next input, so what parse returns
// must not keep slices of it: the buffer reader says so (own false).
func readInMemory[T any](r io.ReaderAt, magic string, hdrSize int64, parse func(*safeReader) (T, error)) (T, error) {
	sr := newSafeReader(r)
	if buf, pooled := sr.slurp(magic, hdrSize); buf != nil {
		v, err := parse(newBufReader(buf, !pooled))
		if pooled {
			putScratch(buf)
		}
		return v, err
	}
	return parse(sr)
}

// slurp returns the whole input if its size is known, it is at least
// hdrSize bytes long and it starts with magic (Magic or ArchiveMagic), or
// nil (also if reading fails: then the parser, reading piece by piece,
// reports the problem). An input smaller than readChunk is read into a
// scratch buffer (pooled is true) that the caller must give back with
// putScratch once nothing refers to it, so that reading many small
// modules does not touch fresh memory for each; a larger one is read as
// read does, in bounded chunks, so a Size that lies costs no more than it
// does there. A large input of the wrong kind costs one small read.
func (sr *safeReader) slurp(magic string, hdrSize int64) (buf []byte, pooled bool) {
	if sr.size < hdrSize {
		return nil, false
	}
	var arr [max(len(Magic), len(ArchiveMagic))]byte
	got := arr[:len(magic)]
	if sr.readFull(got, 0) != nil || string(got) != magic {
		return nil, false
	}
	if sr.size < readChunk {
		p := scratch.Get().(*[]byte)
		if int64(cap(*p)) < sr.size {
			*p = make([]byte, sr.size)
		}
		buf = (*p)[:sr.size]
		if sr.readFull(buf, 0) != nil {
			putScratch(buf)
			return nil, false
		}
		return buf, true
	}
	buf, err := sr.read(0, uint64(sr.size), "input", 0)
	if err != nil {
		return nil, false
	}
	return buf, false
}

// scratch holds buffers for slurp, as *[]byte.
var scratch = sync.Pool{New: func() any { return new([]byte) }}

// putScratch gives a buffer from slurp back.
func putScratch(b []byte) {
	b = b[:0]
	scratch.Put(&b)
}

// view is read for data the caller only decodes and drops: for an input
// held in memory it returns a slice of it (capacity n) instead of a copy.
// Nothing the parser returns may keep such a slice: NewFile and
// NewArchive reuse the buffer of a small input for the next one (see
// slurp).
func (sr *safeReader) view(off, n uint64, what string, at int64) ([]byte, error) {
	if sr.buf == nil {
		return sr.read(off, n, what, at)
	}
	if err := sr.checkRange(off, n, what, at); err != nil {
		return nil, err
	}
	return sr.buf[off : off+n : off+n], nil
}

// keep is read for data the File keeps (section bytes): a slice of the
// input if the reader owns it, a copy otherwise.
func (sr *safeReader) keep(off, n uint64, what string, at int64) ([]byte, error) {
	if !sr.own {
		return sr.read(off, n, what, at)
	}
	return sr.view(off, n, what, at)
}

// readFull fills p from offset off; a short read is an io.ErrUnexpectedEOF.
func (sr *safeReader) readFull(p []byte, off int64) error {
	if len(p) == 0 {
		return nil
	}
	n, err := sr.r.ReadAt(p, off)
	if n == len(p) {
		return nil
	}
	if err == nil || err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return fmt.Errorf("objfmt: reading at offset 0x%x: %w", off, err)
}
