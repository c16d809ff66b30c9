package staticld

import (
	"cmp"
	"encoding/binary"
	"slices"

	"linkvm/objfmt"
	"linkvm/vm/isa"
)

// dynamicPass fills the GOT and the PLT and, for an output with
// dynamic-linking information, builds File.Dynamic (docs/linking.md,
// "Shared modules"):
//
//   - each sym@got slot holds the symbol's address: written at link time
//     for a symbol bound at link time (with a RELATIVE relocation in a
//     shared module, whose base is not known), or 0 and a GLOB_DAT
//     relocation for an import or an interposable definition;
//   - each PLT stub's slot, after them, holds the address of the stub's
//     lazy entry, with a JUMP_SLOT relocation;
//   - the dynamic relocations are sorted by address (stable), and each
//     stub loads the index of its JUMP_SLOT among them;
//   - Needed, Runpath, Init, Fini, the PLT0 address and, for a shared
//     module, Soname and Version are recorded.
func dynamicPass(l *linker) {
	d := &l.dyn
	if d.gotSec != nil {
		l.fillGOT()
	}
	if !d.dynamic {
		return
	}
	slices.SortStableFunc(d.relocs, func(a, b objfmt.DynReloc) int { return cmp.Compare(a.Offset, b.Offset) })
	dyn := &objfmt.Dynamic{
		Needed:  d.needed,
		Runpath: slices.Clone(l.cfg.Runpath),
		Symbols: d.syms,
		Relocs:  d.relocs,
	}
	if l.cfg.Shared {
		dyn.Soname, dyn.Version = l.cfg.Soname, l.cfg.Version
	}
	if len(d.plt) > 0 {
		l.fillPLT()
		dyn.PLTResolve = l.plt0Addr()
	}
	dyn.Init = l.initFini("-init", l.cfg.Init, "_init")
	dyn.Fini = l.initFini("-fini", l.cfg.Fini, "_fini")
	l.out.Dynamic = dyn
}

// fillGOT writes the GOT slots and records their dynamic relocations.
func (l *linker) fillGOT() {
	d := &l.dyn
	sec := d.gotSec.sec
	for i, ref := range d.got {
		o := l.objs[ref.obj]
		t, id := l.targetOf(o, int(ref.sym))
		s, _ := l.relocTarget(o, int(ref.sym))
		off := uint64(i) * gotSlotSize
		place := sec.Addr + off
		switch {
		case t == tgtImport, t == tgtPreempt:
			s = 0
			d.relocs = append(d.relocs, objfmt.DynReloc{Offset: place, Kind: objfmt.DynGlobDat, Sym: int(d.dynIdx[id])})
		case t == tgtLocal && l.cfg.Shared:
			d.relocs = append(d.relocs, objfmt.DynReloc{Offset: place, Kind: objfmt.DynRelative, Sym: -1, Addend: int64(s)})
		}
		binary.LittleEndian.PutUint64(sec.Data[off:], s)
	}
	for j, id := range d.plt {
		off := uint64(len(d.got)+j) * gotSlotSize
		lazy := l.pltStubAddr(j) + pltLazy
		binary.LittleEndian.PutUint64(sec.Data[off:], lazy)
		d.relocs = append(d.relocs, objfmt.DynReloc{Offset: sec.Addr + off, Kind: objfmt.DynJumpSlot, Sym: int(d.dynIdx[id]), Addend: int64(lazy)})
	}
}

// fillPLT writes PLT0 and the stubs, once the dynamic relocations are in
// their final order:
//
//	PLT0:    sys 14
//	PLTn:    ldpc ip, GOTn
//	         jr   ip
//	         li   ip, RELIDX
//	         jmp  PLT0
func (l *linker) fillPLT() {
	d := &l.dyn
	sec := d.text.sec
	got := d.gotSec.sec.Addr
	plt0 := l.plt0Addr()
	put := func(off uint64, op isa.Op, ra uint8, imm int64) {
		binary.LittleEndian.PutUint64(sec.Data[off:], isa.Encode(op, ra, 0, 0, int32(imm)))
	}
	put(d.pltOff, isa.SYS, 0, sysBind)
	for ri, r := range d.relocs {
		if r.Kind != objfmt.DynJumpSlot {
			continue
		}
		j := (r.Offset-got)/gotSlotSize - uint64(len(d.got))
		stub := l.pltStubAddr(int(j))
		off := stub - sec.Addr
		put(off, isa.LDPC, isa.RegIP, int64(r.Offset)-int64(stub))
		put(off+8, isa.JR, isa.RegIP, 0)
		put(off+16, isa.LI, isa.RegIP, int64(ri))
		put(off+24, isa.JMP, 0, int64(plt0)-int64(stub+24))
	}
}

