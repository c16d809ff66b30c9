package staticld

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"linkvm/objfmt"
	"linkvm/vm/isa"
)

// greetLib returns the module of a small shared library:
//
//	.text
//	_init:  ret                          # global: the default init function
//	greet:  la r0, msg                   # INSN_PC, local: direct
//	        call helper                  # local: direct
//	        call shout                   # own global: through the PLT
//	        ldpc r1, counter@got         # own global: GOT slot, GLOB_DAT
//	        ldpc r2, hidden@got          # local: GOT slot, RELATIVE
//	        call puts@plt                # import (-z undefs): through the PLT
//	        ret
//	helper: ret                          # local
//	shout:  ret                          # global
//	.rodata
//	msg:    "hi\0"
//	.data
//	counter: .quad 7                     # global object
//	hidden:  .quad 0                     # local
//	table:   .quad greet, msg, puts      # ABS64: own global, local, import
func greetLib() *mod {
	m := newMod()
	t := m.sec(".text", rx, 8, code(
		isa.Inst{Op: isa.RET},
		isa.Inst{Op: isa.LEA},
		isa.Inst{Op: isa.CALL},
		isa.Inst{Op: isa.CALL},
		isa.Inst{Op: isa.LDPC, RA: 1},
		isa.Inst{Op: isa.LDPC, RA: 2},
		isa.Inst{Op: isa.CALL},
		isa.Inst{Op: isa.RET},
		isa.Inst{Op: isa.RET},
		isa.Inst{Op: isa.RET},
	))
	r := m.sec(".rodata", ro, 1, []byte("hi\x00"))
	d := m.sec(".data", rw, 8, make([]byte, 40))
	m.f.Sections[d].Data[0] = 7
	m.fn("_init", t, 0, 8)
	greet := m.fn("greet", t, 8, 56)
	helper := m.def("helper", objfmt.BindLocal, objfmt.SymFunc, t, 64)
	shout := m.fn("shout", t, 72, 8)
	msg := m.def("msg", objfmt.BindLocal, objfmt.SymObject, r, 0)
	counter := m.def("counter", objfmt.BindGlobal, objfmt.SymObject, d, 0)
	m.f.Symbols[counter].Size = 8
	hidden := m.def("hidden", objfmt.BindLocal, objfmt.SymObject, d, 8)
	m.def("table", objfmt.BindLocal, objfmt.SymObject, d, 16)
	puts := m.undef("puts", objfmt.BindGlobal)
	m.reloc(t, 8, objfmt.RelInsnPC, msg, 0)
	m.reloc(t, 16, objfmt.RelInsnPC, helper, 0)
	m.reloc(t, 24, objfmt.RelInsnPC, shout, 0)
	m.reloc(t, 32, objfmt.RelInsnGot, counter, 0)
	m.reloc(t, 40, objfmt.RelInsnGot, hidden, 0)
	m.reloc(t, 48, objfmt.RelInsnPLT, puts, 0)
	m.reloc(d, 16, objfmt.RelAbs64, greet, 0)
	m.reloc(d, 24, objfmt.RelAbs64, msg, 1)
	m.reloc(d, 32, objfmt.RelAbs64, puts, 0)
	return m
}

// greetConfig is the configuration of greetLib's link.
func greetConfig() Config {
	return Config{Shared: true, Soname: "libgreet.vso.1", Version: "1.1", Runpath: []string{"$ORIGIN"}, AllowUndefined: true}
}

