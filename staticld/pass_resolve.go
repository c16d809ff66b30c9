package staticld

import "linkvm/objfmt"

// resolvePass builds the global symbol table from the inputs in order.
//
// Local symbols never enter it. For a global or weak name, the first global
// definition wins over any weak one; among weak definitions the first wins;
// a second global definition is a duplicate, reported with every definition.
// A name that some module lists as an undefined global (not weak) symbol is
// marked strongRef: the undefined pass reports it if nothing defines it.
func resolvePass(l *linker) {
	n := 0
	for _, o := range l.objs {
		for i := range o.file.Symbols {
			if o.file.Symbols[i].Bind != objfmt.BindLocal {
				n++
			}
		}
	}
	l.names = make(map[string]symID, n)
	l.syms = make([]globalSym, 0, n)

	var dupOrder []symID // names with duplicates, in order of discovery
	for oi, o := range l.objs {
		for i := range o.file.Symbols {
			s := &o.file.Symbols[i]
			if s.Bind == objfmt.BindLocal {
				o.gids[i] = noSym
				continue
			}
			id := l.intern(s.Name)
			o.gids[i] = id
			g := &l.syms[id]
			if !isDefined(s) {
				if s.Bind == objfmt.BindGlobal {
					g.strongRef = true
				}
				continue
			}
			ref := symRef{obj: int32(oi), sym: int32(i)}
			switch {
			case g.def == noRef, g.defBind == objfmt.BindWeak && s.Bind == objfmt.BindGlobal:
				g.def, g.defBind = ref, s.Bind
			case g.defBind == objfmt.BindGlobal && s.Bind == objfmt.BindGlobal:
				if g.dups == nil {
					dupOrder = append(dupOrder, id)
				}
				g.dups = append(g.dups, ref)
			}
		}
	}
	for _, id := range dupOrder {
		g := &l.syms[id]
		d := Diag{Msg: "duplicate symbol: " + g.name}
		for _, r := range append([]symRef{g.def}, g.dups...) {
			d.Notes = append(d.Notes, "defined in "+l.defSite(r))
		}
		l.report(d)
	}
}
