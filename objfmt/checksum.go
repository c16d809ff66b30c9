package objfmt

import (
	"errors"
	"fmt"
	"hash/crc32"
	"io"
)

// This file holds the checksum both containers carry: a CRC-32C
// (Castagnoli) of the whole file, computed with the 4 bytes of the
// checksum field itself read as zero, and stored in that field. Writers
// (Encode) fill it in last; readers (NewFile, NewArchive, Mapping.Parse)
// check it right after the magic and version, so that a damaged file is
// reported as damaged rather than by whatever structural check the damage
// happens to trip.

// castagnoli is the CRC-32C table: the polynomial with hardware support
// on amd64 and arm64, and better error detection than IEEE's.
var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// Offsets of the checksum field in the object header and in the archive
// header.
const (
	objChecksumAt  = offHdrChecksum
	archChecksumAt = offArChecksum
)

// ErrChecksum means the bytes of an object file, of an archive or of an
// archive member do not match the checksum recorded for them: the file
// is damaged.
var ErrChecksum = errors.New("objfmt: checksum mismatch")

// checksumAt returns the offset of the checksum field of the object file
// or archive b, which must be at least a header long.
func checksumAt(b []byte) (int, error) {
	switch {
	case len(b) >= HeaderSize && string(b[:len(Magic)]) == Magic:
		return objChecksumAt, nil
	case len(b) >= archHeaderSize && string(b[:len(ArchiveMagic)]) == ArchiveMagic:
		return archChecksumAt, nil
	}
	return 0, errors.New("objfmt: not an object file or archive (bad magic or shorter than a header)")
}

// Checksum returns the checksum of the object file or archive b, as a
// writer stores it: the CRC-32C of b with the checksum field read as zero.
// The field's current contents do not matter.
func Checksum(b []byte) (uint32, error) {
	at, err := checksumAt(b)
	if err != nil {
		return 0, err
	}
	return checksumSkipping(b, at), nil
}

// SetChecksum stores Checksum(b) in b's checksum field: a tool that edits
// an encoded file in place (or a test that damages one on purpose, to
// reach a check behind the checksum) calls it last.
func SetChecksum(b []byte) error {
	at, err := checksumAt(b)
	if err != nil {
		return err
	}
	le.PutUint32(b[at:], checksumSkipping(b, at))
	return nil
}

// checksumSkipping is the CRC-32C of b with b[at:at+4] read as zero:
// the sum of the pieces around the field, with zeros in its place, so
// that the rule lives in one place with the writer's (checksumPieces).
func checksumSkipping(b []byte, at int) uint32 {
	var zero [4]byte
	return checksumPieces([][]byte{b[:at], zero[:], b[at+4:]})
}

// checksumChunk is how much of an input of unknown size is read at a time
// to checksum it.
const checksumChunk = 64 << 10

// verifyChecksum checks the checksum of the whole input of sr, whose
// header (already read, with the stored value) has the checksum field at
// at. An input held in memory is summed in place; any other is read
// through once in bounded chunks up to its end (its size need not be
// known), so the memory used does not depend on what the header claims.
func (sr *safeReader) verifyChecksum(stored uint32, at int) error {
	var got uint32
	if sr.buf != nil {
		got = checksumSkipping(sr.buf, at)
	} else {
		var err error
		if got, err = sr.streamChecksum(at); err != nil {
			return err
		}
	}
	if got != stored {
		return &FormatError{Off: int64(at), Msg: fmt.Sprintf("checksum mismatch: stored 0x%08x, computed 0x%08x", stored, got), err: ErrChecksum}
	}
	return nil
}

// streamChecksum reads sr's input from offset 0 to its end and returns
// its checksum with the 4 bytes at at read as zero. It zeroes the field in
// the chunk read rather than calling checksumSkipping, which needs the
// whole input in memory.
func (sr *safeReader) streamChecksum(at int) (uint32, error) {
	buf := make([]byte, checksumChunk)
	var c uint32
	for off := int64(0); ; {
		if sr.size >= 0 && off >= sr.size {
			return c, nil
		}
		n, err := sr.r.ReadAt(buf, off)
		n = max(0, min(n, len(buf)))
		chunk := buf[:n]
		// Zero the checksum field where this chunk holds it.
		for k := range 4 {
			if p := int64(at+k) - off; p >= 0 && p < int64(n) {
				chunk[p] = 0
			}
		}
		c = crc32.Update(c, castagnoli, chunk)
		off += int64(n)
		if n < len(buf) {
			if err == nil || err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF) {
				return c, nil
			}
			return 0, fmt.Errorf("objfmt: reading at offset 0x%x: %w", off, err)
		}
	}
}
