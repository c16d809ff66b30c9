package vmtrace

import (
	"cmp"
	"fmt"
	"slices"

	"linkvm/objfmt"
	"linkvm/vm"
	"linkvm/vm/isa"
)

// Names names the code addresses of a process as the tools show them:
// like Process.Frame, except in PLT stubs, which have no symbol of their
// own and would otherwise be named after whatever function precedes
// them. A stub is named after the function it calls, "puts@plt"; the
// lazy-binding entry all of a module's stubs share is "PLT0".
type Names struct {
	p    *vm.Process
	plts map[*vm.Module]*pltTable
}

// NewNames returns the names of process p's addresses.
func NewNames(p *vm.Process) *Names {
	return &Names{p: p, plts: map[*vm.Module]*pltTable{}}
}

// pltTable is a module's PLT: where its PLT0 is and which function each
// stub calls (addresses relative to the module's base).
type pltTable struct {
	base, plt0 uint64 // the module's base; PLT0's address, 0 if none
	stubs      []objfmt.PLTStub
}

// Frame describes pc like Process.Frame, with a PLT stub named after the
// function it calls.
func (n *Names) Frame(pc uint64) vm.Frame {
	return n.Fix(n.p.Frame(pc))
}

// Fix renames f, a frame of the process (from Frame or Backtrace), if its
// PC is in a PLT.
func (n *Names) Fix(f vm.Frame) vm.Frame {
	if name, start, ok := n.pltAt(f.PC); ok {
		f.Func, f.Off = name, f.PC-start
	}
	return f
}

// InPLT reports whether pc is in a PLT stub or a PLT0.
func (n *Names) InPLT(pc uint64) bool {
	_, _, ok := n.pltAt(pc)
	return ok
}

// pltAt returns the name and start of the PLT stub (or PLT0) holding pc.
func (n *Names) pltAt(pc uint64) (name string, start uint64, ok bool) {
	m := n.p.ModuleAt(pc)
	if m == nil || m.File.Dynamic == nil || m.File.Dynamic.PLTResolve == 0 {
		return "", 0, false
	}
	t := n.plt(m)
	if pc >= t.plt0 && pc < t.plt0+isa.WordSize {
		return "PLT0", t.plt0, true
	}
	off := pc - t.base
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
	return t.stubs[i].Sym + "@plt", t.base + t.stubs[i].Addr, true
}

// BindSymbol returns the name of the function that the lazy binding at
// pc (PLT0's sys 14) resolves, given ip, the index of its JUMP_SLOT
// relocation; "?" if pc's module has no such relocation.
func (n *Names) BindSymbol(pc, ip uint64) string {
	m := n.p.ModuleAt(pc)
	if m == nil || m.File.Dynamic == nil {
		return "?"
	}
	return cmp.Or(m.File.Dynamic.JumpSlotSymbol(ip), "?")
}

// plt returns m's PLT table, built on first use.
func (n *Names) plt(m *vm.Module) *pltTable {
	if t := n.plts[m]; t != nil {
		return t
	}
	t := &pltTable{base: m.Base}
	n.plts[m] = t
	if d := m.File.Dynamic; d != nil && d.PLTResolve != 0 {
		t.plt0 = m.Base + d.PLTResolve
		t.stubs = d.PLTStubs()
	}
	return t
}

// FuncName returns the function f is in, "[module:]function", or what
// f.Symbol says when no symbol names it.
func FuncName(f vm.Frame) string {
	switch {
	case f.Func == "":
		return f.Symbol()
	case f.Module != "":
		return f.Module + ":" + f.Func
	}
	return f.Func
}

// Callee names the code at f as a call's target: FuncName at a
// function's first instruction, f.Symbol elsewhere.
func Callee(f vm.Frame) string {
	if f.Func != "" && f.Off == 0 {
		return FuncName(f)
	}
	return f.Symbol()
}

// Source returns "file:line" of f, or "" if the line table says nothing.
func Source(f vm.Frame) string {
	if f.File == "" {
		return ""
	}
	return fmt.Sprintf("%s:%d", f.File, f.Line)
}
