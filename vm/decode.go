package vm

import (
	"encoding/binary"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"weak"

	"linkvm/objfmt"
	"linkvm/vm/internal/superinst"
	"linkvm/vm/isa"
)

// The decoded form of code. The interpreter does not run instruction
// words as they are in the section but a copy decoded once, word for word
// (so index k of the copy is the word at base + 8k): register fields
// already masked to five bits, branch offsets checked against the section
// and turned into word counts, and a sentinel after the last word. run
// then never checks pc against the segment's bounds, never masks a field,
// and dispatches on a byte that may also be one of the decoded-only
// opcodes below. The copy of a read-only section is made once and shared
// by every process that maps the section, like the section itself; a
// section that is writable as well as executable has a private copy that
// is decoded again whenever the process may have changed its code (see
// redecode).

// decoded is a section's decoded form: one entry per whole word of the
// section, and the sentinel.
type decoded struct {
	ins []dinst
	// alone is ins with every superinstruction's first instruction
	// decoded alone: what exec runs the last step before a pause point
	// from (see exec), made on first use and dropped when ins changes.
	alone atomic.Pointer[[]dinst]
	// lazy is ins with every instruction whose case reads the current
	// code segment (segReaders: its own address, its words) decoded as
	// dResync, and the sentinel too. A call through the PLT into another
	// module runs the module's code from it without making the module's
	// segment current (see pltStub in vm/internal/genrun/gen): a
	// function that does not read its segment, such as libstd's
	// arena_alloc, then returns to a segment that still is, and the call
	// costs no switch of segments either way. Made on first use, for
	// read-only sections only (whose ins never changes).
	lazy atomic.Pointer[[]dinst]
}

// aloneIns returns d.ins without superinstructions (see alone).
func (d *decoded) aloneIns() []dinst {
	// dCallPLT too, which runs up to three.
	return d.form(&d.alone, func(op uint8) uint8 { return firstOf[op] })
}

// lazyIns returns d's lazy form (see lazy).
func (d *decoded) lazyIns() []dinst {
	return d.form(&d.lazy, func(op uint8) uint8 {
		if segReaders[op] {
			return dResync
		}
		return op
	})
}

// form returns the form of d.ins that *cache holds, made on first use:
// a copy with each entry's opcode op changed to recode(op).
func (d *decoded) form(cache *atomic.Pointer[[]dinst], recode func(op uint8) uint8) []dinst {
	if a := cache.Load(); a != nil {
		return *a
	}
	a := slices.Clone(d.ins)
	for k := range a {
		a[k].op = recode(a[k].op)
	}
	cache.Store(&a)
	return a
}

// dinst is one decoded instruction word: the same fields as the word, the
// opcode perhaps one of the decoded-only ones, the registers 0..31.
type dinst struct {
	op      uint8 // an isa.Op, or a decoded-only opcode (dEnd...)
	a, b, c uint8 // the register fields, masked
	// imm is the word's immediate; for a jump, call or branch to a word of
	// its own section, the target's index minus the jumping word's.
	imm int32
}

// Decoded-only opcodes, after the instruction set's.
const (
	// dEnd is the sentinel after the section's last word: control ran off
	// its end (into an adjacent executable section, or a bad jump).
	dEnd = iota + uint8(isa.NumOps)
	// dFarJmp and dFarCall are jmp and call whose target is not a word of
	// their section (imm is the byte offset): run looks for it elsewhere.
	dFarJmp
	dFarCall
	// dSlow is an instruction exec runs from its word: a conditional
	// branch whose target is not in its section, an illegal opcode, an
	// li64 that ends the section (its constant cut off, or the last word;
	// then the instruction that runs off the end is the li64).
	dSlow
	// dCallPLT and dJmpPLT are a call and a jump to a PLT stub of their
	// own read-only section (ldpc rX, slot; jr rX): run runs the stub
	// with them, in one dispatch, when the GOT slot is in a cached
	// segment and no pause point comes before the stub's jr (see
	// linkPLT).
	dCallPLT
	dJmpPLT
	// dResync is, in a segment's lazy form (decoded.lazy), an instruction
	// whose case reads the current code segment: run first makes the
	// segment whose lazy form ip is in current, then runs the
	// instruction from its decoded form.
	dResync

	// fFirst is the first superinstruction's opcode: two consecutive
	// instructions run as one, the fused opcode replacing the first's
	// (see fusions). The others follow, one per pair of
	// superinst.Pairs, one per run of superinst.Seqs, then the PLT
	// twins (pltTwins); their names (fAddiBltu...) are generated with
	// run, in exec_run.go.
	fFirst
)

