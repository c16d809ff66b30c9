package vmtrace

import (
	"cmp"
	"fmt"

	"linkvm/vm"
)

// The tools name code addresses as Process.Frame does: a PLT stub
// after the function it calls ("puts@plt"), the lazy-binding entry all
// of a module's stubs share "PLT0" (vm.Module.PLTAt).

// inPLT reports whether pc is in a PLT stub or a PLT0 of p.
func inPLT(p *vm.Process, pc uint64) bool {
	m := p.ModuleAt(pc)
	if m == nil {
		return false
	}
	_, _, ok := m.PLTAt(pc)
	return ok
}

// bindSymbol returns the name of the function that the lazy binding at
// pc (PLT0's sys 14) resolves, given ip, the index of its JUMP_SLOT
// relocation; "?" if pc's module has no such relocation.
func bindSymbol(p *vm.Process, pc, ip uint64) string {
	m := p.ModuleAt(pc)
	if m == nil || m.File.Dynamic == nil {
		return "?"
	}
	return cmp.Or(m.File.Dynamic.JumpSlotSymbol(ip), "?")
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