// plt0Addr returns the address of PLT0, the lazy-binding entry.
func (l *linker) plt0Addr() uint64 { return l.dyn.text.sec.Addr + l.dyn.pltOff }

// pltStubAddr returns the address of PLT stub j.
func (l *linker) pltStubAddr(j int) uint64 {
	return l.plt0Addr() + plt0Size + uint64(j)*pltStubSize
}

// gotAddr returns the address of the GOT slot of symbol i of o.
func (l *linker) gotAddr(o *object, i int) uint64 {
	d := &l.dyn
	var k int32
	if id := o.gids[i]; id != noSym {
		k = d.gotGlobal[id]
	} else {
		k = d.gotLocal[symRef{obj: o.idx, sym: int32(i)}]
	}
	return d.gotSec.sec.Addr + uint64(k)*gotSlotSize
}

// pltAddr returns the address of the PLT stub that a relocation of kind k
// against symbol i of o, on an instruction op, goes through; ok is false
// if it is bound directly.
func (l *linker) pltAddr(o *object, i int, k objfmt.RelocKind, op isa.Op) (addr uint64, ok bool) {
	d := &l.dyn
	id := o.gids[i]
	if id == noSym || d.pltIdx == nil || d.pltIdx[id] < 0 || (k == objfmt.RelInsnPC && !isBranch(op)) {
		return 0, false
	}
	return l.pltStubAddr(int(d.pltIdx[id])), true
}

// dynAbs64 returns the value an ABS64 relocation r of o at address place,
// in writable data, stores at link time, S + A, and records the dynamic
// relocation it needs, if any: ABS64 (storing 0) for an import or an
// interposable definition, RELATIVE for an address in a shared module.
func (l *linker) dynAbs64(o *object, r *objfmt.Reloc, s, place uint64) uint64 {
	d := &l.dyn
	v := s + uint64(r.Addend)
	switch t, id := l.targetOf(o, r.Sym); {
	case t == tgtImport, t == tgtPreempt:
		d.relocs = append(d.relocs, objfmt.DynReloc{Offset: place, Kind: objfmt.DynAbs64, Sym: int(d.dynIdx[id]), Addend: r.Addend})
		return 0
	case t == tgtLocal && l.cfg.Shared:
		d.relocs = append(d.relocs, objfmt.DynReloc{Offset: place, Kind: objfmt.DynRelative, Sym: -1, Addend: int64(v)})
	}
	return v
}

// initFini returns the address of the init or fini function: the symbol
// named by the option (an error if it is not defined in a loaded section),
// or else the default name if it is defined; 0 if none. Either must be an
// instruction of an executable section.
func (l *linker) initFini(option, name, def string) uint64 {
	explicit := name != ""
	if !explicit {
		name = def
	}
	g := l.lookup(name)
	if g == nil || g.def == noRef || l.sym(g.def).Section < 0 {
		if explicit {
			l.errorf("%s: symbol %s is not defined in a loaded section", option, name)
		}
		return 0
	}
	addr, ok := l.objs[g.def.obj].symValue(int(g.def.sym))
	if !ok {
		if explicit {
			l.errorf("%s: symbol %s is defined in a section that is not loaded (%s)", option, name, l.defSite(g.def))
		}
		return 0
	}
	if why := l.notInstruction(g.def, addr); why != "" {
		what := option + ": symbol " + name
		if !explicit {
			what = "symbol " + name + " (the default " + option + ")"
		}
		l.errorf("%s is not an instruction of an executable section: %s (%s)", what, why, l.defSite(g.def))
		return 0
	}
	return addr
}
