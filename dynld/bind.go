package dynld

import (
	"fmt"

	"linkvm/objfmt"
	"linkvm/vm"
)

// Bind resolves the JUMP_SLOT relocation index of module vmod on the
// first call through its PLT stub (system call 14): it finds the symbol
// in scope, writes its address into the stub's GOT slot, so that later
// calls go straight there, and returns it. A symbol nobody defines is an
// *UnresolvedError, which the VM turns into a trap; an unresolved weak
// import binds to 0 (the call then traps as a jump to null).
func (l *linker) Bind(p *vm.Process, vmod *vm.Module, index uint64) (uint64, error) {
	m := l.byVM[vmod]
	if m == nil {
		return 0, fmt.Errorf("lazy binding from a module the loader does not know (%s)", moduleName(vmod))
	}
	relocs := m.dyn().Relocs
	if index >= uint64(len(relocs)) {
		return 0, fmt.Errorf("%s: lazy binding of dynamic relocation %d, but it has %d", m.name, index, len(relocs))
	}
	r := relocs[index]
	if r.Kind != objfmt.DynJumpSlot {
		return 0, fmt.Errorf("%s: lazy binding of dynamic relocation %d, which is %s, not JUMP_SLOT", m.name, index, r.Kind)
	}
	target, err := l.bindSymbol(m, int(index), r)
	if err != nil {
		return 0, err
	}
	if err := p.Write64(m.base+r.Offset, target); err != nil {
		return 0, fmt.Errorf("%s: dynamic relocation %d (JUMP_SLOT) at %#x: %w", m.name, index, m.base+r.Offset, err)
	}
	return target, nil
}

// moduleName names a vm.Module in a message.
func moduleName(m *vm.Module) string {
	if m == nil {
		return "no module"
	}
	return m.Name
}

// runInits runs the init functions of mods, in order, with p.Call. The
// executable's is announced as "initialize program". A module is marked
// initialised before its function runs, so that a dlopen from an init
// function does not run it twice.
func (l *linker) runInits(mods []*module) error {
	for _, m := range mods {
		if m.inited {
			continue
		}
		m.inited = true
		l.inits = append(l.inits, m)
		fn := m.dyn().Init
		if m == l.exe {
			l.dbg.libs("")
			l.dbg.libs("initialize program: %s", m.name)
			l.dbg.libs("")
		} else if fn != 0 {
			l.dbg.libs("")
			l.dbg.libs("calling init: %s", m.path)
			l.dbg.libs("")
		}
		if fn == 0 || l.p == nil {
			continue
		}
		if _, err := l.p.Call(m.base + fn); err != nil {
			return fmt.Errorf("%s: init function: %w", m.name, err)
		}
	}
	return nil
}

// runFinis runs the fini functions of the initialised modules among mods
// in the reverse of the order their inits ran, and forgets them. It stops
// at the first error.
func (l *linker) runFinis(mods map[*module]bool) error {
	var keep []*module
	var run []*module
	for _, m := range l.inits {
		if mods[m] {
			run = append(run, m)
		} else {
			keep = append(keep, m)
		}
	}
	l.inits = keep
	for i := len(run) - 1; i >= 0; i-- {
		m := run[i]
		fn := m.dyn().Fini
		if fn == 0 {
			continue
		}
		l.dbg.libs("")
		l.dbg.libs("calling fini: %s [0]", m.path)
		l.dbg.libs("")
		if _, err := l.p.Call(m.base + fn); err != nil {
			return fmt.Errorf("%s: fini function: %w", m.name, err)
		}
	}
	return nil
}

// Exit runs the fini functions of every module still loaded, in the
// reverse of the order their inits ran, when the program exits normally.
// A fini function that traps stops the others (the VM reports the trap).
func (l *linker) Exit(p *vm.Process) {
	all := make(map[*module]bool, len(l.inits))
	for _, m := range l.inits {
		all[m] = true
	}
	if err := l.runFinis(all); err != nil {
		l.dbg.libs("%v", err)
	}
}
