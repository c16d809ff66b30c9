package staticld

import "linkvm/objfmt"

// dynsymPass builds the dynamic symbol table of an output with
// dynamic-linking information, once addresses are known: first the
// exports, in symbol-table order (modules in link order, then symbols in
// file order), then the imports, in order of first use.
//
// A shared module exports every global and weak definition of a loaded
// section; an executable only those that a shared module input imports,
// or all of them with Config.ExportDynamic. Absolute symbols are never
// exported. An import is weak if every reference to it is weak; its type
// is that of the shared module's export, if any.
func dynsymPass(l *linker) {
	d := &l.dyn
	if !d.dynamic {
		return
	}
	d.dynIdx = perSym(len(l.syms))
	for _, o := range l.objs {
		for i := range o.file.Symbols {
			id := o.gids[i]
			if id == noSym || !l.keepSymbol(o, i) {
				continue
			}
			s := &o.file.Symbols[i]
			g := &l.syms[id]
			if s.Section < 0 || !(l.cfg.Shared || l.cfg.ExportDynamic || g.sharedRef) {
				continue
			}
			d.dynIdx[id] = int32(len(d.syms))
			d.syms = append(d.syms, objfmt.DynSymbol{
				Name: g.name, Bind: s.Bind, Type: s.Type, Defined: true,
				Value: o.secAddr[s.Section] + s.Value, Size: s.Size,
			})
		}
	}
	for _, id := range d.imports {
		g := &l.syms[id]
		ds := objfmt.DynSymbol{Name: g.name, Bind: objfmt.BindWeak}
		if g.strongRef {
			ds.Bind = objfmt.BindGlobal
		}
		if g.shared != noShared {
			ds.Type = l.sharedSym(g.shared).Type
		}
		d.dynIdx[id] = int32(len(d.syms))
		d.syms = append(d.syms, ds)
	}
}
