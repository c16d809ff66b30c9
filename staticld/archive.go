package staticld

import (
	"fmt"

	"linkvm/objfmt"
)

// This file holds the linker's view of static libraries (archives): lazy
// symbols, the queue of members to load and the records that explain each
// extraction (--why-extract, -Map, --warn-backrefs). The resolution rules
// that use them are in pass_resolve.go.

// archive is one archive input.
type archive struct {
	// name is Input.Name.
	name string
	a    *objfmt.Archive
	// pos is the archive's command-line position (see object.pos).
	pos int32
	// state is, per member, memberIdle, memberQueued, memberFailed or the
	// index in linker.objs of the loaded member.
	state []int32
}

// Member states other than an object index (archive.state).
const (
	memberIdle   = -1 // not extracted
	memberQueued = -2 // extracted, waiting in linker.queue
	memberFailed = -3 // extracted, but it could not be read
)

// newArchive returns the archive input a, named name, at position pos.
func newArchive(name string, a *objfmt.Archive, pos int32) *archive {
	state := make([]int32, len(a.Members))
	for i := range state {
		state[i] = memberIdle
	}
	return &archive{name: name, a: a, pos: pos, state: state}
}

// memberRef names one member of one archive input.
type memberRef struct {
	ar  int32 // index in linker.ars
	mem int32 // index in the archive's Members
}

// noMember is a memberRef that names nothing.
var noMember = memberRef{ar: -1, mem: -1}

// References that extract a member without being an object (extraction.ref).
const (
	refUndefined = -2 // a -u (Config.Undefined) name
	refEntry     = -3 // the entry symbol
)

// extraction records why a member was extracted.
type extraction struct {
	// ref is the object whose undefined reference extracted the member, or
	// refUndefined or refEntry.
	ref int32
	// member is the extracted member.
	member memberRef
	// sym is the symbol the reference named.
	sym symID
}

// backref is a --warn-backrefs candidate: a member of an archive extracted
// by a reference from an input after the archive on the command line.
type backref struct {
	sym    symID
	ref    int32 // the referencing object
	member memberRef
	// dismissed is set when a later archive also defines sym: GNU ld would
	// have found that definition (the "-ldef1 -lref -ldef2" sandwich).
	dismissed bool
}

// memberName names member m in diagnostics: "libx.va(foo.vo)".
func (l *linker) memberName(m memberRef) string {
	a := l.ars[m.ar]
	if mem := a.a.Members[m.mem]; mem != nil {
		return a.name + "(" + mem.Name + ")"
	}
	return fmt.Sprintf("%s(member %d)", a.name, m.mem)
}

// refName names the reference of an extraction: a file, "--undefined" or
// "--entry", as lld's --why-extract does.
func (l *linker) refName(ref int32) string {
	switch ref {
	case refUndefined:
		return "--undefined"
	case refEntry:
		return "--entry"
	}
	return l.objs[ref].name
}

// extract queues the member that lazily defines symbol id, on behalf of
// ref (see extraction.ref), unless it was extracted before.
func (l *linker) extract(id symID, ref int32) {
	m := l.syms[id].lazy
	a := l.ars[m.ar]
	if a.state[m.mem] != memberIdle {
		return
	}
	a.state[m.mem] = memberQueued
	l.queue = append(l.queue, m)
	l.extractions = append(l.extractions, extraction{ref: ref, member: m, sym: id})
	if l.cfg.WarnBackrefs && ref >= 0 && l.objs[ref].pos > a.pos {
		if l.backrefByID == nil {
			l.backrefByID = make(map[symID]int)
		}
		if _, ok := l.backrefByID[id]; !ok {
			l.backrefByID[id] = len(l.backrefs)
			l.backrefs = append(l.backrefs, backref{sym: id, ref: ref, member: m})
		}
	}
}

// drain loads the queued members, and the members their references
// extract in turn, until the queue is empty (a fixpoint).
func (l *linker) drain() {
	for l.head < len(l.queue) {
		m := l.queue[l.head]
		l.head++
		l.loadMember(m)
	}
	l.queue, l.head = l.queue[:0], 0
}

// loadMember parses and checks member m and adds it to the link. A member
// that cannot be read is an error naming it, "libx.va(bad.vo): ...".
func (l *linker) loadMember(m memberRef) {
	a := l.ars[m.ar]
	a.state[m.mem] = memberFailed
	mem := a.a.Members[m.mem]
	name := l.memberName(m)
	if mem == nil {
		l.errorf("%s: missing archive member", name)
		return
	}
	f, err := mem.File()
	if err != nil {
		l.errorf("%s: %v", name, err)
		return
	}
	n := len(l.diags)
	checkInput(l, name, f)
	if len(l.diags) > n {
		return
	}
	oi := l.addObject(newObject(name, f, a.pos, m.ar, m.mem))
	a.state[m.mem] = oi
	l.addSymbols(oi)
}

// addArchive enters the symbol index of archive ai into the symbol table:
// each name not yet defined or lazy becomes lazy, and a name some loaded
// module already references is extracted at once.
func (l *linker) addArchive(ai int32) {
	a := l.ars[ai]
	for i, s := range a.a.Symbols {
		switch {
		case s.Name == "":
			l.errorf("%s: archive symbol %d: empty name", a.name, i)
			continue
		case s.Member < 0 || s.Member >= len(a.a.Members):
			l.errorf("%s: archive symbol %d (%q): member %d out of range (%d members)", a.name, i, s.Name, s.Member, len(a.a.Members))
			continue
		}
		id := l.intern(s.Name)
		g := &l.syms[id]
		if g.traced {
			l.trace(a.name, "lazy definition of", s.Name)
		}
		switch {
		case g.def != noRef, g.shared != noShared:
			if bi, ok := l.backrefByID[id]; ok {
				l.backrefs[bi].dismissed = true
			}
		case g.lazy != noMember:
			// The first archive (and member) on the command line wins.
		default:
			g.lazy = memberRef{ar: ai, mem: int32(s.Member)}
			if g.strongRef {
				l.extract(id, g.firstRef)
			}
		}
	}
}

// require treats name as referenced from the command line (ref is
// refUndefined or refEntry): a lazy definition is extracted.
func (l *linker) require(name string, ref int32) {
	if id, ok := l.names.get(name); ok {
		if g := &l.syms[id]; g.def == noRef && g.lazy != noMember {
			l.extract(id, ref)
		}
	}
}

// warnBackrefs logs the --warn-backrefs warnings, in order found: one per
// symbol whose global definition a member extracted by a backward
// reference provides. Weak definitions are not reported (a later file may
// override them), nor references that a later archive could also satisfy.
func (l *linker) warnBackrefs() {
	for _, b := range l.backrefs {
		g := &l.syms[b.sym]
		obj := l.ars[b.member.ar].state[b.member.mem]
		if b.dismissed || obj < 0 || g.def.obj != obj || g.defBind != objfmt.BindGlobal {
			continue
		}
		l.log(SevWarning, fmt.Sprintf("backward reference detected: %s in %s refers to %s",
			g.name, l.objs[b.ref].name, l.memberName(b.member)))
	}
}
