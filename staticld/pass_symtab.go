package staticld

import "linkvm/objfmt"

// symtabPass writes the image's symbol table: every defined symbol of every
// input, locals included (so that traps and disassembly can name them),
// except section symbols, symbols of discarded sections and global or weak
// definitions that lost to another. Inputs come in order, then symbols in
// file order. Values become addresses and section indices refer to the
// image's sections; a symbol of an empty, left-out section becomes absolute.
func symtabPass(l *linker) {
	n := 0
	for _, o := range l.objs {
		n += len(o.file.Symbols)
	}
	syms := make([]objfmt.Symbol, 0, n)
	for _, o := range l.objs {
		for i := range o.file.Symbols {
			s := o.file.Symbols[i]
			if !isDefined(&s) || s.Type == objfmt.SymSection {
				continue
			}
			if id := o.gids[i]; id != noSym && l.syms[id].def != (symRef{obj: o.idx, sym: int32(i)}) {
				continue
			}
			if s.Section >= 0 {
				switch out := o.secOut[s.Section]; out {
				case secDiscarded:
					continue
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
