package objfmt

import (
	"hash/crc32"
	"runtime"
	"sync"
)

// This file computes the checksum of a large encoding on every CPU: the
// CRC-32C of each chunk is computed on its own and the results combined,
// as zlib's crc32_combine does, with polynomial arithmetic modulo the
// Castagnoli polynomial.

// checksumChunkMin is the size from which a piece is split into chunks
// summed in parallel.
const checksumChunkMin = 1 << 20

// castagnoliReversed is the Castagnoli polynomial, bit-reversed as
// hash/crc32 uses it.
const castagnoliReversed = 0x82f63b78

// multModP returns a(x)*b(x) modulo the polynomial, in the reflected
// representation (bit 31 is x^0).
func multModP(a, b uint32) uint32 {
	m := uint32(1) << 31
	p := uint32(0)
	for {
		if a&m != 0 {
			p ^= b
			if a&(m-1) == 0 {
				return p
			}
		}
		m >>= 1
		if b&1 != 0 {
			b = b>>1 ^ castagnoliReversed
		} else {
			b >>= 1
		}
	}
}

// x8nModP returns x^(8n) modulo the polynomial: appending n zero bytes
// to a message multiplies its CRC register by it.
func x8nModP(n uint64) uint32 {
	p := uint32(1) << 31        // x^0
	sq := uint32(1) << (31 - 8) // x^8, squared for each bit of n
	for ; n != 0; n >>= 1 {
		if n&1 != 0 {
			p = multModP(sq, p)
		}
		sq = multModP(sq, sq)
	}
	return p
}

// crcCombine returns the CRC-32C of A followed by B from crcA (of A),
// crcB (of B) and the length of B.
func crcCombine(crcA, crcB uint32, lenB uint64) uint32 {
	return multModP(x8nModP(lenB), crcA) ^ crcB
}

// checksumPieces returns the CRC-32C of the pieces one after the other.
// Large pieces are split into chunks summed on every CPU.
func checksumPieces(pieces [][]byte) uint32 {
	total := 0
	for _, p := range pieces {
		total += len(p)
	}
	if total < 2*checksumChunkMin {
		// Too little to gain from other CPUs: summing in place costs
		// less than starting goroutines, and every small file read
		// (checksumSkipping) comes here.
		c := uint32(0)
		for _, p := range pieces {
			c = crc32.Update(c, castagnoli, p)
		}
		return c
	}
	var chunks [][]byte
	for _, p := range pieces {
		for len(p) > 2*checksumChunkMin {
			chunks = append(chunks, p[:checksumChunkMin])
			p = p[checksumChunkMin:]
		}
		chunks = append(chunks, p)
	}
	sums := make([]uint32, len(chunks))
	var wg sync.WaitGroup
	n := min(runtime.GOMAXPROCS(0), len(chunks))
	for w := range n {
		wg.Go(func() {
			for k := w; k < len(chunks); k += n {
				sums[k] = crc32.Checksum(chunks[k], castagnoli)
			}
		})
	}
	wg.Wait()
	c := uint32(0)
	for k, s := range sums {
		c = crcCombine(c, s, uint64(len(chunks[k])))
	}
	return c
}
