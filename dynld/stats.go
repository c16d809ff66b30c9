package dynld

import (
	"linkvm/objfmt"
	"linkvm/vm"
)

// Bindings returns how many of the symbol bindings of module m have been
// resolved in process p (which may have finished): its ABS64 and GLOB_DAT
// relocations, resolved when it was loaded, and its JUMP_SLOTs that are
// bound, at load time (bind-now) or lazily on their first call. A
// JUMP_SLOT is bound when its GOT slot no longer holds the stub's lazy
// entry (base + addend), so counting needs no hook in the binding path
// and costs nothing while the program runs. An unresolved weak import,
// bound to 0, counts as resolved. A module without dynamic relocations
// (a static image) has none.
func Bindings(p *vm.Process, m *vm.Module) int {
	if p == nil || m == nil || m.File == nil || m.File.Dynamic == nil {
		return 0
	}
	n := 0
	for _, r := range m.File.Dynamic.Relocs {
		if !bindsSymbol(r.Kind) {
			continue
		}
		if r.Kind == objfmt.DynJumpSlot {
			v, err := p.Read64(m.Base + r.Offset)
			if err != nil || v == m.Base+uint64(r.Addend) {
				continue // still lazy
			}
		}
		n++
	}
	return n
}

// BindingTotal returns how many symbol bindings module m has, resolved
// or not: the relocations Bindings counts, so that a debugger can show
// Bindings out of it without repeating their kinds.
func BindingTotal(m *vm.Module) int {
	if m == nil || m.File == nil || m.File.Dynamic == nil {
		return 0
	}
	n := 0
	for _, r := range m.File.Dynamic.Relocs {
		if bindsSymbol(r.Kind) {
			n++
		}
	}
	return n
}

// bindsSymbol reports whether a dynamic relocation of kind k binds a
// symbol: the kinds Bindings and BindingTotal count.
func bindsSymbol(k objfmt.DynRelocKind) bool {
	switch k {
	case objfmt.DynAbs64, objfmt.DynGlobDat, objfmt.DynJumpSlot:
		return true
	}
	return false
}
