package staticld

import (
	"fmt"

	"linkvm/objfmt"
	"linkvm/vm/isa"
)

// dynState is what the pic, layout, dynsym, relocate and dynamic passes
// share about GOT slots, PLT stubs and dynamic-linking information. Tables
// indexed by symID are allocated only when a link needs them, so a static
// link without @got pays nothing.
type dynState struct {
	// dynamic is set when the output gets dynamic-linking information: a
	// shared module, or an executable that needs a shared module.
	dynamic bool
	// needed are the sonames the output needs, in command-line order.
	needed []string
	// imports are the names resolved at load time, in order of first use.
	imports []symID
	// imported is, per symID, whether the name is in imports.
	imported []bool
	// got are the GOT slots of sym@got, in order of first use, each named
	// by the first reference to it; the PLT's slots follow them in .got.
	got []symRef
	// gotGlobal is, per symID, the index of its slot in got, or -1;
	// gotLocal the same for local symbols.
	gotGlobal []int32
	gotLocal  map[symRef]int32
	// plt are the names with a PLT stub, in order of first use; pltIdx
	// gives, per symID, the index of its stub or -1.
	plt    []symID
	pltIdx []int32
	// dynIdx is, per symID, its index in Dynamic.Symbols or -1; set by
	// dynsymPass.
	dynIdx []int32
	// text is the output section .text when the linker writes at its start
	// (a shared module's first word, the PLT); gotSec is .got; both are
	// set by layout when they exist.
	text, gotSec *outSection
	// pltOff is the offset of PLT0 in .text (the PLT is part of .text, so
	// that a call through it stays in one code section).
	pltOff uint64
	// relocs are the dynamic relocations, in the order found.
	relocs []objfmt.DynReloc
	// syms is the dynamic symbol table, set by dynsymPass.
	syms []objfmt.DynSymbol
}

// PLT geometry (docs/linking.md, "GOT and PLT").
const (
	plt0Size    = isa.WordSize         // PLT0: sys 14
	pltStubSize = objfmt.PLTStubSize   // ldpc ip, GOTn; jr ip; li ip, RELIDX; jmp PLT0
	pltLazy     = objfmt.PLTLazyOffset // offset in a stub of its lazy entry (li)
	gotSlotSize = 8
	// sysBind is the system call PLT0 makes to bind a JUMP_SLOT.
	sysBind = 14
)

// target says how a relocation's symbol is bound.
type target uint8

// Targets.
const (
	// tgtLocal is an address in this output, fixed at link time relative
	// to the output's base.
	tgtLocal target = iota
	// tgtAbs is a constant: an absolute symbol, or an undefined weak
	// symbol of an executable (0).
	tgtAbs
	// tgtPreempt is a global or weak definition of this shared module,
	// which another module loaded earlier may interpose (ELF's default).
	tgtPreempt
	// tgtImport is defined in another module and resolved at load time.
	tgtImport
)

// targetOf returns how symbol i of o is bound, and its symID (noSym for a
// local symbol).
func (l *linker) targetOf(o *object, i int) (target, symID) {
	id := o.gids[i]
	if id == noSym {
		if o.file.Symbols[i].Section == objfmt.SecAbs {
			return tgtAbs, id
		}
		return tgtLocal, id
	}
	g := &l.syms[id]
	switch {
	case g.def != noRef:
		switch {
		case l.sym(g.def).Section == objfmt.SecAbs:
			return tgtAbs, id
		case l.cfg.Shared && !l.cfg.Symbolic:
			return tgtPreempt, id
		}
		return tgtLocal, id
	case g.shared != noShared, l.cfg.Shared:
		return tgtImport, id
	}
	return tgtAbs, id // undefined weak: 0
}

// isBranch reports whether op transfers control to its target, so that a
// PLT stub can stand in for the target.
func isBranch(op isa.Op) bool {
	switch op {
	case isa.JMP, isa.CALL, isa.BEQ, isa.BNE, isa.BLT, isa.BGE, isa.BLTU, isa.BGEU, isa.BEQZ, isa.BNEZ:
		return true
	}
	return false
}