const greetDump = `type shared entry 0x0
section .text addr 0x0 size 0xa0 align 8 flags r-x
  0x000000  halt
  0x000008  sys   14
  0x000010  ldpc  ip, 0x3010
  0x000018  jr    ip
  0x000020  li    ip, 5
  0x000028  jmp   0x8
  0x000030  ldpc  ip, 0x3018
  0x000038  jr    ip
  0x000040  li    ip, 6
  0x000048  jmp   0x8
  0x000050  ret
  0x000058  lea   r0, 0x1000 <msg>
  0x000060  call  0x90 <helper>
  0x000068  call  0x10
  0x000070  ldpc  r1, 0x3000
  0x000078  ldpc  r2, 0x3008
  0x000080  call  0x30
  0x000088  ret
  0x000090  ret
  0x000098  ret
section .rodata addr 0x1000 size 0x3 align 1 flags r--
  "hi\x00"
section .data addr 0x2000 size 0x28 align 8 flags rw-
  0x002000  0x7
  0x002008  0x0
  0x002010  0x0
  0x002018  0x1001
  0x002020  0x0
section .got addr 0x3000 size 0x20 align 8 flags rw-
  0x003000  0x0
  0x003008  0x2008
  0x003010  0x20
  0x003018  0x40
symbols
  _init      1 1 sec 0 value 0x50 size 8
  greet      1 1 sec 0 value 0x58 size 56
  helper     0 1 sec 0 value 0x90 size 0
  shout      1 1 sec 0 value 0x98 size 8
  msg        0 2 sec 1 value 0x1000 size 0
  counter    1 2 sec 2 value 0x2000 size 8
  hidden     0 2 sec 2 value 0x2008 size 0
  table      0 2 sec 2 value 0x2010 size 0
dynamic soname "libgreet.vso.1" version "1.1" needed [] runpath ["$ORIGIN"] init 0x50 fini 0x0 plt0 0x8
  dynsym 0 _init    bind 1 type 1 defined true value 0x50 size 8
  dynsym 1 greet    bind 1 type 1 defined true value 0x58 size 56
  dynsym 2 shout    bind 1 type 1 defined true value 0x98 size 8
  dynsym 3 counter  bind 1 type 2 defined true value 0x2000 size 8
  dynsym 4 puts     bind 1 type 0 defined false value 0x0 size 0
  dynrel 0 0x002010 ABS64     greet    0x0
  dynrel 1 0x002018 RELATIVE  -        0x1001
  dynrel 2 0x002020 ABS64     puts     0x0
  dynrel 3 0x003000 GLOB_DAT  counter  0x0
  dynrel 4 0x003008 RELATIVE  -        0x2008
  dynrel 5 0x003010 JUMP_SLOT shout    0x20
  dynrel 6 0x003018 JUMP_SLOT puts     0x40
`

func TestLinkSharedModule(t *testing.T) {
	f, err := Link(greetConfig(), in(greetLib()))
	require.NoError(t, err)
	assert.Equal(t, greetDump, dump(f))
	_, err = f.Encode()
	require.NoError(t, err, "the module must be valid for objfmt")
}

// prog returns a program that uses greetLib:
//
//	.text
//	_start: call greet                   # defined in the library: PLT
//	        call greet@plt               # the same stub
//	        ldpc r1, counter@got         # import: GLOB_DAT
//	        la r3, own                   # own data: direct
//	        halt
//	puts:   ret                          # the library imports it: exported
//	.data
//	own:    .quad counter, _start        # import: ABS64; own: link time
func prog() *mod {
	m := newMod()
	t := m.sec(".text", rx, 8, code(
		isa.Inst{Op: isa.CALL},
		isa.Inst{Op: isa.CALL},
		isa.Inst{Op: isa.LDPC, RA: 1},
		isa.Inst{Op: isa.LEA, RA: 3},
		isa.Inst{Op: isa.HALT},
		isa.Inst{Op: isa.RET},
	))
	d := m.sec(".data", rw, 8, make([]byte, 16))
	start := m.fn("_start", t, 0, 40)
	m.fn("puts", t, 40, 8)
	own := m.def("own", objfmt.BindLocal, objfmt.SymObject, d, 0)
	greet := m.undef("greet", objfmt.BindGlobal)
	counter := m.undef("counter", objfmt.BindGlobal)
	m.reloc(t, 0, objfmt.RelInsnPC, greet, 0)
	m.reloc(t, 8, objfmt.RelInsnPLT, greet, 0)
	m.reloc(t, 16, objfmt.RelInsnGot, counter, 0)
	m.reloc(t, 24, objfmt.RelInsnPC, own, 0)
	m.reloc(d, 0, objfmt.RelAbs64, counter, 0)
	m.reloc(d, 8, objfmt.RelAbs64, start, 0)
	return m
}

// linkGreet links greetLib into a shared module.
func linkGreet(t *testing.T) *objfmt.File {
	t.Helper()
	lib, err := Link(greetConfig(), in(greetLib()))
	require.NoError(t, err)
	return lib
}