// The fused opcodes must fit in the decoded entry's byte.
const _ = fFirst + uint8(len(superinst.Pairs)+len(superinst.Seqs)+len(pltTwins)) - 1

// fusion is a superinstruction: the pair of consecutive instructions run
// runs with one dispatch, and the fused opcode that replaces the first's.
// The fused entry keeps the first's fields; the second's stay in the next
// entry, which still runs by itself when control reaches it directly.
type fusion struct {
	first, second isa.Op
	fused         uint8
}

// fusions are run's superinstructions, from superinst.Pairs (which says
// how they were chosen).
var fusions = func() (fs [len(superinst.Pairs)]fusion) {
	for i, p := range superinst.Pairs {
		fs[i] = fusion{p.First, p.Second, fFirst + uint8(i)}
	}
	return fs
}()

// fusedOf maps a pair of opcodes to their superinstruction, 0 if none;
// firstOf maps a decoded opcode to its first instruction's (itself for
// every other), so that a pair can be decoded again.
var (
	fusedOf [256][256]uint8
	firstOf [256]uint8
)

// seqFusion is a superinstruction of superinst.Seqs: its instructions
// and its fused opcode, which follow the pairs'.
type seqFusion struct {
	ops   []isa.Op
	fused uint8
}

// seqFusions are superinst.Seqs, numbered; seqsFrom lists them by first
// instruction.
var (
	seqFusions = func() (fs [len(superinst.Seqs)]seqFusion) {
		for i, ops := range superinst.Seqs {
			fs[i] = seqFusion{ops, fFirst + uint8(len(superinst.Pairs)+i)}
		}
		return fs
	}()
	seqsFrom [256][]seqFusion
)

func init() {
	for i := range firstOf {
		firstOf[i] = uint8(i)
	}
	for _, f := range fusions {
		fusedOf[f.first][f.second] = f.fused
		firstOf[f.fused] = uint8(f.first)
		lenOf[f.fused] = 2
	}
	for _, f := range seqFusions {
		seqsFrom[f.ops[0]] = append(seqsFrom[f.ops[0]], f)
		firstOf[f.fused] = uint8(f.ops[0])
		lenOf[f.fused] = len(f.ops)
	}
	firstOf[dCallPLT], firstOf[dJmpPLT] = uint8(isa.CALL), uint8(isa.JMP)
	for _, t := range pltTwins {
		twinOf[t[0]] = t[1]
		firstOf[t[1]] = firstOf[t[0]]
	}
}

// lenOf is the number of instructions of each superinstruction's opcode;
// twinOf maps a superinstruction ending with a call or jmp to its twin
// that runs the PLT stub it goes to as well (pltTwins), 0 for the others.
var (
	lenOf  [256]int
	twinOf [256]uint8
)

// plainAt is the instruction set's opcode of the decoded entry k of d (the
// first of a superinstruction), or dSlow past the section's words.
func plainAt(d []dinst, k int) uint8 {
	if k >= len(d)-1 {
		return dSlow
	}
	return firstOf[d[k].op]
}

