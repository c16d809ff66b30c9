package objfmt

import (
	"hash/crc32"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// Combining the CRCs of two parts gives the CRC of the whole, for parts
// of every small length (0 included) and a few large ones.
func TestCRCCombine(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	data := make([]byte, 3*checksumChunkMin+77)
	for i := range data {
		data[i] = byte(rng.Uint32())
	}
	cuts := []int{0, 1, 2, 7, 8, 9, 63, 64, 65, 1000, checksumChunkMin, len(data) - 1, len(data)}
	for _, a := range cuts {
		for _, b := range []int{0, 1, 3, 8, 100, 4096} {
			if a+b > len(data) {
				continue
			}
			whole := crc32.Checksum(data[:a+b], castagnoli)
			got := crcCombine(crc32.Checksum(data[:a], castagnoli), crc32.Checksum(data[a:a+b], castagnoli), uint64(b))
			require.Equal(t, whole, got, "cut %d+%d", a, b)
		}
	}
}

// checksumPieces is the CRC of the concatenation, however the bytes are
// cut into pieces, large ones (split into chunks) and empty ones included.
func TestChecksumPieces(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	data := make([]byte, 5*checksumChunkMin+12345)
	for i := range data {
		data[i] = byte(rng.Uint32())
	}
	want := crc32.Checksum(data, castagnoli)
	for _, cuts := range [][]int{
		nil,
		{0},
		{17, 17, 4 * checksumChunkMin},
		{checksumChunkMin, 2*checksumChunkMin + 1, len(data) - 3},
	} {
		var pieces [][]byte
		prev := 0
		for _, c := range cuts {
			pieces = append(pieces, data[prev:c])
			prev = c
		}
		pieces = append(pieces, data[prev:])
		require.Equal(t, want, checksumPieces(pieces), "cuts %v", cuts)
	}
	require.Equal(t, crc32.Checksum(nil, castagnoli), checksumPieces(nil))
}
