package objfmt

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestPLTStubsAndJumpSlots(t *testing.T) {
	d := &Dynamic{
		PLTResolve: 0x1000,
		Symbols:    []DynSymbol{{Name: "puts"}, {Name: "greet"}, {Name: "counter"}},
		Relocs: []DynReloc{
			{Offset: 0x3010, Kind: DynJumpSlot, Sym: 1, Addend: 0x1008 + 32 + PLTLazyOffset}, // stub 1
			{Offset: 0x3020, Kind: DynRelative, Sym: -1, Addend: 0x40},
			{Offset: 0x3008, Kind: DynJumpSlot, Sym: 0, Addend: 0x1008 + PLTLazyOffset}, // stub 0
			{Offset: 0x3028, Kind: DynGlobDat, Sym: 2},
			{Offset: 0x3030, Kind: DynJumpSlot, Sym: 7, Addend: 0x1048 + PLTLazyOffset}, // no such symbol
			{Offset: 0x3038, Kind: DynJumpSlot, Sym: 1, Addend: 8},                      // before any stub
		},
	}
	assert.Equal(t, []PLTStub{{Addr: 0x1008, Sym: "puts"}, {Addr: 0x1028, Sym: "greet"}}, d.PLTStubs())
	assert.Equal(t, "greet", d.JumpSlotSymbol(0))
	assert.Equal(t, "puts", d.JumpSlotSymbol(2))
	for _, i := range []uint64{1, 3, 4, 6, 1 << 63} {
		assert.Empty(t, d.JumpSlotSymbol(i), "relocation %d", i)
	}
}
