package objfmt

import (
	"cmp"
	"slices"
)

// The PLT of a dynamic image or module (docs/linking.md, "GOT and PLT"):
// PLT0 at Dynamic.PLTResolve, then one stub per imported function,
//
//	ldpc ip, GOTn; jr ip; li ip, RELIDX; jmp PLT0
//
// whose JUMP_SLOT relocation (number RELIDX) first points at the stub's
// lazy entry, the li. The linker writes this layout; what names code
// addresses (the VM's frames and traps, vmdbg) reads it back with
// PLTStubs.
const (
	// PLTStubSize is the size of one PLT stub.
	PLTStubSize = 32
	// PLTLazyOffset is the offset of a stub's lazy entry, where its
	// JUMP_SLOT relocation's addend points.
	PLTLazyOffset = 16
)

// PLTStub is one PLT stub of a module.
type PLTStub struct {
	// Addr is the stub's first instruction, relative to the module base.
	Addr uint64
	// Sym is the function the stub calls.
	Sym string
}

// PLTStubs returns the module's PLT stubs sorted by address, one per
// JUMP_SLOT relocation naming a symbol, found from the relocation's
// addend. It checks nothing about the code there: the result names
// addresses, it does not say what runs.
func (d *Dynamic) PLTStubs() []PLTStub {
	var stubs []PLTStub
	for i, r := range d.Relocs {
		if name := d.JumpSlotSymbol(uint64(i)); name != "" && r.Addend >= PLTLazyOffset {
			stubs = append(stubs, PLTStub{Addr: uint64(r.Addend) - PLTLazyOffset, Sym: name})
		}
	}
	slices.SortStableFunc(stubs, func(a, b PLTStub) int { return cmp.Compare(a.Addr, b.Addr) })
	return stubs
}

// JumpSlotSymbol returns the name of the function the JUMP_SLOT
// relocation number i binds: what PLT0's sys 14 resolves when ip is i.
// It returns "" if relocation i does not exist, is not a JUMP_SLOT or
// names no symbol.
func (d *Dynamic) JumpSlotSymbol(i uint64) string {
	if i >= uint64(len(d.Relocs)) {
		return ""
	}
	r := d.Relocs[i]
	if r.Kind != DynJumpSlot || r.Sym < 0 || r.Sym >= len(d.Symbols) {
		return ""
	}
	return d.Symbols[r.Sym].Name
}
