package dynld

// The global scope is ELF's: the executable, then the preloaded modules,
// then the modules loaded with the program in breadth-first order, then
// modules dlopen'ed with RTLD_GLOBAL (with their dependencies). The first
// module in scope order that defines (exports) a symbol provides it; a
// weak definition counts like a global one, as in glibc.
//
// A module loaded by dlopen without RTLD_GLOBAL resolves its references
// in the global scope first, then in the local scope of the module dlopen
// was called for: that module and its dependencies, breadth-first.

// addGlobal appends the modules not yet in the global scope to it.
func (l *linker) addGlobal(mods []*module) {
	for _, m := range mods {
		if m != nil && m.file != nil && !m.global {
			m.global = true
			l.global = append(l.global, m)
		}
	}
}

// definition returns the address of the symbol name if module m exports
// it.
func definition(m *module, name string) (uint64, bool) {
	d := m.file.Dynamic
	i, ok := d.Lookup(name)
	if !ok || i < 0 || i >= len(d.Symbols) {
		return 0, false
	}
	return m.base + d.Symbols[i].Value, true
}

// lookupIn searches the modules of scope in order, skipping those in
// skip, and returns the first definition of name.
func (l *linker) lookupIn(scope []*module, skip map[*module]bool, name string) (*module, uint64, bool) {
	for _, m := range scope {
		if m == nil || m.file == nil || skip[m] {
			continue
		}
		l.dbg.lookup(name, m)
		if addr, ok := definition(m, name); ok {
			return m, addr, true
		}
	}
	return nil, 0, false
}

// resolve finds the definition of name for a reference from module from:
// in the global scope, then (for a module dlopen'ed locally) in its
// owner's local scope. It returns the defining module and the address.
func (l *linker) resolve(name string, from *module) (*module, uint64, bool) {
	if def, addr, ok := l.lookupIn(l.global, nil, name); ok {
		return def, addr, true
	}
	if from != nil && from.owner != nil {
		inGlobal := make(map[*module]bool, len(l.global))
		for _, m := range l.global {
			inGlobal[m] = true
		}
		return l.lookupIn(from.owner.localScope(), inGlobal, name)
	}
	return nil, 0, false
}
