package objfmt

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// dynBytes is an encoding with its dynamic sections located: for each
// kind, the disk index (idx), the section header's offset (sh) and the
// section's bytes' offset (at).
type dynBytes struct {
	b            []byte
	idx, sh, at  map[SectionKind]int
	strndx       int
	strtabSize   int
	chainAt      int // HASH: offset of chain[0]
	greetBucket  int // bucket of "greet" (symbol 1)
	nbucket      int
	sonameOffset uint32
}

func newDynBytes(t *testing.T, f *File) dynBytes {
	b := encode(f)
	d := dynBytes{b: b, idx: map[SectionKind]int{}, sh: map[SectionKind]int{}, at: map[SectionKind]int{}}
	for k, v := range dynSections(t, b) {
		d.idx[k], d.sh[k], d.at[k] = v[0], v[1], v[2]
	}
	h := getHeader(b)
	d.strndx = int(h.Strndx)
	d.strtabSize = int(getSectionHeader(b[int(h.Shoff)+d.strndx*SectionHeaderSize:]).Size)
	hash := d.at[KindHash]
	d.nbucket = int(le.Uint32(b[hash:]))
	d.chainAt = hash + 8 + 4*d.nbucket
	d.greetBucket = int(DynHash("greet") % uint32(d.nbucket))
	d.sonameOffset = le.Uint32(b[d.at[KindDynamic]:])
	return d
}

func (d dynBytes) bucketAt(k int) int { return d.at[KindHash] + 8 + 4*k }

