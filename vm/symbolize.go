package vm

import (
	"slices"

	"linkvm/objfmt"
	"linkvm/vm/isa"
)

// maxFrames is the longest backtrace.
const maxFrames = 64

// maxPrologue is how many instructions from a function's start the
// backtrace looks through for its `enter`.
const maxPrologue = 16

// funcAt returns the symbol naming the code at pc in segment s, with its
// address: the nearest FUNC symbol of s's section at or before pc, or
// failing that the nearest named symbol of any type there, or failing
// that (a shared module without a static symbol table) the nearest
// defined dynamic symbol in the section.
func funcAt(s *segment, pc uint64) (name string, addr uint64, ok bool) {
	if s == nil || s.sec == nil || s.mod == nil {
		return "", 0, false
	}
	f := s.mod.File
	var base uint64
	if s.mod.shared() {
		base = s.mod.Base
	}
	idx := -1
	for i, sec := range f.Sections {
		if sec == s.sec {
			idx = i
			break
		}
	}
	var fn, any objfmt.Symbol
	var haveFn, haveAny bool
	for _, sym := range f.Symbols {
		if sym.Section != idx || sym.Name == "" || sym.Type == objfmt.SymSection || sym.Value > pc-base {
			continue
		}
		if sym.Type == objfmt.SymFunc && (!haveFn || sym.Value > fn.Value) {
			fn, haveFn = sym, true
		}
		if !haveAny || sym.Value > any.Value {
			any, haveAny = sym, true
		}
	}
	switch {
	case haveFn:
		return fn.Name, base + fn.Value, true
	case haveAny:
		return any.Name, base + any.Value, true
	case f.Dynamic == nil:
		return "", 0, false
	}
	var dyn objfmt.DynSymbol
	for _, sym := range f.Dynamic.Symbols {
		a := base + sym.Value
		if sym.Defined && sym.Name != "" && a >= s.base && a <= pc && (!ok || sym.Value > dyn.Value) {
			dyn, ok = sym, true
		}
	}
	return dyn.Name, base + dyn.Value, ok
}

// pltNames is a module's PLT as frames name it (see PLTAt): PLT0's
// address and the stubs, relative to the module's base.
type pltNames struct {
	plt0  uint64
	stubs []objfmt.PLTStub // sorted by address
}

// PLTAt returns the name and address of the PLT stub of m that holds pc,
// named after the function it calls ("puts@plt"), or of its PLT0
// ("PLT0"); ok is false when pc is in neither. Frames (Process.Frame,
// traps' backtraces) name such code so: the linker gives a stub no
// symbol of its own, and the nearest symbol before it is another
// function's.
func (m *Module) PLTAt(pc uint64) (name string, addr uint64, ok bool) {
	d := m.File.Dynamic
	if d == nil || d.PLTResolve == 0 {
		return "", 0, false
	}
	t := m.plt.Load()
	if t == nil {
		t = &pltNames{plt0: d.PLTResolve, stubs: d.PLTStubs()}
		m.plt.Store(t)
	}
	off := pc - m.Base
	if off-t.plt0 < isa.WordSize {
		return "PLT0", m.Base + t.plt0, true
	}
	i, found := slices.BinarySearchFunc(t.stubs, off, func(s objfmt.PLTStub, off uint64) int {
		switch {
		case s.Addr+objfmt.PLTStubSize <= off:
			return -1
		case s.Addr > off:
			return 1
		}
		return 0
	})
	if !found {
		return "", 0, false
	}
	return t.stubs[i].Sym + "@plt", m.Base + t.stubs[i].Addr, true
}

// frame describes pc with its function and source line.
func (p *Process) frame(pc uint64) Frame {
	f := Frame{PC: pc}
	s := p.as.find(pc)
	if s == nil || s.sec == nil {
		return f
	}
	if s.mod != nil && s.mod.shared() {
		f.Module, f.Off = s.mod.Name, pc-s.mod.Base
	}
	if name, addr, ok := funcAt(s, pc); ok {
		f.Func, f.Off = name, pc-addr
	}
	if s.mod != nil {
		if name, addr, ok := s.mod.PLTAt(pc); ok {
			f.Func, f.Off = name, pc-addr
		}
	}
	if ln, ok := s.sec.LineAt(pc - s.base); ok {
		f.File, f.Line = ln.File, ln.Line
	}
	return f
}

// inFrame reports whether the code at pc runs inside a frame made by its
// function's `enter`: the function (see funcAt) has an `enter` among its
// first instructions before pc, and the frame is not already gone: the
// instruction at pc is not a `ret` and does not follow a `leave`. A PLT
// stub makes no frame.
func (p *Process) inFrame(pc uint64) bool {
	s := p.as.find(pc)
	_, start, ok := funcAt(s, pc)
	if !ok {
		return false
	}
	if _, _, stub := s.mod.PLTAt(pc); stub { // funcAt named the function before it
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
	for a, i := start, 0; a < pc && i < maxPrologue; a, i = a+8, i+1 {
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
// A return address that is Call's hostReturn ends the function Call ran;
// if that Call came from a system call, the walk goes on from the `sys`
// instruction with the registers the Call saved.
func (p *Process) backtrace(pc uint64) []Frame {
	var frames []Frame
	regs := &p.regs
	for level := len(p.calls); ; {
		if !p.walk(&frames, pc, regs) || level == 0 {
			return frames
		}
		level--
		c := &p.calls[level]
		if !c.inGuest {
			return frames
		}
		pc, regs = c.pc-isa.WordSize, &c.regs
	}
}

// walk appends the frames of one stretch of guest code, from pc with
// registers regs, to frames (see backtrace). It reports whether the walk
// ended at a Call's hostReturn.
func (p *Process) walk(frames *[]Frame, pc uint64, regs *[isa.NumRegs]uint64) bool {
	if len(*frames) >= maxFrames {
		return false
	}
	*frames = append(*frames, p.frame(pc))
	fp := regs[isa.RegFP]
	if !p.inFrame(pc) {
		lr := regs[isa.RegLR]
		if lr == hostReturn {
			return true
		}
		if lr < isa.WordSize {
			return false
		}
		if lr != pc+isa.WordSize {
			*frames = append(*frames, p.frame(lr-isa.WordSize))
		}
	}
	for fp != 0 && len(*frames) < maxFrames {
		ra, ok1 := p.read64(fp + 8)
		next, ok2 := p.read64(fp)
		if !ok1 || !ok2 || ra < isa.WordSize {
			break
		}
		if ra == hostReturn {
			return true
		}
		*frames = append(*frames, p.frame(ra-isa.WordSize))
		if next != 0 && next <= fp {
			break
		}
		fp = next
	}
	return false
}
