package staticld

import "linkvm/objfmt"

// symtabPass writes the image's symbol table: every defined symbol of every
// loaded module, locals included (so that traps and disassembly can name
// them), except section symbols, symbols of discarded or removed sections
// and global or weak definitions that lost to another. Modules come in
// objs order, then symbols in file order. Values become addresses and
// section indices refer to the image's sections; a symbol of an empty,
// left-out section becomes absolute.
func symtabPass(l *linker) {
	n := 0
	for _, o := range l.objs {
		n += len(o.file.Symbols)
	}
	syms := make([]objfmt.Symbol, 0, n)
	for _, o := range l.objs {
		for i := range o.file.Symbols {
			if !l.keepSymbol(o, i) {
				continue
			}
			s := o.file.Symbols[i]
			if s.Section >= 0 {
				switch out := o.secOut[s.Section]; out {
				case secEmpty:
					s.Value += o.secAddr[s.Section]
					s.Section = objfmt.SecAbs
				default:
					s.Value += o.secAddr[s.Section]
					s.Section = int(out)
				}
			}
			syms = append(syms, s)
		}
	}
	l.out.Symbols = syms
}

// keepSymbol reports whether symbol i of o goes into the image's symbol
// table (see symtabPass).
func (l *linker) keepSymbol(o *object, i int) bool {
	s := &o.file.Symbols[i]
	if !isDefined(s) || s.Type == objfmt.SymSection {
		return false
	}
	if id := o.gids[i]; id != noSym && l.syms[id].def != (symRef{obj: o.idx, sym: int32(i)}) {
		return false
	}
	if s.Section >= 0 {
		if out := o.secOut[s.Section]; out == secDiscarded || out == secGC {
			return false
		}
	}
	return true
}
