package dynld

import (
	"fmt"

	"linkvm/objfmt"
)

// UnresolvedError says that no module in scope defines a symbol a module
// imports (and does not import weakly).
type UnresolvedError struct {
	// Symbol is the symbol's name.
	Symbol string
	// Module names the module that needs it.
	Module string
}

// Error returns "unresolved symbol SYM (needed by MODULE)".
func (e *UnresolvedError) Error() string {
	return fmt.Sprintf("unresolved symbol %s (needed by %s)", e.Symbol, e.Module)
}

// symbolOf returns the dynamic symbol relocation i of m refers to.
func symbolOf(m *module, i int, r objfmt.DynReloc) (objfmt.DynSymbol, error) {
	syms := m.file.Dynamic.Symbols
	if r.Sym < 0 || r.Sym >= len(syms) {
		return objfmt.DynSymbol{}, fmt.Errorf("%s: dynamic relocation %d (%s): symbol index %d out of range [0, %d)", m.name, i, r.Kind, r.Sym, len(syms))
	}
	return syms[r.Sym], nil
}

// bindSymbol resolves the symbol of relocation i of m: its address (0 for
// an unresolved weak import) or an *UnresolvedError.
func (l *linker) bindSymbol(m *module, i int, r objfmt.DynReloc) (uint64, error) {
	sym, err := symbolOf(m, i, r)
	if err != nil {
		return 0, err
	}
	def, addr, ok := l.resolve(sym.Name, m)
	if !ok {
		if sym.Bind == objfmt.BindWeak {
			return 0, nil
		}
		return 0, &UnresolvedError{Symbol: sym.Name, Module: m.name}
	}
	l.dbg.binding(m, def, sym.Name)
	return addr, nil
}

// relocate applies m's dynamic relocations to its writable sections:
// RELATIVE = B + A, ABS64 and GLOB_DAT = S + A, JUMP_SLOT = B + A (the
// stub's lazy entry) or, with bindNow, S. A place outside the module's
// writable memory, an unknown kind or a symbol index out of range is an
// error, and so is an unresolved import that is not weak.
func (l *linker) relocate(m *module, bindNow bool) error {
	d := m.file.Dynamic
	if d == nil {
		return nil
	}
	m.boundNow = bindNow
	for i, r := range d.Relocs {
		var v uint64
		switch r.Kind {
		case objfmt.DynRelative:
			v = m.base + uint64(r.Addend)
		case objfmt.DynAbs64, objfmt.DynGlobDat:
			s, err := l.bindSymbol(m, i, r)
			if err != nil {
				return err
			}
			v = s + uint64(r.Addend)
		case objfmt.DynJumpSlot:
			if !bindNow {
				if _, err := symbolOf(m, i, r); err != nil {
					return err
				}
				v = m.base + uint64(r.Addend)
				break
			}
			s, err := l.bindSymbol(m, i, r)
			if err != nil {
				return err
			}
			v = s
		default:
			return fmt.Errorf("%s: dynamic relocation %d has unknown kind %s", m.name, i, r.Kind)
		}
		if r.Offset >= m.size || m.size-r.Offset < 8 {
			return fmt.Errorf("%s: dynamic relocation %d (%s) at offset %#x is outside the module (size %#x)", m.name, i, r.Kind, r.Offset, m.size)
		}
		if l.p == nil {
			continue
		}
		if err := l.p.Write64(m.base+r.Offset, v); err != nil {
			return fmt.Errorf("%s: dynamic relocation %d (%s) at %#x: %w", m.name, i, r.Kind, m.base+r.Offset, err)
		}
	}
	return nil
}

// bindSlots binds every JUMP_SLOT of m now (dlopen with RTLD_NOW of a
// module loaded lazily before).
func (l *linker) bindSlots(m *module) error {
	if m.boundNow || m.file == nil || m.file.Dynamic == nil {
		return nil
	}
	for i, r := range m.file.Dynamic.Relocs {
		if r.Kind != objfmt.DynJumpSlot {
			continue
		}
		s, err := l.bindSymbol(m, i, r)
		if err != nil {
			return err
		}
		if err := l.p.Write64(m.base+r.Offset, s); err != nil {
			return fmt.Errorf("%s: dynamic relocation %d (%s) at %#x: %w", m.name, i, r.Kind, m.base+r.Offset, err)
		}
	}
	m.boundNow = true
	return nil
}
