package objfmt

import "linkvm/vm/isa"

// This file builds the sample Files with dynamic-linking information shared
// by the tests and the fuzz seeds.

// sampleDynShared is a shared module (linked at base 0) with every part of
// Dynamic: soname, version, needed modules, a runpath, init, fini, a PLT,
// exported and imported symbols and every dynamic relocation kind.
func sampleDynShared() *File {
	text := words(
		isa.Encode(isa.HALT, 0, 0, 0, 0), // address 0 means "none" for init, fini and PLT0
		isa.Encode(isa.SYS, 0, 0, 0, 14), // PLT0
		isa.Encode(isa.LDPC, 28, 0, 0, 0x2ff8),
		isa.Encode(isa.JR, 28, 0, 0, 0),
		isa.Encode(isa.LI, 28, 0, 0, 3),
		isa.Encode(isa.JMP, 0, 0, 0, -24),
		isa.Encode(isa.RET, 0, 0, 0, 0), // init
		isa.Encode(isa.RET, 0, 0, 0, 0), // fini
		isa.Encode(isa.RET, 0, 0, 0, 0), // greet
	)
	return &File{
		Type: TypeShared,
		Sections: []*Section{
			{Name: ".text", Kind: KindProgbits, Flags: FlagAlloc | FlagExec, Align: PageSize, Addr: 0,
				Size: uint64(len(text)), Data: text},
			{Name: ".rodata", Kind: KindProgbits, Flags: FlagAlloc, Align: PageSize, Addr: 0x1000, Size: 6, Data: []byte("hello\n")},
			{Name: ".data", Kind: KindProgbits, Flags: FlagAlloc | FlagWrite, Align: PageSize, Addr: 0x2000, Size: 24, Data: make([]byte, 24)},
			{Name: ".got", Kind: KindProgbits, Flags: FlagAlloc | FlagWrite, Align: PageSize, Addr: 0x3000, Size: 16, Data: make([]byte, 16)},
			{Name: ".bss", Kind: KindNobits, Flags: FlagAlloc | FlagWrite, Align: PageSize, Addr: 0x4000, Size: 0x100},
		},
		Symbols: []Symbol{
			{Name: "greet", Bind: BindGlobal, Type: SymFunc, Section: 0, Value: 0x40, Size: 8},
		},
		Dynamic: &Dynamic{
			Soname:     "libgreet.vso.1",
			Version:    "1.1",
			Needed:     []string{"libc.vso.1", "libm.vso.2"},
			Runpath:    []string{"$ORIGIN", "/opt/linkvm/lib"},
			Init:       0x30,
			Fini:       0x38,
			PLTResolve: 0x8,
			Symbols: []DynSymbol{
				{Name: "greet", Bind: BindGlobal, Type: SymFunc, Defined: true, Value: 0x40, Size: 8},
				{Name: "puts", Bind: BindGlobal, Type: SymFunc},
				{Name: "greeting", Bind: BindGlobal, Type: SymObject, Defined: true, Value: 0x1000, Size: 6},
				{Name: "debug_hook", Bind: BindWeak, Type: SymNoType},
				{Name: "counter", Bind: BindWeak, Type: SymObject, Defined: true, Value: 0x2010, Size: 8},
				{Name: "_end", Bind: BindGlobal, Type: SymNoType, Defined: true, Value: 0x4100},
			},
			Relocs: []DynReloc{
				{Offset: 0x2000, Kind: DynRelative, Sym: -1, Addend: 0x1000},
				{Offset: 0x2008, Kind: DynAbs64, Sym: 1, Addend: 8},
				{Offset: 0x3000, Kind: DynGlobDat, Sym: 3},
				{Offset: 0x3008, Kind: DynJumpSlot, Sym: 1, Addend: 0x20},
				{Offset: 0x40f8, Kind: DynRelative, Sym: -1, Addend: -16},
			},
		},
	}
}

// sampleDynExec is an executable linked against a shared module: imports
// only, one JUMP_SLOT, no soname, version or runpath.
func sampleDynExec() *File {
	f := sampleExec()
	f.Dynamic = &Dynamic{
		Needed:     []string{"libgreet.vso.1"},
		PLTResolve: 0x10008,
		Symbols:    []DynSymbol{{Name: "greet", Bind: BindGlobal, Type: SymFunc}},
		Relocs:     []DynReloc{{Offset: 0x12000, Kind: DynJumpSlot, Sym: 0, Addend: 0x10008}},
	}
	return f
}

// sampleDynSmall is a shared module without file-backed loaded sections,
// so that its encoding is small and mostly dynamic sections: a good fuzz
// seed.
func sampleDynSmall() *File {
	return &File{
		Type: TypeShared,
		Sections: []*Section{
			{Name: ".bss", Kind: KindNobits, Flags: FlagAlloc | FlagWrite, Align: 8, Addr: 0x1000, Size: 0x40},
		},
		Dynamic: &Dynamic{
			Soname:  "libs.vso.2",
			Version: "2.7",
			Needed:  []string{"liba.vso.1"},
			Runpath: []string{"$ORIGIN/lib"},
			Symbols: []DynSymbol{
				{Name: "a", Bind: BindGlobal, Type: SymObject, Defined: true, Value: 0x1000, Size: 8},
				{Name: "b", Bind: BindWeak, Type: SymFunc},
				{Name: "c", Bind: BindGlobal, Type: SymObject, Defined: true, Value: 0x1008, Size: 8},
				{Name: "d", Bind: BindGlobal, Defined: true, Value: 0x1040},
			},
			Relocs: []DynReloc{
				{Offset: 0x1010, Kind: DynRelative, Sym: -1, Addend: 0x1000},
				{Offset: 0x1018, Kind: DynAbs64, Sym: 1},
				{Offset: 0x1020, Kind: DynGlobDat, Sym: 0, Addend: 4},
				{Offset: 0x1028, Kind: DynJumpSlot, Sym: 1},
			},
		},
	}
}
