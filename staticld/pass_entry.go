package staticld

import (
	"fmt"

	"linkvm/objfmt"
)

// entryPass finds the address of the entry symbol, Config.Entry. It must be
// a defined global or weak symbol at an instruction of a loaded executable
// section (the VM starts nowhere else, so anything else would make an
// image that cannot be run), or absolute. A shared module has none unless
// Config.Entry names one.
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
	o := l.objs[g.def.obj]
	addr, ok := o.symValue(int(g.def.sym))
	if !ok {
		l.errorf("entry symbol %s is defined in a section that is not loaded (%s)", name, l.defSite(g.def))
		return
	}
	if why := l.notInstruction(g.def, addr); why != "" {
		l.errorf("entry symbol %s is not an instruction of an executable section: %s (%s)", name, why, l.defSite(g.def))
		return
	}
	l.entry = addr
}

// notInstruction says why the definition r, at address addr, is not an
// instruction of a loaded executable section, where the VM can start (the
// entry point) or call (init and fini functions); "" if it is one, or if
// it is absolute, which the linker cannot judge.
func (l *linker) notInstruction(r symRef, addr uint64) string {
	o := l.objs[r.obj]
	s := l.sym(r)
	switch {
	case s.Section < 0:
		return ""
	case o.file.Sections[s.Section].Flags&objfmt.FlagExec == 0:
		return fmt.Sprintf("its section %s is not executable", o.file.Sections[s.Section].Name)
	case s.Value >= o.file.Sections[s.Section].Size&^7:
		return fmt.Sprintf("it is at offset %#x, past the last instruction of %s", s.Value, o.file.Sections[s.Section].Name)
	case addr%8 != 0:
		return fmt.Sprintf("its address %#x is not a multiple of 8", addr)
	}
	return ""
}
