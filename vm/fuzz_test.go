package vm

import (
	"encoding/binary"
	"errors"
	"testing"

	"linkvm/objfmt"
	"linkvm/vm/isa"
)

// FuzzExec runs arbitrary instruction words (with the control transfers
// jmp..bnez replaced by nop, so that every program ends at the final halt
// if nothing stops it earlier) and checks that the VM never panics and ends
// with a status or a complete *Trap.
func FuzzExec(f *testing.F) {
	f.Add(binary.LittleEndian.AppendUint64(nil, isa.Encode(isa.LD64, 1, 31, 0, 8)))
	f.Add(binary.LittleEndian.AppendUint64(nil, isa.Encode(isa.ST64, 1, 0, 0, 0x10000)))
	f.Add(binary.LittleEndian.AppendUint64(nil, isa.Encode(isa.SYS, 0, 0, 0, 6)))
	f.Add([]byte{byte(isa.LI64), 1, 2, 3, 4, 5, 6, 7})
	f.Fuzz(func(t *testing.T, b []byte) {
		var code []byte
		for ; len(b) >= 8; b = b[8:] {
			w := binary.LittleEndian.Uint64(b)
			if op := isa.Op(w); op >= isa.JMP && op <= isa.BNEZ {
				w = uint64(isa.NOP)
			}
			code = binary.LittleEndian.AppendUint64(code, w)
		}
		code = binary.LittleEndian.AppendUint64(code, uint64(isa.HALT))
		dataAddr := (0x10000 + uint64(len(code)) + objfmt.PageSize - 1) &^ (objfmt.PageSize - 1)
		img := &objfmt.File{Type: objfmt.TypeExec, Entry: 0x10000, Sections: []*objfmt.Section{
			{Name: ".text", Kind: objfmt.KindProgbits, Flags: objfmt.FlagAlloc | objfmt.FlagExec, Addr: 0x10000, Size: uint64(len(code)), Data: code},
			{Name: ".data", Kind: objfmt.KindProgbits, Flags: objfmt.FlagAlloc | objfmt.FlagWrite, Addr: dataAddr, Size: 16, Data: make([]byte, 16)},
		}}
		p, err := Load(img, "fuzz", Config{HeapLimit: 1 << 20})
		if err != nil {
			t.Fatal(err)
		}
		_, err = p.Run()
		var trap *Trap
		if err != nil && !errors.As(err, &trap) {
			t.Fatalf("error is not a trap: %v", err)
		}
		if trap != nil && (trap.Kind == nil || trap.Msg == "" || len(trap.Frames) == 0) {
			t.Fatalf("incomplete trap %+v", trap)
		}
	})
}