const progDump = `type executable entry 0x10028
section .text addr 0x10000 size 0x58 align 8 flags r-x
  0x010000  sys   14
  0x010008  ldpc  ip, 0x12008
  0x010010  jr    ip
  0x010018  li    ip, 2
  0x010020  jmp   0x10000
  0x010028  call  0x10008
  0x010030  call  0x10008
  0x010038  ldpc  r1, 0x12000
  0x010040  lea   r3, 0x11000 <own>
  0x010048  halt
  0x010050  ret
section .data addr 0x11000 size 0x10 align 8 flags rw-
  0x011000  0x0
  0x011008  0x10028
section .got addr 0x12000 size 0x10 align 8 flags rw-
  0x012000  0x0
  0x012008  0x10018
symbols
  _start     1 1 sec 0 value 0x10028 size 40
  puts       1 1 sec 0 value 0x10050 size 8
  own        0 2 sec 1 value 0x11000 size 0
dynamic soname "" version "" needed ["libgreet.vso.1"] runpath [] init 0x0 fini 0x0 plt0 0x10000
  dynsym 0 puts     bind 1 type 1 defined true value 0x10050 size 8
  dynsym 1 greet    bind 1 type 1 defined false value 0x0 size 0
  dynsym 2 counter  bind 1 type 2 defined false value 0x0 size 0
  dynrel 0 0x011000 ABS64     counter  0x0
  dynrel 1 0x012000 GLOB_DAT  counter  0x0
  dynrel 2 0x012008 JUMP_SLOT greet    0x10018
`

func TestLinkAgainstSharedModule(t *testing.T) {
	lib := linkGreet(t)
	f, err := Link(Config{}, []Input{{Name: "prog.vo", File: prog().f}, {Name: "libgreet.vso", File: lib}})
	require.NoError(t, err)
	assert.Equal(t, progDump, dump(f))
	_, err = f.Encode()
	require.NoError(t, err, "the image must be valid for objfmt")
}

func TestStaticGotAndPLT(t *testing.T) {
	// Without shared modules, @got gets a slot filled at link time and
	// @plt is a direct call: no .plt, no dynamic-linking information.
	m := start()
	d := m.sec(".data", rw, 8, make([]byte, 8))
	x := m.def("x", objfmt.BindGlobal, objfmt.SymObject, d, 0)
	t0 := m.sec(".text.more", rx, 8, code(isa.Inst{Op: isa.LDPC, RA: 1}, isa.Inst{Op: isa.CALL}))
	m.reloc(t0, 0, objfmt.RelInsnGot, x, 0)
	m.reloc(t0, 8, objfmt.RelInsnPLT, 0, 0) // _start
	f, err := Link(Config{}, in(m))
	require.NoError(t, err)
	assert.Equal(t, `type executable entry 0x10000
section .text addr 0x10000 size 0x20 align 8 flags r-x
  0x010000  nop
  0x010008  nop
  0x010010  ldpc  r1, 0x12000
  0x010018  call  0x10000 <_start>
section .data addr 0x11000 size 0x8 align 8 flags rw-
  0x011000  0x0
section .got addr 0x12000 size 0x8 align 8 flags rw-
  0x012000  0x11000
symbols
  _start     1 1 sec 0 value 0x10000 size 16
  x          1 2 sec 1 value 0x11000 size 0
no dynamic
`, dump(f))
}

func TestSymbolicAndAsNeeded(t *testing.T) {
	lib := linkGreet(t)
	cfg := greetConfig()
	cfg.Symbolic = true
	sym, err := Link(cfg, in(greetLib()))
	require.NoError(t, err)
	// Only the import puts keeps a PLT stub; counter's slot is RELATIVE.
	var kinds []string
	for _, r := range sym.Dynamic.Relocs {
		kinds = append(kinds, r.Kind.String())
	}
	assert.Equal(t, []string{"RELATIVE", "RELATIVE", "ABS64", "RELATIVE", "RELATIVE", "JUMP_SLOT"}, kinds)

	other := &objfmt.File{Type: objfmt.TypeShared, Dynamic: &objfmt.Dynamic{Soname: "libother.vso.2"}}
	nameless := &objfmt.File{Type: objfmt.TypeShared, Dynamic: &objfmt.Dynamic{}}
	link := func(asNeeded bool) []string {
		f, err := Link(Config{}, []Input{
			{Name: "prog.vo", File: prog().f},
			{Name: "dir/libother.vso", File: other, AsNeeded: asNeeded},
			{Name: "libgreet.vso", File: lib, AsNeeded: asNeeded},
			{Name: "dir/libnameless.vso", File: nameless},
			{Name: "again/libgreet.vso", File: lib},
		})
		require.NoError(t, err)
		return f.Dynamic.Needed
	}
	assert.Equal(t, []string{"libother.vso.2", "libgreet.vso.1", "libnameless.vso"}, link(false))
	assert.Equal(t, []string{"libgreet.vso.1", "libnameless.vso"}, link(true))

	// An unused --as-needed module leaves a static image.
	f, err := Link(Config{}, []Input{{Name: "a.vo", File: start().f}, {Name: "libother.vso", File: other, AsNeeded: true}})
	require.NoError(t, err)
	assert.Nil(t, f.Dynamic)
}