// The shared sample's dynamic symbols: 1 greet, 2 puts (undefined),
// 3 greeting, 4 debug_hook (undefined), 5 counter, 6 _end; 4 buckets,
// greet alone in bucket 0.
func TestParseDynamicCorrupt(t *testing.T) {
	s := newDynBytes(t, sampleDynShared())
	x := newDynBytes(t, sampleDynExec())
	D, N, S, R, H := s.at[KindDynamic], s.at[KindNeeded], s.at[KindDynsym], s.at[KindDynrel], s.at[KindHash]
	sym := func(n int) int { return S + n*DynSymbolSize }
	rel := func(n int) int { return R + n*DynRelocSize }
	chain := func(n int) int { return s.chainAt + 4*n }
	// The bucket after greet's, which holds other symbols.
	other := (s.greetBucket + 1) % s.nbucket
	require.Equal(t, 4, s.nbucket)
	require.Equal(t, uint32(0), le.Uint32(s.b[chain(1):]), "greet is alone in its chain")
	require.Equal(t, uint32(1), le.Uint32(s.b[s.bucketAt(s.greetBucket):]))
	require.NotEqual(t, uint32(0), le.Uint32(s.b[s.bucketAt(other):]))

	cases := []struct {
		name string
		base dynBytes
		edit func([]byte) []byte
		want string
	}{
		{"in a relocatable file", s, put16(6, uint16(TypeRel)),
			fmt.Sprintf("objfmt: section %d: DYNAMIC section in a relocatable file (only executables and shared modules have dynamic-linking information) at offset 0x%x", s.idx[KindDynamic], s.sh[KindDynamic]+4)},
		{"second DYNAMIC", s, put32(s.sh[KindNeeded]+4, uint32(KindDynamic)),
			fmt.Sprintf("objfmt: section %d: second DYNAMIC section (the first is section %d) at offset 0x%x", s.idx[KindNeeded], s.idx[KindDynamic], s.sh[KindNeeded]+4)},
		{"DYNAMIC size", s, put64(s.sh[KindDynamic]+0x20, 56),
			fmt.Sprintf("objfmt: section %d: DYNAMIC size 0x38 is not 64 at offset 0x%x", s.idx[KindDynamic], s.sh[KindDynamic]+0x20)},
		{"NEEDED size", s, put64(s.sh[KindNeeded]+0x20, 6),
			fmt.Sprintf("objfmt: section %d: NEEDED size 0x6 is not a multiple of 4 at offset 0x%x", s.idx[KindNeeded], s.sh[KindNeeded]+0x20)},
		{"empty DYNSYM", s, put64(s.sh[KindDynsym]+0x20, 0),
			fmt.Sprintf("objfmt: section %d: DYNSYM size 0x0 is not a non-zero multiple of 24 at offset 0x%x", s.idx[KindDynsym], s.sh[KindDynsym]+0x20)},
		{"DYNREL size", s, put64(s.sh[KindDynrel]+0x20, 25),
			fmt.Sprintf("objfmt: section %d: DYNREL size 0x19 is not a multiple of 24 at offset 0x%x", s.idx[KindDynrel], s.sh[KindDynrel]+0x20)},
		{"HASH too small", s, put64(s.sh[KindHash]+0x20, 4),
			fmt.Sprintf("objfmt: section %d: HASH size 0x4 is not a multiple of 4 and at least 8 at offset 0x%x", s.idx[KindHash], s.sh[KindHash]+0x20)},
		{"info", s, put32(s.sh[KindDynsym]+0x2c, 1),
			fmt.Sprintf("objfmt: section %d: info is 1, not 0 at offset 0x%x", s.idx[KindDynsym], s.sh[KindDynsym]+0x2c)},
		{"no DYNAMIC", x, put32(x.sh[KindDynamic]+4, uint32(KindRunpath)),
			fmt.Sprintf("objfmt: section %d: RUNPATH section without a DYNAMIC section at offset 0x%x", x.idx[KindDynamic], x.sh[KindDynamic]+4)},
		{"no HASH", x, put32(x.sh[KindHash]+4, uint32(KindRunpath)),
			fmt.Sprintf("objfmt: section %d: DYNAMIC section without a HASH section at offset 0x%x", x.idx[KindDynamic], x.sh[KindDynamic]+4)},
		{"NEEDED link", s, put32(s.sh[KindNeeded]+0x28, 0),
			fmt.Sprintf("objfmt: section %d: link is 0, not the string table %d at offset 0x%x", s.idx[KindNeeded], s.strndx, s.sh[KindNeeded]+0x28)},
		{"DYNREL link", s, put32(s.sh[KindDynrel]+0x28, uint32(s.idx[KindDynamic])),
			fmt.Sprintf("objfmt: section %d: link is %d, not the DYNSYM section %d at offset 0x%x", s.idx[KindDynrel], s.idx[KindDynamic], s.idx[KindDynsym], s.sh[KindDynrel]+0x28)},
		{"DYNAMIC reserved", s, put8(D+0x3f, 1),
			fmt.Sprintf("objfmt: DYNAMIC: reserved byte is 0x1, not 0 at offset 0x%x", D+0x3f)},
		{"soname offset", s, put32(D, 0xffff),
			fmt.Sprintf("objfmt: DYNAMIC: soname: string offset 0xffff outside string table (size 0x%x) at offset 0x%x", s.strtabSize, D)},
		{"version syntax", s, put32(D+4, s.sonameOffset),
			fmt.Sprintf(`objfmt: DYNAMIC: version "libgreet.vso.1" is not MAJOR.MINOR (two decimal numbers of at most 9 digits) at offset 0x%x`, D+4)},
		{"init not code", s, put64(D+8, 0x1000),
			fmt.Sprintf("objfmt: DYNAMIC: init 0x1000 is not inside an executable section at offset 0x%x", D+8)},
		{"PLT resolver past the end", s, put64(D+0x18, 0x48),
			fmt.Sprintf("objfmt: DYNAMIC: PLT resolver 0x48 is not inside an executable section at offset 0x%x", D+0x18)},
		{"needed count", s, put32(D+0x20, 3),
			fmt.Sprintf("objfmt: DYNAMIC: needed count 3, but the NEEDED section holds 2 at offset 0x%x", D+0x20)},
		{"runpath count without section", x, put32(x.at[KindDynamic]+0x24, 1),
			fmt.Sprintf("objfmt: DYNAMIC: runpath count 1, but the RUNPATH section holds 0 at offset 0x%x", x.at[KindDynamic]+0x24)},
		{"symbol count", s, put32(D+0x28, 6),
			fmt.Sprintf("objfmt: DYNAMIC: symbol count 6, but the DYNSYM section holds 7 at offset 0x%x", D+0x28)},
		{"relocation count", s, put32(D+0x2c, 0xffffffff),
			fmt.Sprintf("objfmt: DYNAMIC: relocation count 4294967295, but the DYNREL section holds 5 at offset 0x%x", D+0x2c)},
		{"needed not a string start", s, put32(N, 3),
			fmt.Sprintf("objfmt: NEEDED 0: string offset 0x3 is not the start of a string at offset 0x%x", N)},
		{"needed empty", s, put32(N+4, 0), fmt.Sprintf("objfmt: NEEDED 1: empty name at offset 0x%x", N+4)},
		{"symbol 0", s, put8(sym(0)+8, 1), fmt.Sprintf("objfmt: DYNSYM: symbol 0 is not all zero at offset 0x%x", S)},
		{"symbol name offset", s, put32(sym(1), 0xffffff),
			fmt.Sprintf("objfmt: DYNSYM: symbol 1 name: string offset 0xffffff outside string table (size 0x%x) at offset 0x%x", s.strtabSize, sym(1))},
		{"symbol empty name", s, put32(sym(1), 0), fmt.Sprintf("objfmt: DYNSYM: symbol 1: empty name at offset 0x%x", sym(1))},
		{"symbol local", s, put8(sym(1)+4, 0),
			fmt.Sprintf(`objfmt: DYNSYM: symbol 1 ("greet"): binding 0 is not GLOBAL (1) or WEAK (2) at offset 0x%x`, sym(1)+4)},
		{"symbol section type", s, put8(sym(1)+5, 3),
			fmt.Sprintf(`objfmt: DYNSYM: symbol 1 ("greet"): type 3 is not NOTYPE (0), FUNC (1) or OBJECT (2) at offset 0x%x`, sym(1)+5)},
		{"symbol flags", s, put16(sym(1)+6, 3),
			fmt.Sprintf(`objfmt: DYNSYM: symbol 1 ("greet"): unknown flags 0x2 at offset 0x%x`, sym(1)+6)},
		{"undefined with value", s, put64(sym(2)+8, 5),
			fmt.Sprintf(`objfmt: DYNSYM: symbol 2 ("puts"): undefined symbol has value 0x5 and size 0x0, not 0 at offset 0x%x`, sym(2)+8)},
		{"defined outside", s, put64(sym(1)+8, 0x5000),
			fmt.Sprintf(`objfmt: DYNSYM: symbol 1 ("greet"): value 0x5000 is not inside a loaded section at offset 0x%x`, sym(1)+8)},
		{"duplicate name", s, func(b []byte) []byte { copy(b[sym(3):sym(3)+4], b[sym(1):]); return seal(b) },
			fmt.Sprintf(`objfmt: DYNSYM: symbol 3 ("greet"): second symbol of that name (the first is 1) at offset 0x%x`, sym(3))},
		{"relocation kind", s, put32(rel(0)+12, 9),
			fmt.Sprintf("objfmt: DYNREL: relocation 0: unknown kind 9 at offset 0x%x", rel(0)+12)},
		{"relocation kind 0", s, put32(rel(0)+12, 0),
			fmt.Sprintf("objfmt: DYNREL: relocation 0: unknown kind 0 at offset 0x%x", rel(0)+12)},
		{"RELATIVE with symbol", s, put32(rel(0)+8, 1),
			fmt.Sprintf("objfmt: DYNREL: relocation 0: RELATIVE relocation has symbol index 1, not 0 at offset 0x%x", rel(0)+8)},
		{"ABS64 without symbol", s, put32(rel(1)+8, 0),
			fmt.Sprintf("objfmt: DYNREL: relocation 1: ABS64 relocation: symbol index 0 out of range (7 symbols) at offset 0x%x", rel(1)+8)},
		{"symbol out of range", s, put32(rel(3)+8, 7),
			fmt.Sprintf("objfmt: DYNREL: relocation 3: JUMP_SLOT relocation: symbol index 7 out of range (7 symbols) at offset 0x%x", rel(3)+8)},
		{"huge symbol index", s, put32(rel(3)+8, 0xffffffff),
			fmt.Sprintf("objfmt: DYNREL: relocation 3: JUMP_SLOT relocation: symbol index 4294967295 out of range (7 symbols) at offset 0x%x", rel(3)+8)},
		{"place read-only", s, put64(rel(0), 0x1000),
			fmt.Sprintf("objfmt: DYNREL: relocation 0: RELATIVE at 0x1000: the 8 bytes patched are not inside a writable section at offset 0x%x", rel(0))},
		{"place past the end", s, put64(rel(2), 0x300c),
			fmt.Sprintf("objfmt: DYNREL: relocation 2: GLOB_DAT at 0x300c: the 8 bytes patched are not inside a writable section at offset 0x%x", rel(2))},
		{"place wraps", s, put64(rel(2), 0xfffffffffffffff9),
			fmt.Sprintf("objfmt: DYNREL: relocation 2: GLOB_DAT at 0xfffffffffffffff9: the 8 bytes patched are not inside a writable section at offset 0x%x", rel(2))},
		{"no buckets", s, put32(H, 0), fmt.Sprintf("objfmt: HASH: no buckets at offset 0x%x", H)},
		{"nchain", s, put32(H+4, 6), fmt.Sprintf("objfmt: HASH: nchain 6 is not the number of dynamic symbols 7 at offset 0x%x", H+4)},
		{"nbucket too large", s, put32(H, 5),
			fmt.Sprintf("objfmt: HASH: size 0x34 does not hold 5 buckets and 7 chain entries at offset 0x%x", s.sh[KindHash]+0x20)},
		{"huge nbucket", s, put32(H, 0xffffffff),
			fmt.Sprintf("objfmt: HASH: size 0x34 does not hold 4294967295 buckets and 7 chain entries at offset 0x%x", s.sh[KindHash]+0x20)},
		{"bucket out of range", s, put32(s.bucketAt(s.greetBucket), 9),
			fmt.Sprintf("objfmt: HASH: bucket %d: symbol index 9 out of range (7 symbols) at offset 0x%x", s.greetBucket, s.bucketAt(s.greetBucket))},
		{"chain out of range", s, put32(chain(1), 7),
			fmt.Sprintf("objfmt: HASH: chain 1: symbol index 7 out of range (7 symbols) at offset 0x%x", chain(1))},
		{"cyclic chain", s, put32(chain(1), 1),
			fmt.Sprintf(`objfmt: HASH: chain 1: symbol 1 ("greet") is reached twice (a cyclic chain, or a symbol in two chains) at offset 0x%x`, chain(1))},
		{"symbol in two chains", s, put32(s.bucketAt(other), 1),
			fmt.Sprintf(`objfmt: HASH: bucket %d: symbol 1 ("greet") is reached twice (a cyclic chain, or a symbol in two chains) at offset 0x%x`, other, s.bucketAt(other))},
		{"undefined in a chain", s, put32(chain(1), 2),
			fmt.Sprintf(`objfmt: HASH: chain 1: symbol 2 ("puts") is undefined at offset 0x%x`, chain(1))},
		{"wrong bucket", s, edits(put32(s.bucketAt(s.greetBucket), 0), put32(s.bucketAt(other), 1)),
			fmt.Sprintf(`objfmt: HASH: bucket %d: symbol 1 ("greet") hashes to bucket %d at offset 0x%x`, other, s.greetBucket, s.bucketAt(other))},
		{"defined symbol in no chain", s, put32(s.bucketAt(s.greetBucket), 0),
			fmt.Sprintf(`objfmt: HASH: defined symbol 1 ("greet") is in no chain at offset 0x%x`, chain(1))},
		{"stray chain entry", s, put32(chain(2), 3),
			fmt.Sprintf("objfmt: HASH: chain 2: entry of a symbol in no chain is 3, not 0 at offset 0x%x", chain(2))},
		{"stray null chain entry", s, put32(chain(0), 1),
			fmt.Sprintf("objfmt: HASH: chain 0: entry of a symbol in no chain is 1, not 0 at offset 0x%x", chain(0))},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b := c.edit(append([]byte(nil), c.base.b...))
			f, err := Parse(b)
			require.EqualError(t, err, c.want)
			require.Nil(t, f)
			var fe *FormatError
			require.ErrorAs(t, err, &fe)
			require.NoError(t, errors.Unwrap(err))
			// The same error without the input's size.
			_, err = NewFile(sizeless{bytesReader(b)})
			require.EqualError(t, err, c.want)
		})
	}
}

