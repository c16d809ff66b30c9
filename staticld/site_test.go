package staticld

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"linkvm/objfmt"
)

func TestFuncAt(t *testing.T) {
	m := newMod()
	text := m.sec(".text", rx, 8, nops(12))
	m.sec(".text.other", rx, 8, nops(1))
	m.fn("main", text, 0, 24)
	m.def("loop", objfmt.BindLocal, objfmt.SymNoType, text, 8)
	m.def(".Ltmp", objfmt.BindLocal, objfmt.SymNoType, text, 16)
	m.def("table", objfmt.BindLocal, objfmt.SymObject, text, 24)
	m.def("helper", objfmt.BindLocal, objfmt.SymNoType, text, 32)
	m.fn("sized0", text, 48, 0)
	m.def("after", objfmt.BindLocal, objfmt.SymNoType, text, 56)
	m.secSym(text)
	m.fn("elsewhere", 1, 0, 8)
	o := &object{file: m.f}
	for off, want := range map[uint64]string{
		0:  "main",
		8:  "main", // inside main's size: the FUNC wins over the label
		20: "main",
		24: "loop", // past main: the nearest label (objects are not functions)
		32: "helper",
		40: "helper",
		48: "sized0",
		56: "after",
		90: "after",
	} {
		assert.Equal(t, want, o.funcAt(text, off), "offset %d", off)
	}
	assert.Equal(t, "elsewhere", o.funcAt(1, 0))

	empty := &object{file: newMod().f}
	empty.file.Sections = m.f.Sections
	assert.Equal(t, "", empty.funcAt(text, 8))
}

func TestLineAt(t *testing.T) {
	m := newMod()
	text := m.sec(".text", rx, 8, nops(4))
	s := m.f.Sections[text]
	assert.Equal(t, "", lineAt(s, 0))
	m.line(text, 8, "x.s", 5)
	m.line(text, 16, "x.s", 9)
	assert.Equal(t, "", lineAt(s, 0))
	assert.Equal(t, "x.s:5", lineAt(s, 8))
	assert.Equal(t, "x.s:5", lineAt(s, 15))
	assert.Equal(t, "x.s:9", lineAt(s, 31))
	assert.Equal(t, "", lineAt(s, 32))
}
