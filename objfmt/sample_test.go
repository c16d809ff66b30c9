package objfmt

import (
	"bytes"
	"encoding/binary"

	"linkvm/vm/isa"
)

// This file builds the sample Files shared by the tests.

// words encodes instruction words as little-endian bytes.
func words(ws ...uint64) []byte {
	b := make([]byte, 0, 8*len(ws))
	for _, w := range ws {
		b = binary.LittleEndian.AppendUint64(b, w)
	}
	return b
}

// sampleRel is a relocatable module using every symbol binding and type,
// every relocation kind, line entries and a NOBITS section.
func sampleRel() *File {
	text := words(
		isa.Encode(isa.ENTER, 0, 0, 0, 16),
		isa.Encode(isa.LEA, 0, 0, 0, 0),     // lea r0, msg (INSN_PC)
		isa.Encode(isa.CALL, 0, 0, 0, 0),    // call puts (INSN_PC)
		isa.Encode(isa.LI, 1, 0, 0, 0),      // li r1, BUFSIZE (INSN_ABS)
		isa.Encode(isa.LI64, 2, 0, 0, 0), 0, // li64 r2, counter (ABS64 on the second word)
		isa.Encode(isa.LEAVE, 0, 0, 0, 0),
		isa.Encode(isa.RET, 0, 0, 0, 0),
	)
	return &File{
		Type: TypeRel,
		Sections: []*Section{
			{
				Name: ".text", Kind: KindProgbits, Flags: FlagAlloc | FlagExec, Align: 8,
				Size: uint64(len(text)), Data: text,
				Relocs: []Reloc{
					{Offset: 8, Kind: RelInsnPC, Sym: 1, Addend: 0},
					{Offset: 16, Kind: RelInsnPC, Sym: 4},
					{Offset: 24, Kind: RelInsnAbs, Sym: 6, Addend: -8},
					{Offset: 32, Kind: RelNone, Sym: 0},
					{Offset: 40, Kind: RelAbs64, Sym: 2, Addend: 0},
				},
				Lines: []Line{
					{Offset: 0, File: "main.s", Line: 3, Col: 5},
					{Offset: 8, File: "main.s", Line: 4, Col: 5},
					{Offset: 24, File: "macros.inc", Line: 10},
					{Offset: 48, File: "main.s", Line: 7, Col: 1},
				},
			},
			{
				Name: ".data", Kind: KindProgbits, Flags: FlagAlloc | FlagWrite, Align: 8,
				Size: 16, Data: []byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16},
				Relocs: []Reloc{
					{Offset: 0, Kind: RelAbs64, Sym: 3, Addend: 8},
					{Offset: 8, Kind: RelAbs32, Sym: 7},
					{Offset: 12, Kind: RelPC32, Sym: 5, Addend: -4},
				},
			},
			{Name: ".bss", Kind: KindNobits, Flags: FlagAlloc | FlagWrite, Align: 16, Size: 4096},
			{Name: ".rodata", Kind: KindProgbits, Flags: FlagAlloc, Align: 1, Size: 7, Data: []byte("hello\n\x00")},
			{Name: ".comment", Kind: KindProgbits, Align: 1, Size: 5, Data: []byte("vmas\x00")},
		},
		Symbols: []Symbol{
			{Name: "", Bind: BindLocal, Type: SymSection, Section: 0},
			{Name: "msg", Bind: BindLocal, Type: SymObject, Section: 3, Value: 0, Size: 7},
			{Name: "counter", Bind: BindGlobal, Type: SymObject, Section: 1, Value: 8, Size: 8},
			{Name: "main", Bind: BindGlobal, Type: SymFunc, Section: 0, Value: 0, Size: uint64(len(text))},
			{Name: "puts", Bind: BindGlobal, Type: SymNoType, Section: SecUndef},
			{Name: "debug_hook", Bind: BindWeak, Type: SymFunc, Section: SecUndef},
			{Name: "BUFSIZE", Bind: BindGlobal, Type: SymNoType, Section: SecAbs, Value: 4096},
			{Name: "buf", Bind: BindLocal, Type: SymObject, Section: 2, Value: 0, Size: 4096},
			{Name: "main", Bind: BindWeak, Type: SymNoType, Section: 2, Value: 16},
		},
	}
}

