package objfmt

import (
	"bytes"
	"errors"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// checksumKinds are one encoded file of each kind that carries a checksum,
// with the offset of its checksum field.
func checksumKinds(t *testing.T) []struct {
	name string
	b    []byte
	at   int
} {
	return []struct {
		name string
		b    []byte
		at   int
	}{
		{"prog.vo", encode(sampleRel()), 0x24},
		{"prog.img", encode(sampleExec()), 0x24},
		{"libx.vso", encode(sampleDynShared()), 0x24},
		{"prog.dyn.img", encode(sampleDynExec()), 0x24},
		{"libx.va", encodeArchive(t, sampleArchive(t)), 0x30},
	}
}

// parseAny reads an object file or an archive, as its magic says.
func parseAny(b []byte) error {
	if IsArchive(b) {
		_, err := ParseArchive(b)
		return err
	}
	_, err := Parse(b)
	return err
}

// The stored checksum is the CRC-32C of the file with the field zeroed,
// as docs/objfmt.md says a tool computes it.
func TestChecksumIsCRC32COfTheFile(t *testing.T) {
	for _, k := range checksumKinds(t) {
		t.Run(k.name, func(t *testing.T) {
			zeroed := bytes.Clone(k.b)
			copy(zeroed[k.at:k.at+4], make([]byte, 4))
			want := crc32.Checksum(zeroed, crc32.MakeTable(crc32.Castagnoli))
			require.Equal(t, want, le.Uint32(k.b[k.at:]), "stored")
			got, err := Checksum(k.b)
			require.NoError(t, err)
			require.Equal(t, want, got)
			// The field's contents do not enter the sum.
			got, err = Checksum(zeroed)
			require.NoError(t, err)
			require.Equal(t, want, got)
			// SetChecksum stores it.
			require.NoError(t, SetChecksum(zeroed))
			require.Equal(t, k.b, zeroed)
		})
	}
}

// Flipping any bit of any byte is an error, never a File or Archive: a
// checksum mismatch, or what the magic, version or a truncation check
// (which come first) say about the damage.
func TestChecksumCatchesEveryFlippedByte(t *testing.T) {
	for _, k := range checksumKinds(t) {
		t.Run(k.name, func(t *testing.T) {
			seen := map[error]int{}
			b := bytes.Clone(k.b)
			for i := range b {
				bit := byte(1) << (i % 8) // every bit position, over the file
				b[i] ^= bit
				err := parseAny(b)
				b[i] ^= bit
				require.Error(t, err, "byte 0x%x ^ 0x%x accepted", i, bit)
				var fe *FormatError
				require.ErrorAs(t, err, &fe, "byte 0x%x", i)
				switch {
				case i < 4:
					require.ErrorIs(t, err, ErrNotObject, "byte 0x%x", i)
					seen[ErrNotObject]++
				case i < 6:
					require.ErrorIs(t, err, ErrVersion, "byte 0x%x", i)
					seen[ErrVersion]++
				case errors.Is(err, ErrTruncated):
					// A length or offset now pointing past the end.
					seen[ErrTruncated]++
				default:
					require.ErrorIs(t, err, ErrChecksum, "byte 0x%x: %v", i, err)
					seen[ErrChecksum]++
				}
			}
			require.Greater(t, seen[ErrChecksum], 9*len(b)/10, "almost every flip is a checksum mismatch: %v", seen)
		})
	}
}

// The whole message, for a byte of content, with and without the input's
// size, and on the memory-mapped path the loader uses.
func TestChecksumMismatchMessage(t *testing.T) {
	for _, k := range checksumKinds(t) {
		t.Run(k.name, func(t *testing.T) {
			b := bytes.Clone(k.b)
			last := len(b) - 1 // the last byte of the section header table or of a member
			b[last] ^= 0x40
			computed, err := Checksum(b)
			require.NoError(t, err)
			want := fmt.Sprintf("objfmt: checksum mismatch: stored 0x%08x, computed 0x%08x at offset 0x%x",
				le.Uint32(k.b[k.at:]), computed, k.at)
			require.EqualError(t, parseAny(b), want)
			require.ErrorIs(t, parseAny(b), ErrChecksum)

			dir := t.TempDir()
			name := filepath.Join(dir, k.name)
			require.NoError(t, os.WriteFile(name, b, 0o644))
			if IsArchive(b) {
				_, err = NewArchive(sizeless{bytesReader(b)})
				require.EqualError(t, err, want)
				_, err = OpenArchive(name)
				require.EqualError(t, err, want)
				return
			}
			_, err = NewFile(sizeless{bytesReader(b)})
			require.EqualError(t, err, want)
			_, err = Open(name)
			require.EqualError(t, err, want)
			_, err = OpenMapped(name)
			require.EqualError(t, err, want)
			_, err = ReadRaw(bytesReader(b))
			require.EqualError(t, err, want)
		})
	}
}

// A truncated file fails its checksum too, but is reported as truncated:
// that says more.
func TestTruncationBeatsChecksum(t *testing.T) {
	b := encode(sampleExec())
	_, err := Parse(b[:len(b)-8])
	require.ErrorIs(t, err, ErrTruncated)
	require.NotErrorIs(t, err, ErrChecksum)
	require.Regexp(t, `^objfmt: section header table \(offset 0x[0-9a-f]+, size 0x[0-9a-f]+\) extends past end of file at offset 0x10$`, err.Error())

	a := encodeArchive(t, sampleArchive(t))
	_, err = ParseArchive(a[:len(a)-16])
	require.ErrorIs(t, err, ErrTruncated)
	require.Regexp(t, `^objfmt: member 2 \(offset 0x[0-9a-f]+, size 0x[0-9a-f]+\) extends past end of file at offset 0x78$`, err.Error())
}

// Files of the previous version, which had no checksum, are refused by
// their version.
func TestVersion1Refused(t *testing.T) {
	b := encode(tiny())
	put32(0x24, 0)(b) // as version 1 wrote it
	le.PutUint16(b[4:], 1)
	_, err := Parse(b)
	require.EqualError(t, err, "objfmt: unsupported version 1 at offset 0x4")
	require.ErrorIs(t, err, ErrVersion)
}

func TestChecksumErrors(t *testing.T) {
	for _, b := range [][]byte{nil, []byte("\x7fLVM"), []byte("\x7fELF" + string(make([]byte, 60)))} {
		_, err := Checksum(b)
		require.EqualError(t, err, "objfmt: not an object file or archive (bad magic or shorter than a header)")
		require.EqualError(t, SetChecksum(b), "objfmt: not an object file or archive (bad magic or shorter than a header)")
	}
}

// BenchmarkChecksum measures the checksum over a 1 MiB image, which every
// load and link pays once per file.
func BenchmarkChecksum(b *testing.B) {
	f := sampleExec()
	f.Sections[0].Data = make([]byte, 1<<20)
	f.Sections[0].Size = 1 << 20
	data := encode(f)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := Checksum(data); err != nil {
			b.Fatal(err)
		}
	}
}