// picPass decides, before layout, what each relocation of a loaded section
// needs: a GOT slot (sym@got), a PLT stub (sym@plt, or a call to another
// module or to an interposable function), a dynamic relocation (an
// absolute pointer in writable data that depends on a load address), or
// nothing; and reports the relocations that position-independent code
// cannot have (docs/linking.md, "Shared modules"). It first decides which
// shared modules are needed.
func picPass(l *linker) {
	d := &l.dyn
	l.markUsedShared()
	for _, sh := range l.shlibs {
		if (!sh.asNeeded || sh.used) && !contains(d.needed, sh.soname) {
			d.needed = append(d.needed, sh.soname)
		}
	}
	d.dynamic = l.cfg.Shared || len(d.needed) > 0
	for _, o := range l.objs {
		for si, sec := range o.file.Sections {
			if sec.Flags&objfmt.FlagAlloc == 0 || o.secOut[si] == secGC {
				continue
			}
			for ri := range sec.Relocs {
				r := &sec.Relocs[ri]
				if d.dynamic || r.Kind == objfmt.RelInsnGot {
					l.scanReloc(o, si, r)
				}
			}
		}
	}
}

// markUsedShared marks the shared modules that define a name some linked
// module refers to (an undefined global or weak symbol).
func (l *linker) markUsedShared() {
	if len(l.shlibs) == 0 {
		return
	}
	for _, o := range l.objs {
		for i := range o.file.Symbols {
			if id := o.gids[i]; id != noSym && !isDefined(&o.file.Symbols[i]) {
				if g := &l.syms[id]; g.def == noRef && g.shared != noShared {
					l.shlibs[g.shared.lib].used = true
				}
			}
		}
	}
}

// contains reports whether list holds s.
func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// scanReloc records what relocation r of section si of o needs, or
// reports why it cannot be linked.
func (l *linker) scanReloc(o *object, si int, r *objfmt.Reloc) {
	t, id := l.targetOf(o, r.Sym)
	sec := o.file.Sections[si]
	external := t == tgtImport || t == tgtPreempt
	switch r.Kind {
	case objfmt.RelInsnGot:
		l.gotSlot(o, r.Sym, id)
	case objfmt.RelInsnPLT:
		if external {
			l.pltStub(id)
		}
	case objfmt.RelInsnPC:
		if !external {
			break
		}
		if op := isa.Op(sec.Data[r.Offset]); isBranch(op) {
			l.pltStub(id)
		} else {
			l.picError(o, si, r, t, id, op)
		}
	case objfmt.RelPC32:
		if external {
			l.picError(o, si, r, t, id, 0)
		}
	case objfmt.RelInsnAbs, objfmt.RelAbs32:
		if t == tgtImport || (l.cfg.Shared && t != tgtAbs) {
			l.picError(o, si, r, t, id, 0)
		}
	case objfmt.RelAbs64:
		if t == tgtImport || (l.cfg.Shared && t != tgtAbs) {
			if sec.Flags&objfmt.FlagWrite == 0 {
				l.picError(o, si, r, t, id, 0)
			}
		}
	default:
		return
	}
	if t == tgtImport {
		l.importSym(id)
	}
}

// perSym returns a table of n entries, all -1.
func perSym(n int) []int32 {
	t := make([]int32, n)
	for i := range t {
		t[i] = -1
	}
	return t
}

// gotSlot gives symbol i of o (global id, or local) a GOT slot.
func (l *linker) gotSlot(o *object, i int, id symID) {
	d := &l.dyn
	ref := symRef{obj: o.idx, sym: int32(i)}
	if id == noSym {
		if d.gotLocal == nil {
			d.gotLocal = make(map[symRef]int32)
		}
		if _, ok := d.gotLocal[ref]; !ok {
			d.gotLocal[ref] = int32(len(d.got))
			d.got = append(d.got, ref)
		}
		return
	}
	if d.gotGlobal == nil {
		d.gotGlobal = perSym(len(l.syms))
	}
	if d.gotGlobal[id] < 0 {
		d.gotGlobal[id] = int32(len(d.got))
		d.got = append(d.got, ref)
	}
}

