package staticld

import (
	"hash/maphash"

	"linkvm/objfmt"
)

// symID indexes linker.syms.
type symID int32

// noSym is the symID of a local symbol, which has no global entry.
const noSym symID = -1

// globalSym is the resolution of one global or weak symbol name.
type globalSym struct {
	// name is the interned name, shared with the input that first used it.
	name string
	// modRes is what the modules' own symbols decide about the name.
	modRes
	// lazy is the archive member that can define the name, when def is
	// noRef and some archive's index lists the name (lazy.ar >= 0).
	lazy memberRef
	// shared is the shared module's export that defines the name, when def
	// is noRef and a shared module came before any archive listing it; or
	// noShared.
	shared sharedRef
	// traced is set for the names of Config.TraceSymbols.
	traced bool
	// sharedRef is set if a shared module input imports the name: an
	// executable exports its definition.
	sharedRef bool
	// dups are the global definitions after the first (duplicate-symbol
	// errors); nil in a correct link.
	dups []symRef
}

// modRes is the part of a name's resolution that modules' symbols alone
// decide. Both addSymbols and the parallel enterModules apply these rules
// through its methods, so that they are written once and cannot drift
// apart.
type modRes struct {
	// def is the chosen definition, or noRef if the name is undefined or
	// lazy.
	def symRef
	// firstRef is the first object that listed the name as an undefined
	// global symbol (the reference that extracts a lazy definition), or -1.
	firstRef int32
	// defBind is the binding of def: BindGlobal or BindWeak.
	defBind objfmt.SymBind
	// strongRef is set if some module lists the name as an undefined
	// global (not weak) symbol: then staying undefined is an error.
	strongRef bool
}

// noModRes is the modRes of a name no module has defined or referenced.
var noModRes = modRes{def: noRef, firstRef: -1}

// reference records an undefined symbol of binding bind in object obj. It
// reports whether the reference is strong (global), as only a strong one
// extracts a lazy definition.
func (r *modRes) reference(bind objfmt.SymBind, obj int32) (strong bool) {
	if bind != objfmt.BindGlobal {
		return false
	}
	if !r.strongRef {
		r.strongRef, r.firstRef = true, obj
	}
	return true
}

// define records the definition ref, of binding bind: the first global
// definition wins over any weak one, and among weak ones the first wins.
// It reports a second global definition, which the caller lists as a
// duplicate.
func (r *modRes) define(ref symRef, bind objfmt.SymBind) (dup bool) {
	switch {
	case r.def == noRef, r.defBind == objfmt.BindWeak && bind == objfmt.BindGlobal:
		r.def, r.defBind = ref, bind
	case r.defBind == objfmt.BindGlobal && bind == objfmt.BindGlobal:
		return true
	}
	return false
}

// nameTable maps each global or weak name to its symID. It is split into
// shards by a hash of the name so that resolve can enter the names of the
// leading modules on all CPUs at once, one shard per goroutine
// (resolve_parallel.go). Which shard holds a name changes nothing else:
// symIDs are given in order of first use either way.
type nameTable struct {
	seed   maphash.Seed
	shards []nameShard
	// capacity is the number of names a shard was made for.
	capacity int
}

// nameShard holds the names whose hash selects it.
type nameShard struct {
	// local maps a name to its index in ids.
	local map[string]int32
	// ids are the symIDs of the shard's names, by local index.
	ids []symID
}

// find returns the local index of name, if the shard holds it.
func (sh *nameShard) find(name string) (int32, bool) {
	at, ok := sh.local[name]
	return at, ok
}

// add records name, which the shard does not hold, at local index at.
func (sh *nameShard) add(name string, at int32) { sh.local[name] = at }

// newNameTable returns an empty table of nshards shards (a power of two).
func newNameTable(nshards int) nameTable {
	t := nameTable{seed: maphash.MakeSeed(), shards: make([]nameShard, nshards)}
	t.reserve(0)
	return t
}

// reserve makes the empty shards ready for about n names in all.
func (t *nameTable) reserve(n int) {
	t.capacity = n/len(t.shards) + n/16 + 1
	for i := range t.shards {
		t.shards[i].local = make(map[string]int32, t.capacity)
	}
}

// shardOf returns the index of the shard that holds name.
func (t *nameTable) shardOf(name string) int {
	if len(t.shards) == 1 {
		return 0
	}
	return int(maphash.String(t.seed, name) & uint64(len(t.shards)-1))
}

// get returns the symID of name, if it has one.
func (t *nameTable) get(name string) (symID, bool) {
	sh := &t.shards[t.shardOf(name)]
	if at, ok := sh.find(name); ok {
		return sh.ids[at], true
	}
	return noSym, false
}

// intern returns the symID of name, creating an undefined entry on first
// use. The map key and the entry share name's bytes: no copy is made.
func (l *linker) intern(name string) symID {
	sh := &l.names.shards[l.names.shardOf(name)]
	if at, ok := sh.find(name); ok {
		return sh.ids[at]
	}
	id := symID(len(l.syms))
	sh.add(name, int32(len(sh.ids)))
	sh.ids = append(sh.ids, id)
	l.syms = append(l.syms, newGlobalSym(name))
	return id
}

// newGlobalSym returns the entry of a name not yet defined or referenced.
func newGlobalSym(name string) globalSym {
	return globalSym{name: name, modRes: noModRes, lazy: noMember, shared: noShared}
}

// lookup returns the global symbol called name, or nil.
func (l *linker) lookup(name string) *globalSym {
	if id, ok := l.names.get(name); ok {
		return &l.syms[id]
	}
	return nil
}