// TestParseDynamicCyclicChains closes every chain of a big table into a
// cycle and checks that the reader stops.
func TestParseDynamicCyclicChains(t *testing.T) {
	f := sampleDynShared()
	for i := range 500 {
		f.Dynamic.Symbols = append(f.Dynamic.Symbols, DynSymbol{Name: fmt.Sprintf("s%d", i), Bind: BindGlobal, Defined: true})
	}
	d := newDynBytes(t, f)
	b := d.b
	get := func(off int) int { return int(le.Uint32(b[off:])) }
	cycles := 0
	for k := range d.nbucket {
		first := get(d.bucketAt(k))
		if first == 0 {
			continue
		}
		last := first
		for get(d.chainAt+4*last) != 0 {
			last = get(d.chainAt + 4*last)
		}
		le.PutUint32(b[d.chainAt+4*last:], uint32(first))
		cycles++
	}
	require.Greater(t, cycles, 300)
	_, err := Parse(seal(b))
	require.ErrorContains(t, err, "is reached twice (a cyclic chain, or a symbol in two chains)")
}

// TestDynamicMutations flips random bytes of the dynamic sections of the
// samples: the reader must not panic, must give the same answer with and
// without the input's size, and what it accepts must round-trip, with
// Lookup finding exactly the exports. (FuzzRead does the same over whole
// files; this test reaches the dynamic sections more often.)
func TestDynamicMutations(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	accepted := 0
	for _, mk := range []func() *File{sampleDynShared, sampleDynExec, sampleDynSmall} {
		base := encode(mk())
		var spans [][2]int
		h := getHeader(base)
		for i := 0; i < int(h.Shnum); i++ {
			sh := getSectionHeader(base[int(h.Shoff)+i*SectionHeaderSize:])
			if isDynKind(SectionKind(sh.Kind)) {
				spans = append(spans, [2]int{int(sh.Offset), int(sh.Offset + sh.Size)})
			}
		}
		for range 3000 {
			b := append([]byte(nil), base...)
			for range 1 + rng.IntN(3) {
				sp := spans[rng.IntN(len(spans))]
				at := sp[0] + rng.IntN(sp[1]-sp[0])
				switch rng.IntN(3) {
				case 0:
					b[at] = byte(rng.IntN(256))
				case 1:
					b[at] ^= 1 << rng.IntN(8)
				default:
					b[at] = byte(rng.IntN(8))
				}
			}
			seal(b) // reach the dynamic sections' checks
			f, err := Parse(b)
			_, errs := NewFile(sizeless{bytesReader(b)})
			if err != nil {
				require.EqualError(t, errs, err.Error())
				continue
			}
			require.NoError(t, errs)
			accepted++
			for i, s := range f.Dynamic.Symbols {
				got, ok := f.Dynamic.Lookup(s.Name)
				require.Equal(t, s.Defined, ok)
				if ok {
					require.Equal(t, i, got)
				}
			}
			g, err := Parse(encode(f))
			require.NoError(t, err)
			require.Equal(t, f, g)
		}
	}
	require.Greater(t, accepted, 100)
}
