package staticld

// entryPass finds the address of the entry symbol, Config.Entry. It must be
// a defined global or weak symbol of a loaded section, or absolute. A
// shared module has none unless Config.Entry names one.
func entryPass(l *linker) {
	name := l.cfg.Entry
	if name == "" {
		return
	}
	g := l.lookup(name)
	if g == nil || g.def == noRef {
		l.errorf("undefined entry symbol: %s", name)
		return
	}
	addr, ok := l.objs[g.def.obj].symValue(int(g.def.sym))
	if !ok {
		l.errorf("entry symbol %s is defined in a section that is not loaded (%s)", name, l.defSite(g.def))
		return
	}
	l.entry = addr
}