func TestSharedErrors(t *testing.T) {
	lib := func() *objfmt.File { return linkGreet(t) }
	// user returns a module whose .text+0x8 holds op with a relocation of
	// kind k against sym, defined (in .data, global) unless undefined.
	user := func(op isa.Op, k objfmt.RelocKind, sym string, section string) *mod {
		m := start()
		s := m.sec(section, rx, 8, code(isa.Inst{Op: op}))
		if section != ".text.x" {
			m.f.Sections[s].Flags = ro
		}
		i := m.undef(sym, objfmt.BindGlobal)
		m.reloc(s, 0, k, i, 0)
		return m
	}
	own := func(op isa.Op, k objfmt.RelocKind) *mod {
		m := user(op, k, "counter", ".text.x")
		d := m.sec(".data", rw, 8, make([]byte, 8))
		m.f.Symbols[len(m.f.Symbols)-1].Section = d
		m.f.Symbols[len(m.f.Symbols)-1].Type = objfmt.SymObject
		return m
	}
	shared := Config{Shared: true, Soname: "libx.vso.1"}
	tests := []struct {
		name string
		cfg  Config
		in   []Input
		err  string
	}{{
		name: "INSN_ABS in a shared module",
		cfg:  shared,
		in:   in(own(isa.LI, objfmt.RelInsnAbs)),
		err: "error: a.vo:(.text.x+0x0): relocation INSN_ABS against 'counter' cannot be used in a shared module; use 'la' (pc-relative) or 'ldpc r, counter@got'\n" +
			">>> referenced by a.vo:(.text.x+0x0)\n>>> defined in a.vo",
	}, {
		name: "ABS32 in a shared module",
		cfg:  shared,
		in:   in(own(isa.NOP, objfmt.RelAbs32)),
		err: "error: a.vo:(.text.x+0x0): relocation ABS32 against 'counter' cannot be used in a shared module; use '.quad counter' in writable data\n" +
			">>> referenced by a.vo:(.text.x+0x0)\n>>> defined in a.vo",
	}, {
		name: "ABS64 in read-only data of a shared module",
		cfg:  shared,
		in:   in(user(isa.NOP, objfmt.RelAbs64, "_start", ".rodata")),
		err: "error: a.vo:(.rodata+0x0): relocation ABS64 in read-only section .rodata of a shared module against '_start' needs the load address, but read-only sections are never written at load time; move it to .data\n" +
			">>> referenced by a.vo:(.rodata+0x0)\n>>> defined in a.vo",
	}, {
		name: "la of an interposable global",
		cfg:  shared,
		in:   in(own(isa.LEA, objfmt.RelInsnPC)),
		err: "error: a.vo:(.text.x+0x0): la/lea (INSN_PC) of 'counter', a global symbol of this shared module that another module may interpose, cannot be bound at link time; load its address with 'ldpc r, counter@got', make the symbol local or link with -Bsymbolic\n" +
			">>> referenced by a.vo:(.text.x+0x0)\n>>> defined in a.vo",
	}, {
		name: "la of another module's data",
		in:   []Input{{Name: "a.vo", File: user(isa.LEA, objfmt.RelInsnPC, "counter", ".text.x").f}, {Name: "libgreet.vso", File: lib()}},
		err: "error: a.vo:(.text.x+0x0): la/lea (INSN_PC) of 'counter', defined in libgreet.vso, cannot reach another module; load its address with 'ldpc r, counter@got'\n" +
			">>> referenced by a.vo:(.text.x+0x0)\n>>> defined in libgreet.vso",
	}, {
		name: "ldpc of another module's data",
		in:   []Input{{Name: "a.vo", File: user(isa.LDPC, objfmt.RelInsnPC, "counter", ".text.x").f}, {Name: "libgreet.vso", File: lib()}},
		err: "error: a.vo:(.text.x+0x0): ldpc (INSN_PC) of 'counter', defined in libgreet.vso, cannot reach another module; load its address with 'ldpc r, counter@got'\n" +
			">>> referenced by a.vo:(.text.x+0x0)\n>>> defined in libgreet.vso",
	}, {
		name: "PC32 to another module",
		in:   []Input{{Name: "a.vo", File: user(isa.NOP, objfmt.RelPC32, "counter", ".text.x").f}, {Name: "libgreet.vso", File: lib()}},
		err: "error: a.vo:(.text.x+0x0): relocation PC32 of 'counter', defined in libgreet.vso, cannot reach another module; put its address in writable data with '.quad counter'\n" +
			">>> referenced by a.vo:(.text.x+0x0)\n>>> defined in libgreet.vso",
	}, {
		name: "INSN_ABS against another module's symbol",
		in:   []Input{{Name: "a.vo", File: user(isa.LI, objfmt.RelInsnAbs, "counter", ".text.x").f}, {Name: "libgreet.vso", File: lib()}},
		err: "error: a.vo:(.text.x+0x0): relocation INSN_ABS against 'counter', defined in libgreet.vso, cannot be resolved at link time; use 'la' (pc-relative) or 'ldpc r, counter@got'\n" +
			">>> referenced by a.vo:(.text.x+0x0)\n>>> defined in libgreet.vso",
	}, {
		name: "ABS64 in read-only data against another module's symbol",
		in:   []Input{{Name: "a.vo", File: user(isa.NOP, objfmt.RelAbs64, "counter", ".rodata").f}, {Name: "libgreet.vso", File: lib()}},
		err: "error: a.vo:(.rodata+0x0): relocation ABS64 in read-only section .rodata against 'counter', defined in libgreet.vso, needs the load address, but read-only sections are never written at load time; move it to .data\n" +
			">>> referenced by a.vo:(.rodata+0x0)\n>>> defined in libgreet.vso",
	}, {
		name: "undefined everywhere stays an error",
		in:   []Input{{Name: "a.vo", File: user(isa.CALL, objfmt.RelInsnPC, "nowhere", ".text.x").f}, {Name: "libgreet.vso", File: lib()}},
		err:  "error: undefined symbol: nowhere\n>>> referenced by a.vo:(.text.x+0x0)",
	}, {
		name: "undefined in a shared module without -z undefs",
		cfg:  shared,
		in:   in(user(isa.CALL, objfmt.RelInsnPC, "nowhere", ".text.x")),
		err:  "error: undefined symbol: nowhere\n>>> referenced by a.vo:(.text.x+0x0)",
	}, {
		name: "static refuses a shared module",
		cfg:  Config{Static: true},
		in:   []Input{{Name: "a.vo", File: start().f}, {Name: "libgreet.vso", File: lib()}},
		err:  "error: libgreet.vso: cannot link a shared module in a static link (-static)",
	}, {
		name: "shared module without dynamic information",
		in:   []Input{{Name: "a.vo", File: start().f}, {Name: "bad.vso", File: &objfmt.File{Type: objfmt.TypeShared}}},
		err:  "error: bad.vso: shared module without dynamic-linking information",
	}, {
		name: "no soname",
		cfg:  Config{Shared: true},
		in:   in(start()),
		err:  "error: a shared module needs a soname: -soname NAME.vso.MAJOR (such as libgreet.vso.1)",
	}, {
		name: "bad soname",
		cfg:  Config{Shared: true, Soname: "libgreet.so.1"},
		in:   in(start()),
		err:  `error: soname "libgreet.so.1" is not NAME.vso.MAJOR (such as libgreet.vso.1)`,
	}, {
		name: "version does not match the soname",
		cfg:  Config{Shared: true, Soname: "libgreet.vso.1", Version: "2.1"},
		in:   in(start()),
		err:  "error: module version 2.1 does not match the soname libgreet.vso.1 (major version 1)",
	}, {
		name: "bad version",
		cfg:  Config{Shared: true, Soname: "libgreet.vso.1", Version: "1"},
		in:   in(start()),
		err:  `error: module version "1" is not MAJOR.MINOR (such as 1.2)`,
	}, {
		name: "soname of an executable",
		cfg:  Config{Soname: "libgreet.vso.1"},
		in:   in(start()),
		err:  "error: a soname (-soname libgreet.vso.1) is only for a shared module (-shared)",
	}, {
		name: "version of an executable",
		cfg:  Config{Version: "1.0"},
		in:   in(start()),
		err:  "error: a module version (--module-version 1.0) is only for a shared module (-shared)",
	}, {
		name: "static and shared",
		cfg:  Config{Shared: true, Static: true, Soname: "libx.vso.1"},
		in:   in(start()),
		err:  "error: -static and -shared cannot be used together",
	}, {
		name: "missing -init symbol",
		cfg:  Config{Shared: true, Soname: "libx.vso.1", Init: "setup"},
		in:   in(start()),
		err:  "error: -init: symbol setup is not defined in a loaded section",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Link(tt.cfg, tt.in)
			require.Error(t, err)
			assert.Equal(t, tt.err, err.Error())
		})
	}
}

