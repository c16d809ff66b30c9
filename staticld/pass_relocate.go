package staticld

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/bits"
	"runtime"
	"sync"

	"linkvm/objfmt"
	"linkvm/vm/isa"
)

// relocatePass applies every relocation of every loaded section to the
// merged bytes, with the formulas of objfmt.RelocKind: S is the address of
// the symbol (0 for an undefined weak symbol or one defined in another
// module, the value of an absolute one, the section's address for a section
// symbol), A the addend and P the address of the place; G is the address
// of the symbol's GOT slot and L of its PLT stub, or S when the symbol has
// no stub (a call bound at link time). A call or jump (INSN_PC) to a symbol
// with a PLT stub goes through the stub. In an output with
// dynamic-linking information, an ABS64 in writable data whose value
// depends on a load address becomes a dynamic relocation (dynAbs64). A
// value that does not fit its field is an error naming the site.
//
// A static link without dynamic-linking information is done by
// relocateFast, on every core; the rest, and any link in which some
// relocation fails, by relocateSlow, which reports the problems in order.
func relocatePass(l *linker) {
	if l.dyn.dynamic || l.dyn.pltIdx != nil || !l.relocateFast() {
		l.relocateSlow()
	}
}

// relocJob is one input section to relocate.
type relocJob struct {
	o    *object
	sec  int
	data []byte // the section's bytes in the output
}

// minRelocsPerWorker is the least work worth a goroutine.
const minRelocsPerWorker = 10000

// relocateFast applies every relocation of a static link without PLT
// stubs, spread over the CPUs, and reports whether all of them
// succeeded. It records no diagnostic: if any relocation fails or has a
// GOT or PLT kind, it returns false and relocateSlow redoes the work (the
// bytes written are the same). The address of each global symbol is
// computed once, not once per relocation.
func (l *linker) relocateFast() bool {
	gaddr := make([]uint64, len(l.syms))
	gok := make([]bool, len(l.syms))
	for id := range l.syms {
		if g := &l.syms[id]; g.def == noRef {
			gok[id] = true
		} else {
			gaddr[id], gok[id] = l.objs[g.def.obj].symValue(int(g.def.sym))
		}
	}
	var jobs []relocJob
	total := 0
	for _, out := range l.outs {
		for _, p := range out.inputs {
			in := p.obj.file.Sections[p.sec]
			if len(in.Relocs) == 0 {
				continue
			}
			jobs = append(jobs, relocJob{o: p.obj, sec: p.sec, data: out.sec.Data[p.off : p.off+in.Size]})
			total += len(in.Relocs)
		}
	}
	nw := min(runtime.GOMAXPROCS(0), max(1, total/minRelocsPerWorker))
	ok := make([]bool, nw)
	var wg sync.WaitGroup
	start := 0
	for w := range nw {
		// Runs of about total/nw relocations each; the last takes the rest.
		end, n := start, 0
		for end < len(jobs) && (w == nw-1 || n < total/nw) {
			n += len(jobs[end].o.file.Sections[jobs[end].sec].Relocs)
			end++
		}
		part := jobs[start:end]
		start = end
		wg.Go(func() { ok[w] = relocateJobs(part, gaddr, gok) })
	}
	wg.Wait()
	for _, k := range ok {
		if !k {
			return false
		}
	}
	return true
}

