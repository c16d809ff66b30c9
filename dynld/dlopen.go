package dynld

import (
	"errors"
	"fmt"

	"linkvm/vm"
)

// dlopen flags (docs/syscalls.md).
const (
	RTLDLazy   = 1     // RTLD_LAZY: bind PLT calls on first call (the default)
	RTLDNow    = 2     // RTLD_NOW: bind every PLT call of the new modules now
	RTLDGlobal = 0x100 // RTLD_GLOBAL: add the module and its dependencies to the global scope
)

// Open implements dlopen(name, flags): it loads the module name (a path if
// it contains '/', otherwise searched like a module needed by the
// executable) with its dependencies, relocates and initialises the new
// ones, and returns the module's handle. Opening a loaded module again
// returns the same handle and counts one more reference (and with
// RTLD_NOW binds the calls of the module and its dependencies that are
// still lazy). "" is the
// executable, whose handle looks in the global scope. On failure nothing
// stays loaded and the error is dlerror's text, such as "libnope.vso:
// cannot open shared module: not found (searched: ...)".
func (l *linker) Open(p *vm.Process, name string, flags uint64) (uint64, error) {
	if name == "" {
		l.exe.opens++
		return l.exe.id, nil
	}
	before := len(l.mods)
	m, isNew, err := l.require(name, l.exe, l.exe.name)
	if err != nil {
		return 0, dlopenError(name, err)
	}
	var fresh []*module
	if isNew {
		fresh = append(fresh, m)
		deps, err := l.loadDeps([]*module{m})
		fresh = append(fresh, deps...)
		if err != nil {
			l.discard(before)
			return 0, dlopenError(name, err)
		}
		for _, f := range fresh {
			f.owner = m
		}
		bindNow := l.cfg.BindNow || flags&RTLDNow != 0
		for i := len(fresh) - 1; i >= 0; i-- {
			if err := l.relocate(fresh[i], bindNow); err != nil {
				l.discard(before)
				return 0, fmt.Errorf("%s: %w", name, err)
			}
		}
	}
	if !isNew && flags&RTLDNow != 0 && !l.cfg.BindNow {
		for _, d := range m.localScope() {
			if err := l.bindSlots(d); err != nil {
				return 0, fmt.Errorf("%s: %w", name, err)
			}
		}
	}
	if flags&RTLDGlobal != 0 {
		l.addGlobal(m.localScope())
	}
	m.opens++
	l.dbg.libs("opening file=%s [0]; direct_opencount=%d", m.name, m.opens)
	l.dbg.libs("")
	if err := l.runInits(initOrder([]*module{m})); err != nil {
		m.opens--
		if serr := l.sweep(); serr != nil {
			err = errors.Join(err, serr)
		}
		return 0, err
	}
	return m.id, nil
}

// dlopenError turns a search error into dlerror's text.
func dlopenError(name string, err error) error {
	var nf *NotFoundError
	if errors.As(err, &nf) && nf.Name == name {
		return fmt.Errorf("%s: cannot open shared module: not found (searched: %s)", name, triedList(nf.Tried))
	}
	if errors.As(err, &nf) {
		return fmt.Errorf("%s: cannot open shared module: not found (needed by %s; searched: %s)", nf.Name, nf.NeededBy, triedList(nf.Tried))
	}
	var inc *IncompatibleError
	if errors.As(err, &inc) {
		return err
	}
	return fmt.Errorf("%s: cannot open shared module: %w", name, err)
}

// discard unloads the modules loaded after the first n (a dlopen that
// failed before running any init function).
func (l *linker) discard(n int) {
	for i := len(l.mods) - 1; i >= n; i-- {
		l.forget(l.mods[i])
		if l.mods[i].vm != nil {
			_ = l.p.UnmapModule(l.mods[i].vm)
		}
	}
	l.mods = l.mods[:n]
}

// forget removes m from the linker's indexes and the global scope.
func (l *linker) forget(m *module) {
	for k, v := range l.bySoname {
		if v == m {
			delete(l.bySoname, k)
		}
	}
	if l.byAbs[m.abs] == m {
		delete(l.byAbs, m.abs)
	}
	delete(l.byVM, m.vm)
	delete(l.byID, m.id)
	if m.global {
		g := l.global[:0]
		for _, x := range l.global {
			if x != m {
				g = append(g, x)
			}
		}
		l.global = g
	}
}

// Sym implements dlsym(handle, name): the address of name in the global
// scope (handle 0, or the executable's handle) or in the module's local
// scope (the module, then its dependencies breadth-first).
func (l *linker) Sym(p *vm.Process, handle uint64, name string) (uint64, error) {
	if handle == 0 || handle == l.exe.id {
		if _, addr, ok := l.lookupIn(l.global, nil, name); ok {
			return addr, nil
		}
		return 0, fmt.Errorf("%s: undefined symbol: %s", l.exe.name, name)
	}
	m := l.byID[handle]
	if m == nil || m.opens == 0 {
		return 0, fmt.Errorf("invalid handle %d", handle)
	}
	if _, addr, ok := l.lookupIn(m.localScope(), nil, name); ok {
		return addr, nil
	}
	return 0, fmt.Errorf("%s: undefined symbol: %s", m.name, name)
}

// Close implements dlclose(handle): it drops one reference; when a module
// loses its last one, it and the dependencies nothing else keeps are
// finalised (fini functions, in reverse init order) and unmapped. Modules
// loaded with the program stay.
func (l *linker) Close(p *vm.Process, handle uint64) error {
	m := l.byID[handle]
	if m == nil || m.opens == 0 {
		return fmt.Errorf("invalid handle %d", handle)
	}
	m.opens--
	l.dbg.libs("")
	l.dbg.libs("closing file=%s; direct_opencount=%d", m.name, m.opens)
	if m.opens > 0 {
		return nil
	}
	return l.sweep()
}

// sweep unloads every module that is neither loaded with the program nor
// reachable through Needed from one that is or from a module with dlopen
// references. Fini functions run first (reverse init order), then the
// modules are unmapped in reverse load order.
func (l *linker) sweep() error {
	live := make(map[*module]bool)
	for _, m := range l.mods {
		if m.startup || m.opens > 0 {
			for _, d := range m.localScope() {
				live[d] = true
			}
		}
	}
	dead := make(map[*module]bool)
	for _, m := range l.mods {
		if !live[m] {
			dead[m] = true
		}
	}
	if len(dead) == 0 {
		return nil
	}
	err := l.runFinis(dead)
	keep := l.mods[:0]
	var gone []*module
	for _, m := range l.mods {
		if dead[m] {
			gone = append(gone, m)
		} else {
			keep = append(keep, m)
		}
	}
	l.mods = keep
	for i := len(gone) - 1; i >= 0; i-- {
		m := gone[i]
		l.dbg.libs("")
		l.dbg.libs("file=%s [0];  destroying link map", m.name)
		l.forget(m)
		if uerr := l.p.UnmapModule(m.vm); uerr != nil && err == nil {
			err = uerr
		}
	}
	return err
}