func TestSharedDefaults(t *testing.T) {
	// Version defaults to MAJOR.0; -init/-fini name the functions; an
	// empty .text still gets its halt word, so nothing is at 0.
	m := newMod()
	d := m.sec(".text.a", rx, 8, code(isa.Inst{Op: isa.RET}, isa.Inst{Op: isa.RET}))
	m.fn("setup", d, 0, 8)
	m.fn("teardown", d, 8, 8)
	m.fn("_fini", d, 8, 8)
	f, err := Link(Config{Shared: true, Soname: "libx.vso.3", Init: "setup", Fini: "teardown"}, in(m))
	require.NoError(t, err)
	assert.Equal(t, "3.0", f.Dynamic.Version)
	assert.Equal(t, uint64(0x8), f.Dynamic.Init)
	assert.Equal(t, uint64(0x10), f.Dynamic.Fini)
	assert.Equal(t, ".text", f.Sections[0].Name)
	assert.Equal(t, uint64(0), f.Sections[0].Addr)
}

func TestTraceSharedDefinition(t *testing.T) {
	var b strings.Builder
	_, err := Link(Config{TraceSymbols: []string{"greet"}, Trace: &b},
		[]Input{{Name: "prog.vo", File: prog().f}, {Name: "libgreet.vso", File: linkGreet(t)}})
	require.NoError(t, err)
	assert.Equal(t, "prog.vo: reference to greet\nlibgreet.vso: shared definition of greet\n", b.String())
}