// relocateJobs applies the relocations of jobs, given the address of every
// global symbol, and reports whether all of them succeeded.
func relocateJobs(jobs []relocJob, gaddr []uint64, gok []bool) bool {
	for _, j := range jobs {
		o := j.o
		in := o.file.Sections[j.sec]
		base := o.secAddr[j.sec]
		for ri := range in.Relocs {
			r := &in.Relocs[ri]
			if r.Kind == objfmt.RelNone {
				continue
			}
			var s uint64
			ok := true
			if id := o.gids[r.Sym]; id != noSym {
				s, ok = gaddr[id], gok[id]
			} else {
				s, ok = o.symValue(r.Sym)
			}
			if !ok {
				return false
			}
			v := i128From(s).addInt(r.Addend)
			switch r.Kind {
			case objfmt.RelPC32, objfmt.RelInsnPC:
				v = v.subUint(base + r.Offset)
			case objfmt.RelAbs64, objfmt.RelAbs32, objfmt.RelInsnAbs:
			default:
				return false // GOT and PLT kinds: the slow path
			}
			lo, hi := relocRange(r.Kind)
			if r.Kind != objfmt.RelAbs64 && (v.less(i128FromInt(lo)) || i128FromInt(hi).less(v)) {
				return false
			}
			switch r.Kind {
			case objfmt.RelAbs64:
				binary.LittleEndian.PutUint64(j.data[r.Offset:], v.lo)
			case objfmt.RelAbs32, objfmt.RelPC32:
				binary.LittleEndian.PutUint32(j.data[r.Offset:], uint32(v.lo))
			case objfmt.RelInsnPC, objfmt.RelInsnAbs:
				binary.LittleEndian.PutUint32(j.data[r.Offset+isa.ImmOffset:], uint32(v.lo))
			}
		}
	}
	return true
}

// relocateSlow applies every relocation in order, reporting every one that
// fails.
func (l *linker) relocateSlow() {
	for _, out := range l.outs {
		for _, p := range out.inputs {
			o := p.obj
			in := o.file.Sections[p.sec]
			if len(in.Relocs) == 0 {
				continue // NOBITS sections never have any
			}
			data := out.sec.Data[p.off : p.off+in.Size]
			base := o.secAddr[p.sec]
			for ri := range in.Relocs {
				r := &in.Relocs[ri]
				if r.Kind == objfmt.RelNone {
					continue
				}
				s, ok := l.relocTarget(o, r.Sym)
				if !ok {
					l.discarded(o, p.sec, r)
					continue
				}
				place := base + r.Offset
				v := i128From(s).addInt(r.Addend)
				switch r.Kind {
				case objfmt.RelInsnGot:
					v = i128From(l.gotAddr(o, r.Sym)).addInt(r.Addend)
				case objfmt.RelInsnPLT, objfmt.RelInsnPC:
					if stub, ok := l.pltAddr(o, r.Sym, r.Kind, isa.Op(data[r.Offset])); ok {
						v = i128From(stub).addInt(r.Addend)
					}
				case objfmt.RelAbs64:
					if l.dyn.dynamic && in.Flags&objfmt.FlagWrite != 0 {
						v = i128From(l.dynAbs64(o, r, s, place))
					}
				}
				switch r.Kind {
				case objfmt.RelPC32, objfmt.RelInsnPC, objfmt.RelInsnGot, objfmt.RelInsnPLT:
					v = v.subUint(place)
				}
				lo, hi := relocRange(r.Kind)
				if r.Kind != objfmt.RelAbs64 && (v.less(i128FromInt(lo)) || i128FromInt(hi).less(v)) {
					l.overflow(o, p.sec, r, v, lo, hi)
					continue
				}
				switch r.Kind {
				case objfmt.RelAbs64:
					binary.LittleEndian.PutUint64(data[r.Offset:], v.lo)
				case objfmt.RelAbs32, objfmt.RelPC32:
					binary.LittleEndian.PutUint32(data[r.Offset:], uint32(v.lo))
				case objfmt.RelInsnPC, objfmt.RelInsnAbs, objfmt.RelInsnGot, objfmt.RelInsnPLT:
					binary.LittleEndian.PutUint32(data[r.Offset+isa.ImmOffset:], uint32(v.lo))
				}
			}
		}
	}
}

// relocTarget returns S for a relocation of o against symbol i: the
// definition chosen by resolve for a global or weak name, else o's own.
// ok is false if the symbol is in a discarded section.
func (l *linker) relocTarget(o *object, i int) (s uint64, ok bool) {
	if id := o.gids[i]; id != noSym {
		g := &l.syms[id]
		if g.def == noRef {
			return 0, true // undefined weak
		}
		return l.objs[g.def.obj].symValue(int(g.def.sym))
	}
	return o.symValue(i)
}

// symName names symbol i of o in a diagnostic; a section symbol is named
// after its section.
func (l *linker) symName(o *object, i int) string {
	s := &o.file.Symbols[i]
	if s.Type == objfmt.SymSection && s.Section >= 0 {
		return "section " + o.file.Sections[s.Section].Name
	}
	return s.Name
}

