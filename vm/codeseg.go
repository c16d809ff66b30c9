package vm

import (
	"fmt"
	"unsafe"
)

// codeSeg is an executable segment as the interpreter runs it: its base
// address, its number of whole words, its decoded form (decode.go) and
// its bytes. The instruction at pc is in it when
// bits.RotateLeft64(pc-base, -3) < nw: the rotation moves the low three
// bits of a misaligned offset to the top, so the one compare checks both
// bounds and alignment.
type codeSeg struct {
	base, nw uint64
	dec      unsafe.Pointer // &seg.dec.ins[0]: nw decoded words and the sentinel
	raw      unsafe.Pointer // &seg.data[0], the words themselves
	seg      *segment
	alone    *codeSeg // the same with the decoded form without superinstructions, once aloneCode made it
	// lazy is &seg.dec.lazyIns()[0] (see decoded.lazy) for a read-only
	// segment of a process with more than one, else nil.
	lazy unsafe.Pointer
}

// noCode is a code segment with no words: execState.alt when there is
// none, so that run tests it like any other.
var noCode codeSeg

// linearCodeSegs is how many executable segments exec scans one by one
// when pc leaves its code segment; a longer table is first narrowed down
// by codeNear.
const linearCodeSegs = 8

// rebuildCode remakes as.code from as.segs after an executable segment
// was mapped or unmapped, so that the table never holds an unmapped
// segment. It makes a new slice rather than changing the old one.
func (as *addrSpace) rebuildCode() {
	var code []codeSeg
	as.writableCode = false
	for _, s := range as.segs {
		if nw := uint64(len(s.data)) >> 3; s.perm&permX != 0 && nw > 0 {
			if s.dec == nil {
				s.decode()
			}
			as.writableCode = as.writableCode || s.perm&permW != 0
			code = append(code, codeSeg{base: s.base, nw: nw,
				dec: unsafe.Pointer(&s.dec.ins[0]), raw: unsafe.Pointer(&s.data[0]), seg: s})
		}
	}
	if len(code) > 1 { // calls from one to another may run the callee lazily
		for k := range code {
			if c := &code[k]; c.seg.perm&permW == 0 {
				c.lazy = unsafe.Pointer(&c.seg.dec.lazyIns()[0])
			}
		}
	}
	as.code = code
}

// aloneCode returns the code segment at base with its decoded form
// without superinstructions (see decoded.alone), for exec's last step
// before a pause point.
func (as *addrSpace) aloneCode(base uint64) (*codeSeg, error) {
	for k := range as.code {
		if c := &as.code[k]; c.base == base {
			// The form is made again after a store into writable code.
			if d := unsafe.Pointer(&c.seg.dec.aloneIns()[0]); c.alone == nil || c.alone.dec != d {
				c.alone = &codeSeg{base: c.base, nw: c.nw, dec: d, raw: c.raw, seg: c.seg}
			}
			return c.alone, nil
		}
	}
	return nil, fmt.Errorf("vm: internal error: no code segment at %#x, the current one's base", base)
}

// codeNear returns the part of as.code (sorted by base) that can hold pc:
// the one segment whose words end after pc and nearest to it, or none. It
// is a binary search for processes with more than linearCodeSegs
// executable segments, kept out of exec's loop.
//
//go:noinline
func (as *addrSpace) codeNear(pc uint64) []codeSeg {
	t := as.code
	lo, hi := 0, len(t)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if t[m].base+t[m].nw<<3 <= pc {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return t[lo:min(lo+1, len(t))]
}

// noCode is the trap (or errHostReturn, when a function run by Call
// returns) for control reaching pc, where there is no instruction, from
// the instruction at from.
func (p *Process) noCode(from, pc uint64) error {
	if pc == hostReturn && len(p.calls) > 0 {
		return errHostReturn
	}
	return p.badJump(from, pc)
}