// tile chooses the superinstruction, if any, that each entry k of d in
// [from, to) starts, by superinst.Tile: the fewest dispatches for control
// falling through the words. All the instructions of a superinstruction
// must be decoded plainly: a branch or call out of the section, or an
// instruction exec runs (dSlow), is never part of one. Any choice is
// correct; the entries after the first of a superinstruction keep their
// own, for control that reaches them directly.
func tile(d []dinst, from, to int) {
	to = min(to, len(d)-1)
	from = max(from, 0)
	if from >= to {
		return
	}
	// fusedAt is the superinstruction of length l at k, 0 if none.
	fusedAt := func(k, l int) uint8 {
		first := firstOf[d[k].op]
		if l == 2 {
			return fusedOf[first][plainAt(d, k+1)]
		}
	seqs:
		for _, f := range seqsFrom[first] {
			if len(f.ops) != l {
				continue
			}
			for j, o := range f.ops[1:] {
				if plainAt(d, k+1+j) != uint8(o) {
					continue seqs
				}
			}
			return f.fused
		}
		return 0
	}
	lens := superinst.Tile(to-from, func(i int) []int {
		var ls []int
		for l := 2; l <= maxRun; l++ { // maxRun: the longest (exec_run.go)
			if fusedAt(from+i, l) != 0 {
				ls = append(ls, l)
			}
		}
		return ls
	}, func(i int) bool {
		return fallsThrough(firstOf[d[from+i].op])
	})
	for i, l := range lens {
		k := from + i
		if l == 1 {
			d[k].op = firstOf[d[k].op]
		} else {
			d[k].op = fusedAt(k, l)
		}
	}
}

// fallsThrough reports whether control can go on to the next word after
// the plain or decoded-only opcode op (superinst.FallsThrough): not after
// a jump out of the section or its end either.
func fallsThrough(op uint8) bool {
	return op != dFarJmp && op != dEnd && superinst.FallsThrough(isa.Op(op))
}

// tileSlack is how many words around the words a store changed
// redecodeAt tiles again, beyond those it must.
const tileSlack = 16

// decodeCode decodes the whole words of code, and the sentinel after them.
func decodeCode(code []byte) *decoded {
	nw := len(code) / isa.WordSize
	d := make([]dinst, nw+1)
	for k := range nw {
		d[k] = decodeWord(binary.LittleEndian.Uint64(code[k*isa.WordSize:]), k, nw)
	}
	d[nw] = dinst{op: dEnd}
	tile(d, 0, nw)
	return &decoded{ins: d}
}

// decodeWord decodes w, the word at index k of a section of nw words.
func decodeWord(w uint64, k, nw int) dinst {
	op := isa.Op(w)
	in := dinst{op: uint8(op), a: uint8(w>>8) & 31, b: uint8(w>>16) & 31, c: uint8(w>>24) & 31, imm: int32(w >> 32)}
	switch {
	case op >= isa.NumOps:
		in.op = dSlow
	case op == isa.LI64 && k+2 >= nw: // its constant ends the section, or is cut off
		in.op = dSlow
	case op == isa.JMP || op == isa.CALL || (op >= isa.BEQ && op <= isa.BNEZ):
		off := int64(in.imm)
		t := int64(k) + off/isa.WordSize
		if off%isa.WordSize == 0 && t >= 0 && t < int64(nw) {
			in.imm = int32(off / isa.WordSize)
			break
		}
		switch op {
		case isa.JMP:
			in.op = dFarJmp
		case isa.CALL:
			in.op = dFarCall
		default:
			in.op = dSlow
		}
	}
	return in
}

// sharedDecoded dedupes the decoded form of read-only sections between the
// processes that map them: by section, holding neither the section nor the
// decoded form alive (the segments that use it do).
var sharedDecoded struct {
	sync.Mutex
	m map[weak.Pointer[objfmt.Section]]weak.Pointer[decoded]
}

