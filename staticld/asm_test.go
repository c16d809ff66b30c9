package staticld_test

import (
	"encoding/binary"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"linkvm/asm"
	"linkvm/objfmt"
	"linkvm/staticld"
	"linkvm/vm/isa"
)

// assemble assembles each name → source pair into an input named *.vo.
func assemble(t *testing.T, srcs ...string) []staticld.Input {
	t.Helper()
	var ins []staticld.Input
	for i := 0; i < len(srcs); i += 2 {
		name, src := srcs[i], srcs[i+1]
		f, err := asm.Assemble(name, []byte(src), asm.Options{})
		require.NoError(t, err, name)
		ins = append(ins, staticld.Input{Name: name[:len(name)-2] + ".vo", File: f})
	}
	return ins
}

func TestAssembledProgram(t *testing.T) {
	ins := assemble(t,
		"main.s", `
        .text
        .global _start
_start:
        call  twice
        la    r1, ptr
        sys   0

        .data
ptr:    .quad twice + 8
`,
		"lib.s", `
        .text
        .global twice
pad:    nop
twice:  add   r0, r0, r0
        ret
`)
	img, err := staticld.Link(staticld.Config{}, ins)
	require.NoError(t, err)
	var text, data *objfmt.Section
	for _, s := range img.Sections {
		switch s.Name {
		case ".text":
			text = s
		case ".data":
			data = s
		}
	}
	require.NotNil(t, text)
	require.NotNil(t, data)
	var twice objfmt.Symbol
	for _, s := range img.Symbols {
		if s.Name == "twice" {
			twice = s
		}
	}
	require.NotZero(t, twice.Value)
	assert.Equal(t, text.Addr, img.Entry)
	call := isa.Decode(binary.LittleEndian.Uint64(text.Data))
	assert.Equal(t, isa.CALL, call.Op)
	assert.Equal(t, int64(twice.Value-text.Addr), int64(call.Imm))
	assert.Equal(t, twice.Value+8, binary.LittleEndian.Uint64(data.Data))
}

func TestAssembledUndefinedAndDuplicate(t *testing.T) {
	ins := assemble(t,
		"main.s", `
        .text
        .global _start, helper
_start:
        call  print_int
        li    r0, 0
        call  print_int
        sys   0
helper:
        ret
`,
		"lib.s", `
        .text
        .global helper
helper:
        la    r1, print_int
        ret
`)
	_, err := staticld.Link(staticld.Config{}, ins)
	require.Error(t, err)
	assert.Equal(t, "error: duplicate symbol: helper\n"+
		">>> defined in main.vo (main.s:10)\n"+
		">>> defined in lib.vo (lib.s:5)\n"+
		"error: undefined symbol: print_int\n"+
		">>> referenced by main.s:5 (main.vo: function _start)\n"+
		">>> referenced by main.s:7 (main.vo: function _start)\n"+
		">>> referenced by lib.s:5 (lib.vo: function helper)", err.Error())
}
