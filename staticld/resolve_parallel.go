package staticld

import (
	"cmp"
	"math/bits"
	"runtime"
	"slices"

	"linkvm/objfmt"
)

// This file enters the symbols of the modules that come before any archive
// or shared module on the command line (usually all of them) on every CPU
// at once: the symbol table is the largest serial part of a big link.

// parallelResolveMin is the number of symbols in the leading modules from
// which resolve enters them in parallel; tests lower it.
var parallelResolveMin = 1 << 14

// localShard marks a local symbol in enterModules' shard maps.
const localShard = 0xff

// leadingModules returns how many items, from the first, are modules that
// resolve may enter with enterModules: 0 when symbols are traced (their
// trace lines must come in input order) or the modules are too small to
// gain from it.
func leadingModules(l *linker) int {
	if len(l.cfg.TraceSymbols) > 0 {
		return 0
	}
	n, syms := 0, 0
	for _, it := range l.items {
		if it.obj == nil {
			break
		}
		n++
		syms += len(it.obj.file.Symbols)
	}
	if syms < parallelResolveMin {
		return 0
	}
	return n
}

// resolveShards returns the number of name shards for a link whose lead
// leading modules are entered in parallel: one per CPU, a power of two (at
// most 128 so that a shard number fits a byte), or 1 if there is nothing
// to spread.
func resolveShards(lead int) int {
	p := runtime.GOMAXPROCS(0)
	if lead == 0 || p < 2 {
		return 1
	}
	return min(1<<bits.Len(uint(p-1)), 128)
}

// shardSymbols returns the number of global and weak definitions of o
// and the shard of each of its symbols (localShard for a local one, which
// it also marks noSym in o.gids), for enterModules.
func (t *nameTable) shardSymbols(o *object) (defs int, shards []uint8) {
	shards = make([]uint8, len(o.file.Symbols))
	for i := range o.file.Symbols {
		s := &o.file.Symbols[i]
		if s.Bind == objfmt.BindLocal {
			shards[i] = localShard
			o.gids[i] = noSym
			continue
		}
		if isDefined(s) {
			defs++
		}
		shards[i] = uint8(t.shardOf(s.Name))
	}
	return defs, shards
}

// symPos is the position of a symbol in link order: its object's index,
// then its index in the object. It orders the first uses of names.
type symPos uint64

func posOf(obj int32, sym int) symPos { return symPos(uint64(obj)<<32 | uint64(uint32(sym))) }

// shardState is what one shard's goroutine builds in enterModules: the
// entries of its names by local index, the duplicate definitions of those
// that have any, and the names found with duplicate definitions in order.
type shardState struct {
	syms    []shardSym
	dupRefs map[int32][]symRef
	dups    []shardDup
}

// shardSym is the part of a name's globalSym that modules alone set (its
// modRes), and where the name was first used; it is kept small because
// enterModules touches one per symbol at random.
type shardSym struct {
	name  string
	first symPos
	modRes
}

// shardDup is a name of a shard (by local index) that has a second global
// definition, first found at pos.
type shardDup struct {
	pos   symPos
	local int32
}

// enterModules enters the global and weak symbols of objs, the first
// objects loaded, into the symbol table exactly as calling addSymbols on
// each in turn would; shardOf holds their symbols' shards (see
// shardSymbols). Before any archive or shared module, no name can be lazy
// or shared and no member is extracted, so each name's entry depends only
// on the symbols of that name, in order: each shard's goroutine goes
// through every module in order and enters the names of its shard. The
// shards' entries are then merged in order of first use, which gives every
// name the symID that one pass in order would give it, and the duplicate
// definitions are listed in the order one pass would find them.
func enterModules(l *linker, objs []*object, shardOf [][]uint8) {
	t := &l.names
	if len(l.syms) > 0 {
		panic("staticld: enterModules on a non-empty symbol table")
	}

	states := make([]shardState, len(t.shards))
	parallelN(len(t.shards), 1, func(sh int) {
		st := &states[sh]
		names := &t.shards[sh]
		// Sized like the shard's map, for the definitions (see resolvePass).
		st.syms = make([]shardSym, 0, l.names.capacity)
		for k, o := range objs {
			m := shardOf[k]
			for i := range o.file.Symbols {
				if m[i] != uint8(sh) {
					continue
				}
				s := &o.file.Symbols[i]
				at, ok := names.find(s.Name)
				if !ok {
					at = int32(len(st.syms))
					names.add(s.Name, at)
					st.syms = append(st.syms, shardSym{name: s.Name, first: posOf(o.idx, i), modRes: noModRes})
				}
				o.gids[i] = symID(at)
				g := &st.syms[at]
				if !isDefined(s) {
					g.reference(s.Bind, o.idx)
					continue
				}
				ref := symRef{obj: o.idx, sym: int32(i)}
				if g.define(ref, s.Bind) {
					if st.dupRefs == nil {
						st.dupRefs = make(map[int32][]symRef)
					}
					if _, ok := st.dupRefs[at]; !ok {
						st.dups = append(st.dups, shardDup{pos: posOf(o.idx, i), local: at})
					}
					st.dupRefs[at] = append(st.dupRefs[at], ref)
				}
			}
		}
	})

	// Merge the shards in order of first use (each shard's entries are in
	// that order already). The table is empty before: no symbol is traced.
	heads := make([]int, len(states))
	for {
		best := -1
		for sh := range states {
			if heads[sh] < len(states[sh].syms) && (best < 0 || states[sh].syms[heads[sh]].first < states[best].syms[heads[best]].first) {
				best = sh
			}
		}
		if best < 0 {
			break
		}
		e := &states[best].syms[heads[best]]
		g := newGlobalSym(e.name)
		g.modRes = e.modRes
		g.dups = states[best].dupRefs[int32(heads[best])]
		t.shards[best].ids = append(t.shards[best].ids, symID(len(l.syms)))
		l.syms = append(l.syms, g)
		heads[best]++
	}

	parallelN(len(objs), 64, func(k int) {
		o, m := objs[k], shardOf[k]
		for i, sh := range m {
			if sh != localShard {
				o.gids[i] = t.shards[sh].ids[o.gids[i]]
			}
		}
	})

	type foundDup struct {
		pos symPos
		id  symID
	}
	var dups []foundDup
	for sh := range states {
		for _, d := range states[sh].dups {
			dups = append(dups, foundDup{pos: d.pos, id: t.shards[sh].ids[d.local]})
		}
	}
	slices.SortFunc(dups, func(a, b foundDup) int { return cmp.Compare(a.pos, b.pos) })
	for _, d := range dups {
		l.dups = append(l.dups, d.id)
	}
}