// sampleExec is a small executable image.
func sampleExec() *File {
	text := words(
		isa.Encode(isa.LI, 0, 0, 0, 7),
		isa.Encode(isa.SYS, 0, 0, 0, 0),
	)
	return &File{
		Type:  TypeExec,
		Entry: 0x10000,
		Sections: []*Section{
			{Name: ".text", Kind: KindProgbits, Flags: FlagAlloc | FlagExec, Align: PageSize, Addr: 0x10000,
				Size: uint64(len(text)), Data: text,
				Lines: []Line{{Offset: 0, File: "exit.s", Line: 2, Col: 1}, {Offset: 8, File: "exit.s", Line: 3, Col: 1}}},
			{Name: ".rodata", Kind: KindProgbits, Flags: FlagAlloc, Align: PageSize, Addr: 0x11000, Size: 3, Data: []byte("ok\n")},
			{Name: ".data", Kind: KindProgbits, Flags: FlagAlloc | FlagWrite, Align: PageSize, Addr: 0x12000, Size: 8, Data: words(0x11000)},
			{Name: ".bss", Kind: KindNobits, Flags: FlagAlloc | FlagWrite, Align: PageSize, Addr: 0x13000, Size: 0x2000},
			{Name: ".note", Kind: KindProgbits, Align: 4, Size: 4, Data: []byte("note")},
		},
		Symbols: []Symbol{
			{Name: "_start", Bind: BindGlobal, Type: SymFunc, Section: 0, Value: 0x10000, Size: 16},
			{Name: "greeting", Bind: BindLocal, Type: SymObject, Section: 1, Value: 0x11000, Size: 3},
			{Name: "ptr", Bind: BindGlobal, Type: SymObject, Section: 2, Value: 0x12000, Size: 8},
			{Name: "heap", Bind: BindWeak, Type: SymObject, Section: 3, Value: 0x13000, Size: 0x2000},
			{Name: "STACK", Bind: BindGlobal, Type: SymNoType, Section: SecAbs, Value: 0x100000},
		},
	}
}

// sampleShared is a shared module: an image that keeps relocations.
func sampleShared() *File {
	f := sampleExec()
	f.Type = TypeShared
	f.Entry = 0
	f.Sections[2].Relocs = []Reloc{{Offset: 0, Kind: RelAbs64, Sym: 1}}
	f.Symbols = append(f.Symbols, Symbol{Name: "malloc", Bind: BindGlobal, Section: SecUndef})
	return f
}

// tiny is the smallest useful module: one instruction, one symbol, one
// relocation, one line. docs/objfmt.md shows its hex dump.
func tiny() *File {
	return &File{
		Type: TypeRel,
		Sections: []*Section{{
			Name: ".text", Kind: KindProgbits, Flags: FlagAlloc | FlagExec, Align: 8, Size: 8,
			Data:   words(isa.Encode(isa.CALL, 0, 0, 0, 0)),
			Relocs: []Reloc{{Offset: 0, Kind: RelInsnPC, Sym: 0}},
			Lines:  []Line{{Offset: 0, File: "a.s", Line: 1, Col: 1}},
		}},
		Symbols: []Symbol{{Name: "f", Bind: BindGlobal, Type: SymFunc, Section: SecUndef}},
	}
}

// encode encodes f or panics; for building test inputs.
func encode(f *File) []byte {
	b, err := f.Encode()
	if err != nil {
		panic(err)
	}
	return b
}

// bytesReader returns a reader with a Size method over b.
func bytesReader(b []byte) *bytes.Reader { return bytes.NewReader(b) }