// relocRange returns the values a relocation kind can store; ABS64 stores
// any value modulo 2^64 and is never checked.
func relocRange(k objfmt.RelocKind) (lo, hi int64) {
	if k == objfmt.RelAbs32 {
		return 0, math.MaxUint32
	}
	return math.MinInt32, math.MaxInt32
}

// overflow reports a relocation whose value v does not fit in [lo, hi].
func (l *linker) overflow(o *object, si int, r *objfmt.Reloc, v i128, lo, hi int64) {
	l.report(Diag{
		Msg: fmt.Sprintf("%s:(%s+%#x): relocation %s out of range: %s is not in [%d, %d]; references %s",
			o.name, o.file.Sections[si].Name, r.Offset, r.Kind, v, lo, hi, l.symName(o, r.Sym)),
		Notes: l.relocNotes(o, si, r),
	})
}

// discarded reports a relocation against a symbol of a discarded section.
func (l *linker) discarded(o *object, si int, r *objfmt.Reloc) {
	msg := "relocation refers to a symbol in a discarded section: " + l.symName(o, r.Sym)
	if s := &o.file.Symbols[r.Sym]; s.Type == objfmt.SymSection {
		msg = "relocation refers to a discarded section: " + o.file.Sections[s.Section].Name
	}
	l.report(Diag{Msg: msg, Notes: l.relocNotes(o, si, r)})
}

// relocNotes returns the notes of a diagnostic about relocation r of
// section si of o: where it is and, for a named symbol, where that is
// defined.
func (l *linker) relocNotes(o *object, si int, r *objfmt.Reloc) []string {
	notes := []string{"referenced by " + l.refSite(o, si, r.Offset)}
	def := symRef{obj: o.idx, sym: int32(r.Sym)}
	if id := o.gids[r.Sym]; id != noSym {
		g := &l.syms[id]
		def = g.def
		if def == noRef && g.shared != noShared {
			notes = append(notes, "defined in "+l.shlibs[g.shared.lib].name)
		}
	}
	if def != noRef && l.sym(def).Type != objfmt.SymSection {
		notes = append(notes, "defined in "+l.defSite(def))
	}
	return notes
}

// i128 is a two's-complement 128-bit integer, wide enough to compute
// S + A - P exactly for any 64-bit S, A and P.
type i128 struct{ hi, lo uint64 }

// i128From returns v as an i128.
func i128From(v uint64) i128 { return i128{lo: v} }

// i128FromInt returns v as an i128.
func i128FromInt(v int64) i128 { return i128{hi: uint64(v >> 63), lo: uint64(v)} }

// addInt returns x + v.
func (x i128) addInt(v int64) i128 {
	y := i128FromInt(v)
	lo, c := bits.Add64(x.lo, y.lo, 0)
	hi, _ := bits.Add64(x.hi, y.hi, c)
	return i128{hi, lo}
}

// subUint returns x - v.
func (x i128) subUint(v uint64) i128 {
	lo, b := bits.Sub64(x.lo, v, 0)
	hi, _ := bits.Sub64(x.hi, 0, b)
	return i128{hi, lo}
}

// less reports x < y.
func (x i128) less(y i128) bool {
	if x.hi != y.hi {
		return int64(x.hi) < int64(y.hi)
	}
	return x.lo < y.lo
}

// String formats x in decimal.
func (x i128) String() string {
	neg := int64(x.hi) < 0
	if neg { // negate
		lo, b := bits.Sub64(0, x.lo, 0)
		hi, _ := bits.Sub64(0, x.hi, b)
		x = i128{hi, lo}
	}
	var digits []byte
	for x.hi != 0 || x.lo != 0 || len(digits) == 0 {
		var r uint64
		x.hi, r = bits.Div64(0, x.hi, 10)
		x.lo, r = bits.Div64(r, x.lo, 10)
		digits = append(digits, byte('0'+r))
	}
	if neg {
		digits = append(digits, '-')
	}
	for i, j := 0, len(digits)-1; i < j; i, j = i+1, j-1 {
		digits[i], digits[j] = digits[j], digits[i]
	}
	return string(digits)
}
