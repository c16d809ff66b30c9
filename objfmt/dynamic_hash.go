package objfmt

import (
	"runtime"
	"sync"
	"weak"
)

// This file holds the hash table of the defined dynamic symbols (the HASH
// section) and Dynamic.Lookup, which uses it.

// DynHash is the hash function of the HASH section, GNU's (Bernstein's
// djb2, as in ELF's DT_GNU_HASH): starting from h = 5381, for each byte c
// of name, h = h*33 + c, modulo 2^32.
func DynHash(name string) uint32 {
	h := uint32(5381)
	for i := 0; i < len(name); i++ {
		h = h*33 + uint32(name[i])
	}
	return h
}

// dynHashTable is a HASH section in memory, laid out as on disk (SysV ELF
// style): symbols are numbered as in DYNSYM, where symbol i of
// Dynamic.Symbols is number i+1 and 0 means none. buckets[DynHash(name) %
// len(buckets)] is the first symbol of the chain that holds name, and
// chains[n] is the symbol after n in its chain.
type dynHashTable struct {
	buckets []uint32
	chains  []uint32 // len(Symbols)+1 entries
	// first and n identify the Symbols slice the table describes (its
	// first element, nil if empty, and its length), so that a table built
	// for an older slice is not used.
	first *DynSymbol
	n     int
}

// numBuckets is the number of buckets the writer uses for ndefined
// defined symbols: one per symbol (at least one), so that chains hold one
// symbol on average.
func numBuckets(ndefined int) int { return max(ndefined, 1) }

// buildHash builds the canonical table of syms: numBuckets buckets, each
// chain in increasing symbol order, undefined symbols in no chain.
func buildHash(syms []DynSymbol) *dynHashTable {
	ndef := 0
	for i := range syms {
		if syms[i].Defined {
			ndef++
		}
	}
	t := &dynHashTable{
		buckets: make([]uint32, numBuckets(ndef)),
		chains:  make([]uint32, len(syms)+1),
	}
	t.identify(syms)
	nb := uint32(len(t.buckets))
	for i := len(syms); i >= 1; i-- {
		if s := &syms[i-1]; s.Defined {
			b := DynHash(s.Name) % nb
			t.chains[i] = t.buckets[b]
			t.buckets[b] = uint32(i)
		}
	}
	return t
}

func (t *dynHashTable) identify(syms []DynSymbol) {
	t.first, t.n = nil, len(syms)
	if len(syms) > 0 {
		t.first = &syms[0]
	}
}

func (t *dynHashTable) describes(syms []DynSymbol) bool {
	if len(syms) != t.n {
		return false
	}
	return len(syms) == 0 || &syms[0] == t.first
}

// lookup finds the defined symbol name in syms, which t describes. The walk
// is bounded by the number of symbols, so even a damaged table cannot make
// it loop.
func (t *dynHashTable) lookup(syms []DynSymbol, name string) (int, bool) {
	if len(t.buckets) == 0 {
		return -1, false
	}
	n := t.buckets[DynHash(name)%uint32(len(t.buckets))]
	for steps := 0; n != 0 && steps <= len(syms); steps++ {
		if int(n) > len(syms) || int(n) >= len(t.chains) {
			break
		}
		if s := &syms[n-1]; s.Defined && s.Name == name {
			return int(n - 1), true
		}
		n = t.chains[n]
	}
	return -1, false
}

// hashTables holds the hash table of each Dynamic that has one: read from
// the file for a Dynamic the reader made, built on the first Lookup
// otherwise. It is kept outside Dynamic so that Dynamic stays a plain value
// (two Dynamics with the same fields compare equal however they were
// made). Entries go away with their Dynamic.
var hashTables = struct {
	sync.Mutex
	m map[weak.Pointer[Dynamic]]*dynHashTable
}{m: map[weak.Pointer[Dynamic]]*dynHashTable{}}

// setHashTable records t as d's table.
func setHashTable(d *Dynamic, t *dynHashTable) {
	wp := weak.Make(d)
	hashTables.Lock()
	defer hashTables.Unlock()
	if _, ok := hashTables.m[wp]; !ok {
		runtime.AddCleanup(d, func(wp weak.Pointer[Dynamic]) {
			hashTables.Lock()
			delete(hashTables.m, wp)
			hashTables.Unlock()
		}, wp)
	}
	hashTables.m[wp] = t
}

// hashTable returns d's table, building it if d has none or if d.Symbols
// is no longer the slice it was made for.
func (d *Dynamic) hashTable() *dynHashTable {
	hashTables.Lock()
	t := hashTables.m[weak.Make(d)]
	hashTables.Unlock()
	if t != nil && t.describes(d.Symbols) {
		return t
	}
	t = buildHash(d.Symbols)
	setHashTable(d, t)
	return t
}

// Lookup returns the index in d.Symbols of the defined (exported) dynamic
// symbol name, and whether there is one. It takes constant time on
// average: a Dynamic read from a file uses the file's hash table, one made
// in memory gets a table on its first Lookup. The table is made again when
// d.Symbols is replaced by another slice or changes length; after
// changing elements of d.Symbols in place (renaming a symbol, defining an
// import), assign d.Symbols a copy to make Lookup see the change.
// Lookup may be called from several goroutines at once.
func (d *Dynamic) Lookup(name string) (int, bool) {
	if d == nil {
		return -1, false
	}
	return d.hashTable().lookup(d.Symbols, name)
}
