package staticld

import (
	"slices"

	"linkvm/objfmt"
)

// undefinedPass reports every undefined symbol that a relocation of a loaded
// section refers to: one error per symbol, in order of first reference,
// listing every referencing site. A name is undefined if no module defines
// it and some module lists it as an undefined global symbol; names that are
// only ever weak resolve to 0 instead (or, in a shared module, become weak
// imports). A shared module's export defines a name. Sections removed by
// --gc-sections are not looked at. With Config.AllowUndefined, a shared
// module's undefined names are imports, not errors.
func undefinedPass(l *linker) {
	if l.cfg.Shared && l.cfg.AllowUndefined {
		return // they become imports (pass_pic.go)
	}
	// In a link that succeeds no name is undefined: a look at the symbol
	// table spares going through every relocation.
	if !slices.ContainsFunc(l.syms, isUndefined) {
		return
	}
	var undef map[symID]int // symbol → index in diags
	for _, o := range l.objs {
		for si, sec := range o.file.Sections {
			if sec.Flags&objfmt.FlagAlloc == 0 || o.secOut[si] == secGC {
				continue
			}
			for _, r := range sec.Relocs {
				id := o.gids[r.Sym]
				if id == noSym {
					continue
				}
				g := &l.syms[id]
				if !isUndefined(*g) {
					continue
				}
				if undef == nil {
					undef = make(map[symID]int)
				}
				di, ok := undef[id]
				if !ok {
					di = len(l.diags)
					undef[id] = di
					l.report(Diag{Msg: "undefined symbol: " + g.name})
				}
				d := &l.diags[di]
				d.Notes = append(d.Notes, "referenced by "+l.refSite(o, si, r.Offset))
			}
		}
	}
}

// isUndefined reports whether g is an error if referenced: no module or
// shared module defines it and some module references it strongly.
func isUndefined(g globalSym) bool {
	return g.def == noRef && g.shared == noShared && g.strongRef
}
