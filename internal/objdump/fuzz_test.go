package objdump

import (
	"bytes"
	"encoding/json"
	"io"
	"testing"

	"linkvm/objfmt"
	"linkvm/vm/isa"
)

// FuzzBuild checks that no input makes Build or WriteText panic, and that
// every Dump can be encoded as JSON.
func FuzzBuild(f *testing.F) {
	code := words(isa.Encode(isa.CALL, 0, 0, 0, 0), isa.Encode(isa.LI64, 1, 0, 0, 0), 42, isa.Encode(isa.JMP, 0, 0, 0, -8))
	seed := &objfmt.File{
		Type: objfmt.TypeRel,
		Sections: []*objfmt.Section{
			{Name: ".text", Kind: objfmt.KindProgbits, Flags: objfmt.FlagAlloc | objfmt.FlagExec, Align: 8,
				Size: uint64(len(code)), Data: code,
				Relocs: []objfmt.Reloc{{Offset: 0, Kind: objfmt.RelInsnPC, Sym: 1, Addend: -4}},
				Lines:  []objfmt.Line{{Offset: 0, File: "a.s", Line: 1, Col: 1}, {Offset: 8, File: "a.s", Line: 2}}},
			{Name: ".bss", Kind: objfmt.KindNobits, Flags: objfmt.FlagAlloc | objfmt.FlagWrite, Align: 8, Size: 16},
		},
		Symbols: []objfmt.Symbol{
			{Type: objfmt.SymSection, Section: 1},
			{Name: "f", Bind: objfmt.BindWeak, Type: objfmt.SymFunc, Section: objfmt.SecUndef},
			{Name: "g", Bind: objfmt.BindGlobal, Type: objfmt.SymFunc, Section: 0, Size: 32},
			{Name: "k", Bind: objfmt.BindGlobal, Section: objfmt.SecAbs, Value: 7},
		},
	}
	data, err := seed.Encode()
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	seed.Type = objfmt.TypeExec
	seed.Sections[0].Relocs = nil
	seed.Sections[0].Addr = 0x10000
	if data, err = seed.Encode(); err == nil {
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		// Make the checksum right, so that mutations get past it.
		data = bytes.Clone(data)
		_ = objfmt.SetChecksum(data)
		d, err := Build("fuzz.vo", data, Options{ReadSource: func(string) ([]byte, error) { return []byte("x\n"), nil }})
		if err != nil {
			return
		}
		all := TextOptions{FileHeader: true, SectionHeaders: true, Symbols: true, Relocs: true, Disasm: true, Source: true}
		if err := WriteText(io.Discard, d, all); err != nil {
			t.Fatal(err)
		}
		if err := json.NewEncoder(&bytes.Buffer{}).Encode(d); err != nil {
			t.Fatal(err)
		}
	})
}