// decodedSection returns the decoded form of a read-only executable
// section mapped as code, shared with every other process mapping sec.
func decodedSection(sec *objfmt.Section, code []byte) *decoded {
	key := weak.Make(sec)
	sd := &sharedDecoded
	sd.Lock()
	defer sd.Unlock()
	if d := sd.m[key].Value(); d != nil && len(d.ins) == len(code)/isa.WordSize+1 {
		return d
	}
	if sd.m == nil {
		sd.m = map[weak.Pointer[objfmt.Section]]weak.Pointer[decoded]{}
	}
	if _, ok := sd.m[key]; !ok {
		runtime.AddCleanup(sec, func(k weak.Pointer[objfmt.Section]) {
			sd.Lock()
			delete(sd.m, k)
			sd.Unlock()
		}, key)
	}
	d := decodeCode(code)
	linkPLT(d.ins)
	sd.m[key] = weak.Make(d)
	return d
}

// decode gives an executable segment its decoded form: the shared one for
// a read-only section, a private one otherwise.
func (s *segment) decode() {
	if s.perm&permW == 0 && s.sec != nil {
		s.dec = decodedSection(s.sec, s.data)
	} else {
		s.dec = decodeCode(s.data)
	}
}

// redecode decodes again every writable executable segment of the address
// space, whose code the process may have changed: exec calls it when it
// starts and after every system call, when the host or a system call may
// have written to them. Stores by the program itself into such a segment
// take exec's slow path, which decodes the words they change
// (redecodeAt).
func (as *addrSpace) redecode() {
	for _, c := range as.code {
		if s := c.seg; s.perm&permW != 0 {
			n := len(s.dec.ins) - 1
			for k := range n {
				s.dec.ins[k] = decodeWord(binary.LittleEndian.Uint64(s.data[k*isa.WordSize:]), k, n)
			}
			tile(s.dec.ins, 0, n)
			s.dec.alone.Store(nil)
		}
	}
}

// redecodeAt decodes again the words of the writable executable segment s
// that a store of size bytes at addr changed.
func (s *segment) redecodeAt(addr, size uint64) {
	n := uint64(len(s.dec.ins) - 1)
	lo := (addr - s.base) / isa.WordSize
	hi := min((addr-s.base+size+isa.WordSize-1)/isa.WordSize, n)
	for k := lo; k < hi; k++ {
		s.dec.ins[k] = decodeWord(binary.LittleEndian.Uint64(s.data[k*isa.WordSize:]), int(k), int(n))
	}
	// The superinstructions they are in start up to maxRun-1 words
	// before them; the choices before those may be no longer the best,
	// but stay correct, so tile looks a little further only.
	tile(s.dec.ins, int(lo)-(maxRun-1)-tileSlack, int(hi)+tileSlack)
	s.dec.alone.Store(nil)
}

// linkPLT decodes the calls and jumps of d to a PLT stub of d's section
// as dCallPLT and dJmpPLT, and the superinstructions that end with one as
// their twins (pltTwins), so that a call through the PLT costs no
// dispatch more than a direct call instead of one. Only read-only code: a
// store into writable code could change the stub without decoding its
// callers again.
func linkPLT(d []dinst) {
	for k := range len(d) - 1 {
		op := d[k].op
		last := k // the call's or jump's entry
		if t := twinOf[op]; t != 0 {
			last = k + lenOf[op] - 1
		} else if op != uint8(isa.CALL) && op != uint8(isa.JMP) {
			continue
		}
		t := last + int(d[last].imm)
		if t < 0 || t+1 >= len(d)-1 || firstOf[d[t].op] != uint8(isa.LDPC) ||
			plainAt(d, t+1) != uint8(isa.JR) || d[t+1].a != d[t].a {
			continue
		}
		switch op {
		case uint8(isa.CALL):
			d[k].op = dCallPLT
		case uint8(isa.JMP):
			d[k].op = dJmpPLT
		default:
			d[k].op = twinOf[op]
		}
	}
}
