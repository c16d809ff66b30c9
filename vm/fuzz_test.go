package vm

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"testing"
	"time"

	"linkvm/objfmt"
	"linkvm/vm/isa"
)

// Bounds of FuzzExec's programs and processes.
const (
	fuzzMaxWords = 1024    // code words taken from the input
	fuzzSteps    = 1 << 16 // the step budget: loops end with ErrStepLimit
	fuzzHang     = 10 * time.Second
)

// fuzzImage builds a valid static image around the fuzzer's bytes: a
// prologue pointing r0..r3 into the writable data (so that loads, stores
// and system calls often get valid addresses), then the input's words as
// code (the opcode byte taken modulo NumOps+1, so that valid instructions
// are frequent and illegal ones still occur; the other fields as they
// are), then halt; and a data section holding the input's first bytes.
func fuzzImage(b []byte) *objfmt.File {
	const text = 0x10000
	var code []byte
	words := min(len(b)/8, fuzzMaxWords)
	dataAddr := (text + uint64(8*(8+words+1)) + objfmt.PageSize - 1) &^ (objfmt.PageSize - 1)
	for r := range uint8(4) {
		code = binary.LittleEndian.AppendUint64(code, isa.Encode(isa.LI64, r, 0, 0, 0))
		code = binary.LittleEndian.AppendUint64(code, dataAddr+uint64(r)*64)
	}
	for i := range words {
		w := binary.LittleEndian.Uint64(b[8*i:])
		w = w&^0xff | uint64(byte(w)%(byte(isa.NumOps)+1))
		code = binary.LittleEndian.AppendUint64(code, w)
	}
	code = binary.LittleEndian.AppendUint64(code, uint64(isa.HALT))
	data := make([]byte, 256)
	copy(data, b)
	return &objfmt.File{Type: objfmt.TypeExec, Entry: text, Sections: []*objfmt.Section{
		{Name: ".text", Kind: objfmt.KindProgbits, Flags: objfmt.FlagAlloc | objfmt.FlagExec, Align: 8, Addr: text, Size: uint64(len(code)), Data: code},
		{Name: ".data", Kind: objfmt.KindProgbits, Flags: objfmt.FlagAlloc | objfmt.FlagWrite, Align: 8, Addr: dataAddr, Size: uint64(len(data)), Data: data},
		{Name: ".bss", Kind: objfmt.KindNobits, Flags: objfmt.FlagAlloc | objfmt.FlagWrite, Align: 8, Addr: dataAddr + objfmt.PageSize, Size: 4096},
	}}
}

// FuzzExec runs arbitrary instruction words in a valid image under a step
// budget and small memory and file limits, with no directory granted: the
// VM must not panic or hang, and must end with an exit status or a
// complete *Trap (a kind, a message and a backtrace); a step-limit trap
// comes after exactly the budget.
func FuzzExec(f *testing.F) {
	word := func(ws ...uint64) []byte {
		var b []byte
		for _, w := range ws {
			b = binary.LittleEndian.AppendUint64(b, w)
		}
		return b
	}
	f.Add(word(isa.Encode(isa.LD64, 1, 31, 0, 8)))
	f.Add(word(isa.Encode(isa.ST64, 1, 0, 0, 0x10000)))
	f.Add(word(isa.Encode(isa.SYS, 0, 0, 0, 6)))
	f.Add([]byte{byte(isa.LI64), 1, 2, 3, 4, 5, 6, 7})
	f.Add(word(isa.Encode(isa.JMP, 0, 0, 0, 0)))                                                // a loop
	f.Add(word(isa.Encode(isa.CALL, 0, 0, 0, 0)))                                               // unbounded recursion
	f.Add(word(isa.Encode(isa.SYS, 0, 0, 0, 1), isa.Encode(isa.JMP, 0, 0, 0, -8)))              // write forever
	f.Add(word(isa.Encode(isa.LI, 0, 0, 0, 1<<20), isa.Encode(isa.SYS, 0, 0, 0, 6), 0x3c))      // sbrk
	f.Add(word(isa.Encode(isa.SYS, 0, 0, 0, 22), isa.Encode(isa.SYS, 0, 0, 0, 19), 0, 0, 0, 0)) // pipe, spawn
	// A loop calling through a PLT stub (li, call: linkPLT's twin) whose
	// GOT slot, the last word, holds the address of the ret: the step
	// limit falls anywhere in it. The code starts at 0x10040, after the
	// prologue; the data, a copy of the input, at 0x11000.
	f.Add(word(isa.Encode(isa.LI, 5, 0, 0, 2), isa.Encode(isa.CALL, 0, 0, 0, 16), isa.Encode(isa.JMP, 0, 0, 0, -16),
		isa.Encode(isa.LDPC, isa.RegIP, 0, 0, 0x11000+6*8-0x10058), isa.Encode(isa.JR, isa.RegIP, 0, 0, 0),
		isa.Encode(isa.RET, 0, 0, 0, 0), 0x10068))
	f.Fuzz(func(t *testing.T, b []byte) {
		img := fuzzImage(b)
		p, err := Load(img, "fuzz.img", Config{
			Args: []string{"fuzz.img", "x"}, Stdin: bytes.NewReader(b),
			Stdout: io.Discard, Stderr: io.Discard,
			MaxSteps: fuzzSteps, MaxMemory: 8 << 20, HeapLimit: 1 << 20, StackSize: 64 << 10, MaxFiles: 8,
		})
		if err != nil {
			t.Fatalf("a valid image does not load: %v", err)
		}
		type result struct {
			status int
			err    error
		}
		done := make(chan result, 1)
		go func() {
			status, err := p.Run()
			done <- result{status, err}
		}()
		var res result
		select {
		case res = <-done:
		case <-time.After(fuzzHang):
			p.Interrupt()
			res = <-done
			t.Fatalf("hang: still running after %v and %d steps; interrupted: %v", fuzzHang, p.Steps(), res.err)
		}
		var trap *Trap
		if res.err != nil && !errors.As(res.err, &trap) {
			t.Fatalf("error is not a trap: %v", res.err)
		}
		if trap == nil {
			return
		}
		if trap.Kind == nil || trap.Msg == "" || len(trap.Frames) == 0 {
			t.Fatalf("incomplete trap %+v", trap)
		}
		if errors.Is(trap, ErrStepLimit) && p.Steps() != fuzzSteps {
			t.Fatalf("step-limit trap after %d steps, not %d", p.Steps(), fuzzSteps)
		}
	})
}
