package staticld

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"linkvm/internal/golden"
	"linkvm/objfmt"
	"linkvm/vm/isa"
)

// mapProgram is a link exercising every part of the map: an archive with
// members extracted by a module, a member and -u, sections removed by
// --gc-sections, local, global and absolute symbols, an empty output
// section and a non-loaded section.
func mapProgram(t *testing.T) (Config, []Input) {
	m := newMod()
	text := m.sec(".text", rx, 8, code(isa.Inst{Op: isa.CALL}, isa.Inst{Op: isa.LEA, RA: 1}, isa.Inst{Op: isa.HALT}))
	m.fn("_start", text, 0, 24)
	m.def("loop", objfmt.BindLocal, objfmt.SymNoType, text, 8)
	m.reloc(text, 0, objfmt.RelInsnPC, m.undef("foo", objfmt.BindGlobal), 0)
	str := m.sec(".rodata.str", ro, 1, []byte("hello\x00"))
	greeting := m.def("greeting", objfmt.BindLocal, objfmt.SymObject, str, 0)
	m.f.Symbols[greeting].Size = 6
	data := m.sec(".data", rw, 8, make([]byte, 16))
	m.reloc(text, 8, objfmt.RelInsnPC, m.def("table", objfmt.BindLocal, objfmt.SymObject, data, 0), 0)
	m.reloc(data, 0, objfmt.RelAbs64, greeting, 0)
	empty := m.sec(".empty", ro, 1, nil)
	m.reloc(data, 8, objfmt.RelAbs64, m.def("edge", objfmt.BindGlobal, objfmt.SymNoType, empty, 0), 0)
	m.def("K", objfmt.BindGlobal, objfmt.SymNoType, objfmt.SecAbs, 42)
	m.sec(".comment", 0, 1, []byte("not loaded"))
	unused := m.sec(".text.unused", rx, 8, nops(4))
	m.fn("unused", unused, 0, 32)
	m.bss(".bss", rw, 32, 64)

	long := archiveOf(t, member{"a_member_with_a_rather_long_name.vo", funcs("long.s", []string{"lengthy"}, nil)})
	return Config{GCSections: true, Undefined: []string{"lengthy"}},
		[]Input{obj("main.vo", m), lib("libx.va", libx(t)), lib("lib/liblong.va", long)}
}

func TestMap(t *testing.T) {
	cfg, ins := mapProgram(t)
	r := link(cfg, ins...)
	require.NoError(t, r.err)
	golden.Check(t, filepath.Join("testdata", "link.map"), r.mp)
}

func TestMapWithoutArchivesOrGC(t *testing.T) {
	r := link(Config{}, in(start())...)
	require.NoError(t, r.err)
	assert.Equal(t, "Entry point: _start = 0x10000\n"+
		"\n"+
		"Memory map:\n"+
		"\n"+
		"     VMA     Size Align Out     In      Symbol\n"+
		"   10000       10     8 .text\n"+
		"   10000       10     8         a.vo:(.text)\n"+
		"   10000       10                       _start\n", r.mp)
}

func TestMapNotWrittenOnFailure(t *testing.T) {
	r := link(Config{Entry: "nope"}, in(start())...)
	require.Error(t, r.err)
	assert.Empty(t, r.mp)
}

func TestArchiveLinkIsDeterministic(t *testing.T) {
	cfg, ins := mapProgram(t)
	var before [][]byte
	for _, m := range ins[1].Archive.Members {
		before = append(before, append([]byte(nil), m.Data...))
	}
	r1 := link(cfg, ins...)
	require.NoError(t, r1.err)
	cfg2, ins2 := mapProgram(t)
	r2 := link(cfg2, ins2...)
	require.NoError(t, r2.err)
	assert.Equal(t, r1, r2)
	for i, m := range ins[1].Archive.Members {
		assert.Equal(t, before[i], m.Data, "Link modified an archive member")
	}
	b1, err := r1.img.Encode()
	require.NoError(t, err)
	b2, err := r2.img.Encode()
	require.NoError(t, err)
	assert.Equal(t, b1, b2)
}