func TestSharedLinkIsDeterministic(t *testing.T) {
	var images [][]byte
	for range 3 {
		lib := linkGreet(t)
		f, err := Link(Config{}, []Input{{Name: "prog.vo", File: prog().f}, {Name: "libgreet.vso", File: lib}})
		require.NoError(t, err)
		a, err := lib.Encode()
		require.NoError(t, err)
		b, err := f.Encode()
		require.NoError(t, err)
		images = append(images, append(a, b...))
	}
	assert.Equal(t, images[0], images[1])
	assert.Equal(t, images[0], images[2])
}

func TestSharedMapAndGC(t *testing.T) {
	// --gc-sections keeps every export of a shared module, and the map
	// shows the linker's sections.
	m := greetLib()
	unused := m.sec(".text.unused", rx, 8, code(isa.Inst{Op: isa.RET}))
	m.def("dead", objfmt.BindLocal, objfmt.SymFunc, unused, 0)
	cfg := greetConfig()
	cfg.GCSections = true
	var b strings.Builder
	cfg.Map = &b
	f, err := Link(cfg, in(m))
	require.NoError(t, err)
	assert.Len(t, f.Dynamic.Symbols, 5)
	assert.Equal(t, `Input sections removed by --gc-sections:

a.vo:(.text.unused)             size 0x8

Memory map:

     VMA     Size Align Out     In      Symbol
       0       a0     8 .text
       8       48     8         <linker>:(.plt)
      10       20                       shout@plt
      30       20                       puts@plt
      50       50     8         a.vo:(.text)
      50        8                       _init
      58       38                       greet
      90        0                       helper
      98        8                       shout
    1000        3     1 .rodata
    1000        3     1         a.vo:(.rodata)
    1000        0                       msg
    2000       28     8 .data
    2000       28     8         a.vo:(.data)
    2000        8                       counter
    2008        0                       hidden
    2010        0                       table
    3000       20     8 .got
    3000       20     8         <linker>:(.got)
`, b.String())
}
