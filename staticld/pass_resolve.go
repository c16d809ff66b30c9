package staticld

import (
	"fmt"

	"linkvm/objfmt"
)

// resolvePass builds the global symbol table from the inputs in
// command-line order, extracting archive members as needed, with the
// order-independent lazy-symbol rules of ld.lld and mold (docs/linking.md):
//
//   - Local symbols never enter it. For a global or weak name, the first
//     global definition wins over any weak one; among weak definitions the
//     first wins; a second global definition is a duplicate, reported with
//     every definition.
//   - An archive's index makes each name it lists lazy, unless the name is
//     already defined or lazy (the first archive wins).
//   - A name that a module lists as an undefined global (not weak) symbol
//     is marked strongRef; if it is lazy, whenever the archive came, the
//     member defining it is extracted and loaded like a module, and its own
//     references may extract more members. A weak reference extracts
//     nothing.
//   - A shared module's exported symbols are shared definitions: a name
//     not yet defined or lazy gets one (the first module wins); a
//     definition in a module beats it, and an archive does not make it
//     lazy (shared.go).
//   - Then the Config.Undefined names and the entry symbol extract their
//     lazy definitions too.
//
// Members are loaded right after the input being processed when they were
// extracted (breadth first), so objs is in a deterministic order.
func resolvePass(l *linker) {
	lead := leadingModules(l)
	l.names = newNameTable(resolveShards(lead))
	if len(l.names.shards) == 1 {
		lead = 0
	}
	// Size the table for the definitions: in a link that succeeds, every
	// referenced name is defined somewhere, and references outnumber
	// definitions many times over. Modules are counted on every CPU; the
	// leading modules' symbols get their shards at the same time.
	counts := make([]int, len(l.items))
	shards := make([][]uint8, lead)
	parallelN(len(l.items), 64, func(k int) {
		it := l.items[k]
		switch {
		case it.sh >= 0:
			counts[k] = len(l.shlibs[it.sh].file.Dynamic.Symbols)
		case it.obj == nil:
			counts[k] = len(l.ars[it.ar].a.Symbols)
		case k < lead:
			counts[k], shards[k] = l.names.shardSymbols(it.obj)
		default:
			for i := range it.obj.file.Symbols {
				if s := &it.obj.file.Symbols[i]; s.Bind != objfmt.BindLocal && isDefined(s) {
					counts[k]++
				}
			}
		}
	})
	n := len(l.cfg.TraceSymbols)
	for _, c := range counts {
		n += c
	}
	l.names.reserve(n)
	l.syms = make([]globalSym, 0, n)
	l.objs = make([]*object, 0, len(l.items))
	for _, name := range l.cfg.TraceSymbols {
		l.syms[l.intern(name)].traced = true
	}

	if lead > 0 {
		for _, it := range l.items[:lead] {
			l.addObject(it.obj)
		}
		enterModules(l, l.objs, shards)
	}
	for _, it := range l.items[lead:] {
		switch {
		case it.obj != nil:
			l.addSymbols(l.addObject(it.obj))
		case it.sh >= 0:
			l.addShared(it.sh)
		default:
			l.addArchive(it.ar)
		}
		l.drain()
	}
	for _, name := range l.cfg.Undefined {
		l.require(name, refUndefined)
		l.drain()
	}
	l.require(l.cfg.Entry, refEntry)
	l.drain()

	l.warnBackrefs()
	for _, id := range l.dups {
		g := &l.syms[id]
		d := Diag{Msg: "duplicate symbol: " + g.name}
		for _, r := range append([]symRef{g.def}, g.dups...) {
			d.Notes = append(d.Notes, "defined in "+l.defSite(r))
		}
		l.report(d)
	}
}

// addObject appends o to objs and returns its index.
func (l *linker) addObject(o *object) int32 {
	o.idx = int32(len(l.objs))
	l.objs = append(l.objs, o)
	return o.idx
}

// addSymbols enters the global and weak symbols of object oi into the
// symbol table, in file order.
func (l *linker) addSymbols(oi int32) {
	o := l.objs[oi]
	for i := range o.file.Symbols {
		s := &o.file.Symbols[i]
		if s.Bind == objfmt.BindLocal {
			o.gids[i] = noSym
			continue
		}
		id := l.intern(s.Name)
		o.gids[i] = id
		g := &l.syms[id]
		if !isDefined(s) {
			if g.traced {
				l.trace(o.name, "reference to", s.Name)
			}
			if g.reference(s.Bind, oi) && g.def == noRef && g.lazy != noMember {
				l.extract(id, oi)
			}
			continue
		}
		if g.traced {
			l.trace(o.name, "definition of", s.Name)
		}
		ref := symRef{obj: oi, sym: int32(i)}
		if g.define(ref, s.Bind) {
			if g.dups == nil {
				l.dups = append(l.dups, id)
			}
			g.dups = append(g.dups, ref)
		}
	}
}

// trace writes one --trace-symbol line, "file: what name".
func (l *linker) trace(file, what, name string) {
	if l.cfg.Trace != nil {
		fmt.Fprintf(l.cfg.Trace, "%s: %s %s\n", file, what, name)
	}
}
