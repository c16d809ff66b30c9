package staticld

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"linkvm/objfmt"
	"linkvm/vm/isa"
)

// caller returns a module whose .text holds three instructions (main, a FUNC
// covering all of them), with line info, and calls sym from offsets 0 and 16.
func caller(file string, sym string) *mod {
	m := newMod()
	t := m.sec(".text", rx, 8, code(isa.Inst{Op: isa.CALL}, isa.Inst{Op: isa.NOP}, isa.Inst{Op: isa.CALL}))
	m.fn("main", t, 0, 24)
	m.line(t, 0, file, 21)
	m.line(t, 8, file, 22)
	m.line(t, 16, file, 30)
	s := m.undef(sym, objfmt.BindGlobal)
	m.reloc(t, 0, objfmt.RelInsnPC, s, 0)
	m.reloc(t, 16, objfmt.RelInsnPC, s, 0)
	return m
}

func TestLinkErrors(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		mods func() []*mod
		want string
	}{{
		name: "duplicate symbol with source lines",
		mods: func() []*mod {
			a := start()
			a.fn("main", 0, 8, 8)
			a.line(0, 0, "a.s", 2)
			a.line(0, 8, "a.s", 3)
			b := newMod()
			bt := b.sec(".text", rx, 8, nops(1))
			b.fn("main", bt, 0, 8)
			b.line(bt, 0, "b.s", 7)
			c := newMod()
			c.fn("main", c.sec(".text", rx, 8, nops(1)), 0, 8)
			c.def("K", objfmt.BindGlobal, objfmt.SymNoType, objfmt.SecAbs, 1)
			d := newMod()
			d.def("main", objfmt.BindWeak, objfmt.SymFunc, d.sec(".text", rx, 8, nops(1)), 0)
			d.def("K", objfmt.BindGlobal, objfmt.SymNoType, objfmt.SecAbs, 1)
			return []*mod{a, b, c, d}
		},
		want: "error: duplicate symbol: main\n" +
			">>> defined in a.vo (a.s:3)\n" +
			">>> defined in b.vo (b.s:7)\n" +
			">>> defined in c.vo\n" +
			"error: duplicate symbol: K\n" +
			">>> defined in c.vo\n" +
			">>> defined in d.vo",
	}, {
		name: "undefined symbol lists every site in every file",
		mods: func() []*mod {
			a := caller("fib.s", "print_int")
			a.fn("_start", a.sec(".text.start", rx, 8, nops(1)), 0, 8)
			b := newMod()
			bt := b.sec(".text", rx, 8, nops(3))
			b.def("helper", objfmt.BindLocal, objfmt.SymNoType, bt, 8)
			p := b.undef("print_int", objfmt.BindGlobal)
			o := b.undef("other", objfmt.BindGlobal)
			b.undef("declared_only", objfmt.BindGlobal)
			w := b.undef("weak_only", objfmt.BindWeak)
			b.reloc(bt, 0, objfmt.RelInsnPC, o, 0)
			b.reloc(bt, 8, objfmt.RelInsnPC, p, 0)
			b.reloc(bt, 16, objfmt.RelInsnPC, w, 0)
			bd := b.sec(".data", rw, 8, make([]byte, 8))
			b.line(bd, 0, "b.s", 4)
			b.reloc(bd, 0, objfmt.RelAbs64, p, 0)
			bc := b.sec(".comment", 0, 1, make([]byte, 8))
			b.reloc(bc, 0, objfmt.RelAbs64, p, 0)
			c := caller("c.s", "print_int")
			c.f.Symbols[0].Type = objfmt.SymNoType // main is a plain local label
			c.f.Symbols[0].Bind = objfmt.BindLocal
			return []*mod{a, b, c}
		},
		want: "error: undefined symbol: print_int\n" +
			">>> referenced by fib.s:21 (a.vo: function main)\n" +
			">>> referenced by fib.s:30 (a.vo: function main)\n" +
			">>> referenced by b.vo:(.text+0x8) (function helper)\n" +
			">>> referenced by b.s:4 (b.vo:(.data+0x0))\n" +
			">>> referenced by c.s:21 (c.vo: function main)\n" +
			">>> referenced by c.s:30 (c.vo: function main)\n" +
			"error: undefined symbol: other\n" +
			">>> referenced by b.vo:(.text+0x0)",
	}, {
		name: "missing entry symbol",
		mods: func() []*mod {
			a := newMod()
			a.fn("main", a.sec(".text", rx, 8, nops(1)), 0, 8)
			return []*mod{a}
		},
		want: "error: undefined entry symbol: _start",
	}, {
		name: "missing -e entry symbol",
		cfg:  Config{Entry: "begin"},
		mods: func() []*mod { return []*mod{start()} },
		want: "error: undefined entry symbol: begin",
	}, {
		name: "undefined weak entry symbol",
		mods: func() []*mod {
			a := newMod()
			a.sec(".text", rx, 8, nops(1))
			a.undef("_start", objfmt.BindWeak)
			return []*mod{a}
		},
		want: "error: undefined entry symbol: _start",
	}, {
		name: "duplicate, undefined and entry errors are reported together",
		mods: func() []*mod {
			a := caller("a.s", "f")
			b := newMod()
			b.fn("main", b.sec(".text", rx, 8, nops(1)), 0, 8)
			return []*mod{a, b}
		},
		want: "error: duplicate symbol: main\n" +
			">>> defined in a.vo (a.s:21)\n" +
			">>> defined in b.vo\n" +
			"error: undefined symbol: f\n" +
			">>> referenced by a.s:21 (a.vo: function main)\n" +
			">>> referenced by a.s:30 (a.vo: function main)\n" +
			"error: undefined entry symbol: _start",
	}, {
		name: "INSN_PC overflow",
		mods: func() []*mod {
			a := caller("a.s", "far")
			a.fn("_start", a.sec(".text", rx, 8, nops(1)), 0, 8)
			b := newMod()
			b.def("far", objfmt.BindGlobal, objfmt.SymNoType, objfmt.SecAbs, 0x1_0000_0000)
			return []*mod{a, b}
		},
		want: "error: a.vo:(.text+0x0): relocation INSN_PC out of range: 4294901760 is not in [-2147483648, 2147483647]; references far\n" +
			">>> referenced by a.s:21 (a.vo: function main)\n" +
			">>> defined in b.vo\n" +
			"error: a.vo:(.text+0x10): relocation INSN_PC out of range: 4294901744 is not in [-2147483648, 2147483647]; references far\n" +
			">>> referenced by a.s:30 (a.vo: function main)\n" +
			">>> defined in b.vo",
	}, {
		name: "INSN_ABS, ABS32 and PC32 overflow",
		mods: func() []*mod {
			a := start()
			a.line(0, 0, "a.s", 5)
			far := a.def("far", objfmt.BindLocal, objfmt.SymNoType, objfmt.SecAbs, 0x8000_0000)
			a.reloc(0, 0, objfmt.RelInsnAbs, far, 0)
			a.reloc(0, 8, objfmt.RelInsnAbs, far, -1) // fits
			d := a.sec(".data", rw, 8, make([]byte, 12))
			a.reloc(d, 0, objfmt.RelAbs32, a.secSym(0), -0x10001)
			a.reloc(d, 4, objfmt.RelAbs32, far, 0x7fff_ffff) // fits
			a.reloc(d, 8, objfmt.RelPC32, far, 0x100000)
			return []*mod{a}
		},
		want: "error: a.vo:(.text+0x0): relocation INSN_ABS out of range: 2147483648 is not in [-2147483648, 2147483647]; references far\n" +
			">>> referenced by a.s:5 (a.vo: function _start)\n" +
			">>> defined in a.vo\n" +
			"error: a.vo:(.data+0x0): relocation ABS32 out of range: -1 is not in [0, 4294967295]; references section .text\n" +
			">>> referenced by a.vo:(.data+0x0)\n" +
			"error: a.vo:(.data+0x8): relocation PC32 out of range: 2148462584 is not in [-2147483648, 2147483647]; references far\n" +
			">>> referenced by a.vo:(.data+0x8)\n" +
			">>> defined in a.vo",
	}, {
		name: "relocation against a discarded section",
		mods: func() []*mod {
			a := start()
			c := a.sec(".comment", 0, 1, []byte("hello"))
			note := a.def("note", objfmt.BindGlobal, objfmt.SymObject, c, 0)
			d := a.sec(".data", rw, 8, make([]byte, 16))
			a.reloc(d, 0, objfmt.RelAbs64, note, 0)
			a.reloc(d, 8, objfmt.RelAbs64, a.secSym(c), 0)
			return []*mod{a}
		},
		want: "error: relocation refers to a symbol in a discarded section: note\n" +
			">>> referenced by a.vo:(.data+0x0)\n" +
			">>> defined in a.vo\n" +
			"error: relocation refers to a discarded section: .comment\n" +
			">>> referenced by a.vo:(.data+0x8)",
	}, {
		name: "entry in a discarded section",
		mods: func() []*mod {
			a := newMod()
			a.def("_start", objfmt.BindGlobal, objfmt.SymFunc, a.sec(".comment", 0, 1, []byte("x")), 0)
			return []*mod{a}
		},
		want: "error: entry symbol _start is defined in a section that is not loaded (a.vo)",
	}, {
		name: "inputs that are not relocatable modules",
		mods: func() []*mod {
			a := start()
			a.f.Type = objfmt.TypeExec
			b := start()
			b.f = nil
			return []*mod{a, b, start()}
		},
		want: "error: a.vo: not a relocatable module (it is executable)\n" +
			"error: b.vo: no module",
	}, {
		name: "malformed module",
		mods: func() []*mod {
			a := start()
			a.f.Sections = append(a.f.Sections, nil)
			t := a.f.Sections[0]
			t.Size = 99
			t.Align = 3
			t.Flags |= 1 << 7
			t.Relocs = []objfmt.Reloc{
				{Offset: 0, Kind: 99},
				{Offset: 96, Kind: objfmt.RelInsnPC},
				{Offset: 0, Kind: objfmt.RelAbs64, Sym: 50},
				{Offset: 0, Kind: objfmt.RelAbs64, Sym: 1},
			}
			t.Lines = []objfmt.Line{{Offset: 8}, {Offset: 0}}
			a.f.Sections = append(a.f.Sections, &objfmt.Section{Name: ".weird", Kind: 7},
				&objfmt.Section{Name: ".bss", Kind: nob, Data: []byte{1}, Relocs: []objfmt.Reloc{{}}})
			a.undef("", objfmt.BindGlobal)
			a.undef("local_undef", objfmt.BindLocal)
			a.def("bad_sec", objfmt.BindGlobal, objfmt.SymNoType, 9, 0)
			a.def("bad_bind", 3, objfmt.SymNoType, 0, 0)
			a.def("", objfmt.BindGlobal, objfmt.SymSection, 0, 0)
			a.def("sec", objfmt.BindWeak, objfmt.SymSection, 0, 0)
			a.f.Sections[0].Relocs[3].Sym = 2
			return []*mod{a}
		},
		want: "error: a.vo: section .text: size 99 does not match its 16 data bytes\n" +
			"error: a.vo: section .text: alignment 3 is not a power of two\n" +
			"error: a.vo: section .text: unknown flags 0x85\n" +
			"error: a.vo: section .text: relocation 0: unsupported kind RELOC_99\n" +
			"error: a.vo: section .text: relocation 1: offset 0x60 out of range\n" +
			"error: a.vo: section .text: relocation 2: symbol index 50 out of range\n" +
			"error: a.vo: section .text: relocation 3: local symbol \"local_undef\" is undefined\n" +
			"error: a.vo: section .text: line table entry 1: offset 0x0 out of order or out of range\n" +
			"error: a.vo: section 1 is missing\n" +
			"error: a.vo: section .weird: unknown section kind 7\n" +
			"error: a.vo: section .bss: NOBITS section has data bytes\n" +
			"error: a.vo: section .bss: NOBITS section has relocations\n" +
			"error: a.vo: symbol 1: global symbol without a name\n" +
			"error: a.vo: symbol bad_sec: section index 9 out of range\n" +
			"error: a.vo: symbol bad_bind: unknown binding 3\n" +
			"error: a.vo: symbol 5: global symbol without a name\n" +
			"error: a.vo: symbol sec: section symbol is not local",
	}, {
		name: "base address not page-aligned",
		cfg:  Config{Base: 0x10001},
		mods: func() []*mod { return []*mod{start()} },
		want: "error: base address 0x10001 is not a multiple of the page size (4096)",
	}, {
		name: "section too large",
		mods: func() []*mod {
			a := start()
			a.bss(".data", rw, 8, 1<<31)
			a.sec(".data.x", rw, 8, []byte{1})
			return []*mod{a}
		},
		want: "error: output section .data is too large (2147483649 bytes, limit 1073741824)",
	}, {
		name: "address space exhausted",
		mods: func() []*mod {
			a := start()
			a.bss(".bss", rw, 8, 1<<63)
			a.bss(".bss.more", rw, 8, 1<<63)
			return []*mod{a}
		},
		want: "error: a.vo: section .bss.more: output section .bss does not fit in the address space",
	}, {
		name: "image past the end of the address space",
		mods: func() []*mod {
			a := start()
			a.bss(".bss", rw, 8, 1<<63)
			a.bss(".other", rw, 8, 1<<63)
			return []*mod{a}
		},
		want: "error: output section .other does not fit in the address space",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Link(tt.cfg, in(tt.mods()...))
			require.Error(t, err)
			assert.Nil(t, f)
			assert.Equal(t, tt.want, err.Error())
			var le *Error
			require.ErrorAs(t, err, &le)
			assert.NotEmpty(t, le.Diags)
		})
	}
}
