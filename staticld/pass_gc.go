package staticld

import (
	"cmp"

	"linkvm/objfmt"
)

// gcPass implements --gc-sections: it marks the loaded input sections that
// the roots reach through relocations and removes the others before
// layout, as ld does. The roots are the sections defining the entry symbol
// and the Config.Undefined symbols. A relocation reaches the section of
// the definition its symbol resolves to (for a global or weak name, the
// one resolve chose). Relocations of removed sections are never applied, so
// their undefined symbols are not errors.
//
// In a shared module every global and weak definition is a root too, and
// in an executable linked with shared modules, the definitions they import
// (or all, with Config.ExportDynamic); the init and fini functions are
// roots when they exist.
//
// If the entry symbol of an executable is not defined, nothing is
// removed: the entry pass reports it, and undefined references are still
// all reported.
// With PrintGCSections each removed section is logged, in object then
// section order: "removing unused section 'a.vo:(.text.unused)'".
func gcPass(l *linker) {
	if !l.cfg.GCSections {
		return
	}
	entry := l.lookup(l.cfg.Entry)
	if !l.cfg.Shared && (entry == nil || entry.def == noRef) {
		return
	}
	g := gcState{l: l, base: make([]int, len(l.objs)+1)}
	for i, o := range l.objs {
		g.base[i+1] = g.base[i] + len(o.file.Sections)
	}
	g.live = make([]bool, g.base[len(l.objs)])
	if entry != nil && entry.def != noRef {
		g.mark(entry.def)
	}
	roots := l.cfg.Undefined
	if l.cfg.Shared {
		// Every export is a root, and so are the init and fini functions.
		for i := range l.syms {
			if l.syms[i].def != noRef {
				g.mark(l.syms[i].def)
			}
		}
	} else if l.dyn.dynamic || len(l.shlibs) > 0 {
		// The names a shared module imports may be exported.
		for i := range l.syms {
			if s := &l.syms[i]; s.def != noRef && (s.sharedRef || l.cfg.ExportDynamic) {
				g.mark(s.def)
			}
		}
	}
	if l.cfg.Shared || len(l.shlibs) > 0 {
		roots = append(roots[:len(roots):len(roots)], cmp.Or(l.cfg.Init, "_init"), cmp.Or(l.cfg.Fini, "_fini"))
	}
	for _, name := range roots {
		if s := l.lookup(name); s != nil && s.def != noRef {
			g.mark(s.def)
		}
	}
	for len(g.work) > 0 {
		r := g.work[len(g.work)-1]
		g.work = g.work[:len(g.work)-1]
		o := l.objs[r.obj]
		for _, rel := range o.file.Sections[r.sec].Relocs {
			def := symRef{obj: r.obj, sym: int32(rel.Sym)}
			if id := o.gids[rel.Sym]; id != noSym {
				def = l.syms[id].def
			}
			if def != noRef {
				g.mark(def)
			}
		}
	}
	for oi, o := range l.objs {
		for si, s := range o.file.Sections {
			if s.Flags&objfmt.FlagAlloc == 0 || g.live[g.base[oi]+si] {
				continue
			}
			o.secOut[si] = secGC
			l.gcRemoved++
			if l.cfg.PrintGCSections {
				l.log(SevInfo, "removing unused section '"+o.name+":("+s.Name+")'")
			}
		}
	}
}

// gcState is the marking state of gcPass.
type gcState struct {
	l *linker
	// base[i] is the index in live of object i's first section.
	base []int
	// live is set for every section reached so far.
	live []bool
	// work holds the sections reached but not yet scanned.
	work []secRef
}

// secRef names one section of one object.
type secRef struct {
	obj int32 // index in linker.objs
	sec int32 // index in the object's Sections
}

// mark marks the section defining symbol r, if it has one, and queues it
// for scanning the first time.
func (g *gcState) mark(r symRef) {
	s := g.l.sym(r)
	if s.Section < 0 {
		return // absolute or undefined
	}
	i := g.base[r.obj] + s.Section
	if !g.live[i] {
		g.live[i] = true
		g.work = append(g.work, secRef{obj: r.obj, sec: int32(s.Section)})
	}
}