// pltStub gives the global name id a PLT stub.
func (l *linker) pltStub(id symID) {
	d := &l.dyn
	if d.pltIdx == nil {
		d.pltIdx = perSym(len(l.syms))
	}
	if d.pltIdx[id] < 0 {
		d.pltIdx[id] = int32(len(d.plt))
		d.plt = append(d.plt, id)
	}
}

// importSym records that the name id is resolved at load time.
func (l *linker) importSym(id symID) {
	d := &l.dyn
	if d.imported == nil {
		d.imported = make([]bool, len(l.syms))
	}
	if !d.imported[id] {
		d.imported[id] = true
		d.imports = append(d.imports, id)
	}
}

// importDesc says where an imported name comes from, for messages:
// "defined in libx.vso", or "left to the loader" for a name no shared
// module input defines.
func (l *linker) importDesc(id symID) string {
	if g := &l.syms[id]; g.shared != noShared {
		return "defined in " + l.shlibs[g.shared.lib].name
	}
	return "left undefined for the loader"
}

// picError reports a relocation that cannot be linked into position-
// independent code, with a hint; op is the instruction's opcode for an
// INSN_PC relocation.
func (l *linker) picError(o *object, si int, r *objfmt.Reloc, t target, id symID, op isa.Op) {
	sec := o.file.Sections[si]
	name := l.symName(o, r.Sym)
	site := fmt.Sprintf("%s:(%s+%#x): ", o.name, sec.Name, r.Offset)
	var msg string
	switch r.Kind {
	case objfmt.RelInsnPC, objfmt.RelPC32:
		what := "relocation PC32"
		hint := fmt.Sprintf("put its address in writable data with '.quad %s'", name)
		if r.Kind == objfmt.RelInsnPC {
			what = op.String() + " (INSN_PC)"
			if op == isa.LEA {
				what = "la/lea (INSN_PC)"
			}
			hint = fmt.Sprintf("load its address with 'ldpc r, %s@got'", name)
		}
		if t == tgtImport {
			msg = fmt.Sprintf("%s of '%s', %s, cannot reach another module; %s", what, name, l.importDesc(id), hint)
		} else {
			msg = fmt.Sprintf("%s of '%s', a global symbol of this shared module that another module may interpose, cannot be bound at link time; %s, make the symbol local or link with -Bsymbolic", what, name, hint)
		}
	case objfmt.RelAbs64:
		where := "read-only section " + sec.Name
		if l.cfg.Shared {
			where += " of a shared module"
		}
		if t == tgtImport {
			msg = fmt.Sprintf("relocation ABS64 in %s against '%s', %s, needs the load address, but read-only sections are never written at load time; move it to .data", where, name, l.importDesc(id))
		} else {
			msg = fmt.Sprintf("relocation ABS64 in %s against '%s' needs the load address, but read-only sections are never written at load time; move it to .data", where, name)
		}
	default: // INSN_ABS, ABS32
		hint := fmt.Sprintf("use 'la' (pc-relative) or 'ldpc r, %s@got'", name)
		if r.Kind == objfmt.RelAbs32 {
			hint = fmt.Sprintf("use '.quad %s' in writable data", name)
		}
		if t == tgtImport && !l.cfg.Shared {
			msg = fmt.Sprintf("relocation %s against '%s', %s, cannot be resolved at link time; %s", r.Kind, name, l.importDesc(id), hint)
		} else {
			msg = fmt.Sprintf("relocation %s against '%s' cannot be used in a shared module; %s", r.Kind, name, hint)
		}
	}
	l.report(Diag{Msg: site + msg, Notes: l.relocNotes(o, si, r)})
}
