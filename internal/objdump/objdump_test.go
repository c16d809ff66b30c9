package objdump

import (
	"bytes"
	"encoding/binary"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"linkvm/objfmt"
	"linkvm/vm/isa"
)

func words(ws ...uint64) []byte {
	b := make([]byte, 0, 8*len(ws))
	for _, w := range ws {
		b = binary.LittleEndian.AppendUint64(b, w)
	}
	return b
}

// build encodes f and returns its Dump.
func build(t *testing.T, f *objfmt.File, opts Options) *Dump {
	t.Helper()
	data, err := f.Encode()
	require.NoError(t, err)
	d, err := Build("t.img", data, opts)
	require.NoError(t, err)
	return d
}

// TestDisasmEdges: an illegal opcode, an li64 cut off by the end of the
// section, trailing bytes, a target outside every section, and the choice
// of name among symbols sharing an address.
func TestDisasmEdges(t *testing.T) {
	code := words(
		isa.Encode(isa.JMP, 0, 0, 0, 16),        // to 0x10010: named by the FUNC, not the label
		0xff,                                    // illegal opcode
		isa.Encode(isa.CALL, 0, 0, 0, -0x10010), // to 0: no section
		isa.Encode(isa.LI64, 1, 0, 0, 0),        // no second word
	)
	code = append(code, 1, 2, 3)
	f := &objfmt.File{
		Type: objfmt.TypeExec, Entry: 0x10000,
		Sections: []*objfmt.Section{{
			Name: ".text", Kind: objfmt.KindProgbits, Flags: objfmt.FlagAlloc | objfmt.FlagExec,
			Align: 8, Addr: 0x10000, Size: uint64(len(code)), Data: code,
			Lines: []objfmt.Line{{Offset: 8, File: "x.s", Line: 2, Col: 1}},
		}},
		Symbols: []objfmt.Symbol{
			{Name: "lbl", Bind: objfmt.BindLocal, Type: objfmt.SymNoType, Section: 0, Value: 0x10010},
			{Name: "fn", Bind: objfmt.BindLocal, Type: objfmt.SymFunc, Section: 0, Value: 0x10010},
			{Name: ".Lskip", Bind: objfmt.BindLocal, Type: objfmt.SymNoType, Section: 0, Value: 0x10018},
		},
	}
	d := build(t, f, Options{ReadSource: func(name string) ([]byte, error) {
		if name == "x.s" {
			return []byte("one\r\ntwo\r\n"), nil
		}
		return nil, errors.New("no")
	}})
	var texts, syms, labels []string
	for _, in := range d.Disassembly {
		texts = append(texts, in.Text)
		syms = append(syms, in.Symbol)
		labels = append(labels, in.Label)
	}
	assert.Equal(t, []string{
		"jmp   0x10010 <fn>",
		".quad 0xff  # illegal opcode 255",
		"call  0x0",
		".quad 0x106  # li64 without its second word",
		".byte 0x01, 0x02, 0x03",
	}, texts)
	assert.Equal(t, []string{".text", ".text+0x8", "fn", "fn+0x8", "fn+0x10"}, syms)
	assert.Equal(t, []string{"", "", "fn", "", ""}, labels)
	assert.Equal(t, []string{"030201"}, d.Disassembly[4].Words)
	assert.Nil(t, d.Disassembly[0].Source)
	require.NotNil(t, d.Disassembly[1].Source)
	require.NotNil(t, d.Disassembly[1].Source.Text)
	assert.Equal(t, "two", *d.Disassembly[1].Source.Text)

	var out bytes.Buffer
	require.NoError(t, WriteText(&out, d, TextOptions{Disasm: true}))
	assert.Equal(t, `
t.img:     file format linkvm

Disassembly of section .text:

0000000000010000 <.text>:
   10000:  3c 00 00 00 10 00 00 00  jmp   0x10010 <fn>
   10008:  ff 00 00 00 00 00 00 00  .quad 0xff  # illegal opcode 255

0000000000010010 <fn>:
   10010:  3e 00 00 00 f0 ff fe ff  call  0x0
   10018:  06 01 00 00 00 00 00 00  .quad 0x106  # li64 without its second word
   10020:  01 02 03                 .byte 0x01, 0x02, 0x03
`, out.String())
}

func TestBuildError(t *testing.T) {
	_, err := Build("x", []byte("\x7fLVM"), Options{})
	require.EqualError(t, err, "objfmt: header truncated (4 of 64 bytes) at offset 0x0")
}

func TestRelocTarget(t *testing.T) {
	assert.Equal(t, "f", RelocTarget(RelocInfo{Symbol: "f"}))
	assert.Equal(t, "f+0x10", RelocTarget(RelocInfo{Symbol: "f", Addend: 16}))
	assert.Equal(t, "f-0x8", RelocTarget(RelocInfo{Symbol: "f", Addend: -8}))
	assert.Equal(t, "f-0x8000000000000000", RelocTarget(RelocInfo{Symbol: "f", Addend: -1 << 63}))
}

func TestSplitFlags(t *testing.T) {
	assert.Equal(t, []string{"-d", "-r", "-json", "-x", "a.vo", "--", "-dr"},
		SplitFlags([]string{"-dr", "-json", "-x", "a.vo", "--", "-dr"}, "dxr"))
	assert.Equal(t, []string{"-dq", "--dr"}, SplitFlags([]string{"-dq", "--dr"}, "dr"))
}
