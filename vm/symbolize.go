package vm

import (
	"sort"

	"linkvm/objfmt"
	"linkvm/vm/isa"
)

// maxFrames is the longest backtrace.
const maxFrames = 64

// maxPrologue is how many instructions from a function's start the
// backtrace looks through for its `enter`.
const maxPrologue = 16

// funcAt returns the symbol naming the code at pc in segment s: the
// nearest FUNC symbol of s's section at or before pc, or failing that the
// nearest named symbol of any type there.
func funcAt(s *segment, pc uint64) (objfmt.Symbol, bool) {
	if s == nil || s.sec == nil || s.mod == nil {
		return objfmt.Symbol{}, false
	}
	img := s.mod.img
	idx := -1
	for i, sec := range img.Sections {
		if sec == s.sec {
			idx = i
			break
		}
	}
	var fn, any objfmt.Symbol
	var haveFn, haveAny bool
	for _, sym := range img.Symbols {
		if sym.Section != idx || sym.Name == "" || sym.Type == objfmt.SymSection || sym.Value > pc {
			continue
		}
		if sym.Type == objfmt.SymFunc && (!haveFn || sym.Value > fn.Value) {
			fn, haveFn = sym, true
		}
		if !haveAny || sym.Value > any.Value {
			any, haveAny = sym, true
		}
	}
	if haveFn {
		return fn, true
	}
	return any, haveAny
}

// lineAt returns the line table entry covering offset off of sec: the one
// with the greatest Offset <= off.
func lineAt(sec *objfmt.Section, off uint64) (objfmt.Line, bool) {
	i := sort.Search(len(sec.Lines), func(i int) bool { return sec.Lines[i].Offset > off })
	if i == 0 {
		return objfmt.Line{}, false
	}
	return sec.Lines[i-1], true
}

// frame describes pc with its function and source line.
func (p *Process) frame(pc uint64) Frame {
	f := Frame{PC: pc}
	s := p.as.find(pc)
	if s == nil || s.sec == nil {
		return f
	}
	if sym, ok := funcAt(s, pc); ok {
		f.Func, f.Off = sym.Name, pc-sym.Value
	}
	if ln, ok := lineAt(s.sec, pc-s.base); ok {
		f.File, f.Line = ln.File, ln.Line
	}
	return f
}

// inFrame reports whether the code at pc runs inside a frame made by its
// function's `enter`: the function (see funcAt) has an `enter` among its
// first instructions before pc, and the frame is not already gone: the
// instruction at pc is not a `ret` and does not follow a `leave`.
func (p *Process) inFrame(pc uint64) bool {
	s := p.as.find(pc)
	sym, ok := funcAt(s, pc)
	if !ok {
		return false
	}
	word := func(a uint64) (isa.Op, bool) {
		b, ok := p.guestBytes(a, 8, permX)
		if !ok {
			return 0, false
		}
		return isa.Op(b[0]), true
	}
	if op, ok := word(pc); !ok || op == isa.RET {
		return false
	}
	if op, ok := word(pc - isa.WordSize); ok && op == isa.LEAVE {
		return false
	}
	for a, i := sym.Value, 0; a < pc && i < maxPrologue; a, i = a+8, i+1 {
		if op, ok := word(a); ok && op == isa.ENTER {
			return true
		}
	}
	return false
}

// backtrace walks the stack of the trap at pc: frame 0 is pc; its caller
// comes from [fp+8] if pc is inside an `enter` frame, else from lr (a
// leaf); then the chain of saved frame pointers is followed ([fp] = the
// caller's fp, [fp+8] = the return address) until fp is 0, a read fails or
// the chain stops climbing. Each caller frame shows its call instruction,
// the return address - 8. (When a call or callr at pc itself made a bad
// jump, lr already points after it and says nothing about pc's caller.)
func (p *Process) backtrace(pc uint64) []Frame {
	frames := []Frame{p.frame(pc)}
	fp := p.regs[isa.RegFP]
	if !p.inFrame(pc) {
		lr := p.regs[isa.RegLR]
		if lr < isa.WordSize {
			return frames
		}
		if lr != pc+isa.WordSize {
			frames = append(frames, p.frame(lr-isa.WordSize))
		}
	}
	for fp != 0 && len(frames) < maxFrames {
		ra, ok1 := p.read64(fp + 8)
		next, ok2 := p.read64(fp)
		if !ok1 || !ok2 || ra < isa.WordSize {
			break
		}
		frames = append(frames, p.frame(ra-isa.WordSize))
		if next != 0 && next <= fp {
			break
		}
		fp = next
	}
	return frames
}
