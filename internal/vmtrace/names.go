package vmtrace

import (
	"cmp"
	"encoding/binary"
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

// pltSize is the size of one PLT stub (docs/dynld.md): ldpc, jr, then the
// lazy entry li, jmp, which JUMP_SLOT relocations point at first.
const pltSize = 4 * isa.WordSize

// pltTable is a module's PLT: where its PLT0 is and which function each
// stub calls.
type pltTable struct {
	plt0  uint64 // PLT0's address, 0 if the module has no PLT
	stubs []pltStub
}

// pltStub is one PLT stub.
type pltStub struct {
	addr uint64 // its first instruction
	sym  string // the function it calls
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
	i, found := slices.BinarySearchFunc(t.stubs, pc, func(s pltStub, pc uint64) int {
		switch {
		case s.addr+pltSize <= pc:
			return -1
		case s.addr > pc:
			return 1
		}
		return 0
	})
	if !found {
		return "", 0, false
	}
	return t.stubs[i].sym + "@plt", t.stubs[i].addr, true
}

// BindSymbol returns the name of the function that the lazy binding at
// pc (PLT0's sys 14) resolves, given ip, the index of its JUMP_SLOT
// relocation; "?" if pc's module has no such relocation.
func (n *Names) BindSymbol(pc, ip uint64) string {
	m := n.p.ModuleAt(pc)
	if m == nil || m.File.Dynamic == nil {
		return "?"
	}
	d := m.File.Dynamic
	if ip >= uint64(len(d.Relocs)) || d.Relocs[ip].Sym < 0 || d.Relocs[ip].Sym >= len(d.Symbols) {
		return "?"
	}
	return d.Symbols[d.Relocs[ip].Sym].Name
}

// plt returns m's PLT table, built on first use from its JUMP_SLOT
// relocations: each points at its stub's lazy entry, 16 bytes into the
// stub. A relocation whose target does not look like a stub (ldpc ip,
// then li ip) is left out.
func (n *Names) plt(m *vm.Module) *pltTable {
	if t := n.plts[m]; t != nil {
		return t
	}
	t := &pltTable{}
	n.plts[m] = t
	d := m.File.Dynamic
	if d == nil || d.PLTResolve == 0 {
		return t
	}
	t.plt0 = m.Base + d.PLTResolve
	for _, r := range d.Relocs {
		if r.Kind != objfmt.DynJumpSlot || r.Sym < 0 || r.Sym >= len(d.Symbols) || r.Addend < 16 {
			continue
		}
		addr := m.Base + uint64(r.Addend) - 16
		var code [pltSize]byte
		if n.p.ReadMemory(addr, code[:]) != nil {
			continue
		}
		first := isa.Decode(binary.LittleEndian.Uint64(code[0:]))
		lazy := isa.Decode(binary.LittleEndian.Uint64(code[16:]))
		if first.Op != isa.LDPC || first.RA != isa.RegIP || lazy.Op != isa.LI || lazy.RA != isa.RegIP {
			continue
		}
		t.stubs = append(t.stubs, pltStub{addr: addr, sym: d.Symbols[r.Sym].Name})
	}
	slices.SortFunc(t.stubs, func(a, b pltStub) int { return cmp.Compare(a.addr, b.addr) })
	return t
}

// Location returns where f is as "[module:]function+0xOFF", or
// "module+0xOFF" or the address in hex when no symbol names it.
func Location(f vm.Frame) string {
	switch {
	case f.Func == "" && f.Module != "":
		return fmt.Sprintf("%s+%#x", f.Module, f.Off)
	case f.Func == "":
		return fmt.Sprintf("%#x", f.PC)
	case f.Module != "":
		return fmt.Sprintf("%s:%s+%#x", f.Module, f.Func, f.Off)
	}
	return fmt.Sprintf("%s+%#x", f.Func, f.Off)
}

// FuncName returns the function f is in, "[module:]function", or what
// Location says when no symbol names it.
func FuncName(f vm.Frame) string {
	switch {
	case f.Func == "":
		return Location(f)
	case f.Module != "":
		return f.Module + ":" + f.Func
	}
	return f.Func
}

// Callee names the code at f as a call's target: FuncName at a
// function's first instruction, Location elsewhere.
func Callee(f vm.Frame) string {
	if f.Func != "" && f.Off == 0 {
		return FuncName(f)
	}
	return Location(f)
}

// Source returns "file:line" of f, or "" if the line table says nothing.
func Source(f vm.Frame) string {
	if f.File == "" {
		return ""
	}
	return fmt.Sprintf("%s:%d", f.File, f.Line)
}
