package vm

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"linkvm/asm"
	"linkvm/objfmt"
	"linkvm/staticld"
)

// Multi-module processes are built by hand here, as a dynamic loader
// would: NewProcess, MapModule for the executable (base 0) and for a
// "shared module" mapped at libBase, Write64 to fill the executable's
// pointers to the module's functions, Start.

// libBase is where tests map their shared module.
const libBase = 0x1_0000_0000

// sharedModule assembles src (as lib.s) and makes a shared module of it:
// linked statically with entry symbol entry, then moved so that its first
// section is at 0, as vmld -shared lays modules out. Code that only uses
// pc-relative addressing (calls, branches, la) runs anywhere.
func sharedModule(t testing.TB, src, entry string) *objfmt.File {
	t.Helper()
	obj, err := asm.Assemble("lib.s", []byte(src), asm.Options{})
	require.NoError(t, err)
	f, err := staticld.Link(staticld.Config{Entry: entry}, []staticld.Input{{Name: "lib.vo", File: obj}})
	require.NoError(t, err)
	lo := uint64(AddrLimit)
	for _, s := range f.Sections {
		if s.Flags&objfmt.FlagAlloc != 0 {
			lo = min(lo, s.Addr)
		}
	}
	for _, s := range f.Sections {
		if s.Flags&objfmt.FlagAlloc != 0 {
			s.Addr -= lo
		}
	}
	for i := range f.Symbols {
		if f.Symbols[i].Section >= 0 {
			f.Symbols[i].Value -= lo
		}
	}
	f.Type, f.Entry = objfmt.TypeShared, 0
	return f
}

// symbol returns the value of the symbol name in f.
func symbol(t testing.TB, f *objfmt.File, name string) uint64 {
	t.Helper()
	for _, s := range f.Symbols {
		if s.Name == name {
			return s.Value
		}
	}
	t.Fatalf("no symbol %s", name)
	return 0
}

// multi is a process with an executable and a shared module.
type multi struct {
	p        *Process
	exe, lib *Module
	out      *strings.Builder // stdout
	errb     *strings.Builder // stderr
}

// newMulti maps exeSrc (assembled as t.s, named t.img) and libSrc (lib.s,
// libt.vso at libBase, entry symbol libEntry), stores the address of each
// lib function named in links into the executable's data word of the same
// name with "ptr_" in front, and starts the process. If cfg has no
// Stdout/Stderr they are captured.
func newMulti(t testing.TB, exeSrc, libSrc, libEntry string, links []string, cfg Config) *multi {
	t.Helper()
	m := &multi{out: &strings.Builder{}, errb: &strings.Builder{}}
	if cfg.Stdout == nil {
		cfg.Stdout = m.out
	}
	if cfg.Stderr == nil {
		cfg.Stderr = m.errb
	}
	if cfg.Args == nil {
		cfg.Args = []string{"t"}
	}
	m.p = NewProcess(cfg)
	exe := assemble(t, exeSrc)
	var err error
	m.exe, err = m.p.MapModule(exe, "t.img", "/bin/t.img", 0)
	require.NoError(t, err)
	m.lib, err = m.p.MapModule(sharedModule(t, libSrc, libEntry), "libt.vso", "/lib/libt.vso", libBase)
	require.NoError(t, err)
	for _, name := range links {
		require.NoError(t, m.p.Write64(symbol(t, exe, "ptr_"+name), m.libAddr(t, name)))
	}
	m.p.Start(exe.Entry)
	return m
}

// libAddr is the address of the lib's symbol name in the process.
func (m *multi) libAddr(t testing.TB, name string) uint64 {
	return m.lib.Base + symbol(t, m.lib.File, name)
}

// callLib is an executable that calls the lib's greet(5, cb) through the
// pointer ptr_greet and halts with its result; cb adds 100 to its argument.
const callLib = `
_start:	la r1, ptr_greet
	ld64 r5, [r1]
	li r0, 5
	la r1, cb
	callr r5
	halt
cb:	addi r0, r0, 100
	ret
	.data
ptr_greet:	.quad 0`

// greetLib is a module whose greet(x, cb) prints "hello\n" from its
// rodata, counts its calls in its data, and returns cb(x + count).
const greetLib = `
	.global greet
greet:	enter 16
	st64 r0, [sp]
	st64 r1, [sp + 8]
	li r0, 1
	la r1, msg
	li r2, 6
	sys 1
	la r3, count
	ld64 r4, [r3]
	addi r4, r4, 1
	st64 r4, [r3]
	ld64 r0, [sp]
	add r0, r0, r4
	ld64 r5, [sp + 8]
	callr r5
	leave
	ret
	.rodata
msg:	.ascii "hello\n"
	.data
count:	.quad 0
	.bss
zeros:	.zero 64`

func TestCallIntoSharedModuleAndBack(t *testing.T) {
	m := newMulti(t, callLib, greetLib, "greet", []string{"greet"}, Config{})
	status, err := m.p.Run()
	require.NoError(t, err)
	assert.Equal(t, 5+1+100, status)
	assert.Equal(t, "hello\n", m.out.String())
	// The module's data is the process's own copy.
	count, err := m.p.Read64(m.libAddr(t, "count"))
	require.NoError(t, err)
	assert.Equal(t, uint64(1), count)
	assert.Equal(t, make([]byte, 8), m.lib.File.Sections[2].Data[:8])
}

func TestSharedModuleMemory(t *testing.T) {
	lib := sharedModule(t, greetLib, "greet")
	var procs [2]*Process
	var mods [2]*Module
	for i := range procs {
		procs[i] = NewProcess(Config{})
		var err error
		mods[i], err = procs[i].MapModule(lib, "libt.vso", "/lib/libt.vso", libBase)
		require.NoError(t, err)
	}
	text, rodata, data, bss := lib.Sections[0], lib.Sections[1], lib.Sections[2], lib.Sections[3]
	require.Equal(t, []string{".text", ".rodata", ".data", ".bss"}, []string{text.Name, rodata.Name, data.Name, bss.Name})
	for _, p := range procs {
		// Code and read-only data are the File's bytes, not copies.
		assert.Same(t, &text.Data[0], &p.as.find(libBase).data[0])
		assert.Same(t, &rodata.Data[0], &p.as.find(libBase + rodata.Addr).data[0])
		// Writable data is private, NOBITS zero-filled.
		assert.NotSame(t, &data.Data[0], &p.as.find(libBase + data.Addr).data[0])
		assert.Equal(t, make([]byte, 64), p.as.find(libBase+bss.Addr).data)
	}
	assert.NotSame(t, &procs[0].as.find(libBase + data.Addr).data[0], &procs[1].as.find(libBase + data.Addr).data[0])

	// Writing the process's copy of .data changes neither the File nor the
	// other process.
	require.NoError(t, procs[0].Write64(libBase+data.Addr, 99))
	v, err := procs[1].Read64(libBase + data.Addr)
	require.NoError(t, err)
	assert.Equal(t, uint64(0), v)
	assert.Equal(t, make([]byte, 8), data.Data[:8])

	// The host cannot write shared code either.
	assert.EqualError(t, procs[0].Write64(libBase+8, 0), "write to read-only memory at 0x100000008 (section .text of libt.vso)")
	assert.EqualError(t, procs[0].Write64(libBase+rodata.Addr, 0), "write to read-only memory at 0x100001000 (section .rodata of libt.vso)")
	assert.Equal(t, "hello\n", string(rodata.Data))
}

func TestStoreIntoSharedCodeTraps(t *testing.T) {
	lib := `
	.global poke
poke:	la r1, msg
	st8 r0, [r1]
	ret
	.rodata
msg:	.ascii "hello\n"`
	exe := `
_start:	la r1, ptr_poke
	ld64 r5, [r1]
	li r0, 0x41
	callr r5
	halt
	.data
ptr_poke:	.quad 0`
	before := sharedModule(t, lib, "poke")
	m := newMulti(t, exe, lib, "poke", []string{"poke"}, Config{})
	_, err := m.p.Run()
	var trap *Trap
	require.ErrorAs(t, err, &trap)
	assert.ErrorIs(t, err, ErrWriteProtect)
	assert.Equal(t, `trap: write to read-only memory at 0x100001000 (section .rodata of libt.vso)
  at libt.vso:poke+0x8 (lib.s:4)
backtrace:
  #0 0x100000008 libt.vso:poke+0x8 (lib.s:4)
  #1 0x10018 _start+0x18 (t.s:5)
`, trap.Report())
	assert.Equal(t, before.Sections[1].Data, m.lib.File.Sections[1].Data)
	assert.Equal(t, "hello\n", string(m.lib.File.Sections[1].Data))
}

func TestTrapNamesSharedModuleFunctions(t *testing.T) {
	lib := `
	.global outer
outer:	enter 0
	call inner
	leave
	ret
inner:	li r1, 0
	divs r0, r0, r1
	ret`
	exe := `
_start:	enter 0
	la r1, ptr_outer
	ld64 r5, [r1]
	callr r5
	halt
	.data
ptr_outer:	.quad 0`
	m := newMulti(t, exe, lib, "outer", []string{"outer"}, Config{})
	_, err := m.p.Run()
	var trap *Trap
	require.ErrorAs(t, err, &trap)
	assert.Equal(t, "trap: division by zero at libt.vso:inner+0x8 (lib.s:8)", trap.Error())
	assert.Equal(t, `trap: division by zero
  at libt.vso:inner+0x8 (lib.s:8)
backtrace:
  #0 0x100000028 libt.vso:inner+0x8 (lib.s:8)
  #1 0x100000008 libt.vso:outer+0x8 (lib.s:4)
  #2 0x10018 _start+0x18 (t.s:5)
`, trap.Report())
	assert.Equal(t, Frame{PC: 0x100000028, Module: "libt.vso", Func: "inner", Off: 8, File: "lib.s", Line: 8}, trap.Frames[0])
}

func TestFrameLocation(t *testing.T) {
	for _, tc := range []struct {
		f    Frame
		want string
	}{
		{Frame{PC: 0x10010, Func: "greet", Off: 0x10, File: "greet.s", Line: 5}, "greet+0x10 (greet.s:5)"},
		{Frame{PC: 0x100000010, Module: "libgreet.vso", Func: "greet", Off: 0x10, File: "greet.s", Line: 5}, "libgreet.vso:greet+0x10 (greet.s:5)"},
		{Frame{PC: 0x100000010, Module: "libgreet.vso", Off: 0x10}, "libgreet.vso+0x10"},
		{Frame{PC: 0x100000010}, "0x100000010"},
	} {
		assert.Equal(t, tc.want, tc.f.Location())
	}
}

func TestTrapInModuleWithoutSymbols(t *testing.T) {
	// A module stripped of its static symbols is named by its dynamic
	// symbols, or else by module+offset.
	lib := sharedModule(t, "\n\t.global f\nf:\tnop\n\ttrap 3", "f")
	lib.Symbols = nil
	for _, tc := range []struct {
		dyn  *objfmt.Dynamic
		want string
	}{
		{&objfmt.Dynamic{Symbols: []objfmt.DynSymbol{{Name: "f", Defined: true, Value: 0}, {Name: "g", Value: 0x4}}}, "libt.vso:f+0x8 (lib.s:4)"},
		{nil, "libt.vso+0x8 (lib.s:4)"},
	} {
		lib.Dynamic = tc.dyn
		p := NewProcess(Config{})
		_, err := p.MapModule(lib, "libt.vso", "/lib/libt.vso", libBase)
		require.NoError(t, err)
		p.Start(libBase)
		_, err = p.Run()
		var trap *Trap
		require.ErrorAs(t, err, &trap)
		assert.Equal(t, "trap: user trap 3 at "+tc.want, trap.Error())
	}
}

func TestMapModuleErrors(t *testing.T) {
	exe := assemble(t, "\n_start:\thalt\n\t.data\n\t.quad 1")
	lib := sharedModule(t, greetLib, "greet")
	for _, tc := range []struct {
		name string
		f    func() *objfmt.File
		base uint64
		want string
	}{
		{"nil", func() *objfmt.File { return nil }, libBase, "m: no module"},
		{"relocatable", func() *objfmt.File { return &objfmt.File{Type: objfmt.TypeRel} }, libBase, "m: not a loadable module (type relocatable)"},
		{"second executable", func() *objfmt.File { return exe }, 0, "m: the process already has an executable, t.img"},
		{"executable not at 0", func() *objfmt.File { return exe }, libBase, "m: an executable is mapped at base 0, not 0x100000000"},
		{"misaligned base", func() *objfmt.File { return lib }, libBase + 8, "m: base 0x100000008 is not a multiple of the page size 0x1000"},
		{"overlaps the first module", func() *objfmt.File { return lib }, libBase + 0x1000,
			"m: section .text of m [0x100001000, 0x100001088) overlaps section .rodata of libt.vso [0x100001000, 0x100001006)"},
		{"overlaps the executable", func() *objfmt.File { return lib }, 0x10000,
			"m: section .text of m [0x10000, 0x10088) overlaps section .text [0x10000, 0x10008)"},
		{"in the heap's range", func() *objfmt.File { return lib }, 0x20000,
			"m: section .text of m [0x20000, 0x20088) overlaps the heap's range [0x12000, 0x10012000)"},
		{"on the stack", func() *objfmt.File { return lib }, StackTop - 0x2000,
			"m: section .text of m [0x7fffe000, 0x7fffe088) overlaps the stack [0x7ff00000, 0x80000000)"},
		{"null area", func() *objfmt.File { return lib }, 0,
			"m: section .text at 0x0 is in the null area (below 0x10000)"},
		{"beyond the address space", func() *objfmt.File { return lib }, AddrLimit - 0x2000,
			"m: section .data [0x800000000000, +0x8) does not fit in the 47-bit address space"},
		{"wraps around", func() *objfmt.File { return lib }, ^uint64(0) &^ 0xfff,
			"m: section .text [0xfffffffffffff000, +0x88) does not fit in the 47-bit address space"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := NewProcess(Config{})
			_, err := p.MapModule(exe, "t.img", "t.img", 0)
			require.NoError(t, err)
			_, err = p.MapModule(lib, "libt.vso", "libt.vso", libBase)
			require.NoError(t, err)
			_, err = p.MapModule(tc.f(), "m", "/lib/m", tc.base)
			assert.EqualError(t, err, tc.want)
			// A failed mapping leaves nothing behind.
			assert.Len(t, p.Modules(), 2)
			assert.Len(t, p.as.segs, 8) // 2 + 4 sections, the stack, the heap
		})
	}
}

func TestModulesAndModuleAt(t *testing.T) {
	m := newMulti(t, callLib, greetLib, "greet", []string{"greet"}, Config{})
	assert.Equal(t, []*Module{m.exe, m.lib}, m.p.Modules())
	assert.Equal(t, "t.img", m.exe.Name)
	assert.Equal(t, "/lib/libt.vso", m.lib.Path)
	for _, tc := range []struct {
		addr uint64
		want *Module
	}{
		{0x10000, m.exe},
		{0x10800, m.exe}, // between sections
		{0x11000, m.exe}, // .data
		{libBase, m.lib},
		{libBase + 0x1008, m.lib}, // padding after .rodata
		{libBase + 0x3000, m.lib}, // .bss
		{libBase + 0x3040, nil},   // just past it
		{0x8000, nil},
		{StackTop - 8, nil},
	} {
		assert.Same(t, tc.want, m.p.ModuleAt(tc.addr), "%#x", tc.addr)
	}
	// Modules returns a copy.
	m.p.Modules()[0] = nil
	assert.Same(t, m.exe, m.p.Modules()[0])
}

func TestUnmapModule(t *testing.T) {
	// The executable calls greet, unmaps the module (here from the host,
	// by a dlclose handled by a fake linker) and calls greet again.
	exe := `
_start:	la r1, ptr_greet
	ld64 r5, [r1]
	li r0, 5
	la r1, cb
	callr r5
	mov r20, r0
	li r0, 1
	sys 12
	la r1, ptr_greet
	ld64 r5, [r1]
	callr r5
	halt
cb:	ret
	.data
ptr_greet:	.quad 0`
	m := newMulti(t, exe, greetLib, "greet", []string{"greet"}, Config{})
	m.p.SetLinker(&fakeLinker{close: func(p *Process, h uint64) error {
		return p.UnmapModule(m.lib)
	}})
	_, err := m.p.Run()
	var trap *Trap
	require.ErrorAs(t, err, &trap)
	assert.ErrorIs(t, err, ErrBadJump)
	assert.Equal(t, "trap: bad jump to 0x100000000 (unmapped) at _start+0x50 (t.s:12)", trap.Error())
	assert.Equal(t, "hello\n", m.out.String())
	assert.Equal(t, []*Module{m.exe}, m.p.Modules())
	assert.Nil(t, m.p.ModuleAt(libBase))
	_, err = m.p.Read64(m.libAddr(t, "count"))
	assert.EqualError(t, err, "memory fault: read at 0x100002000 (unmapped)")

	assert.EqualError(t, m.p.UnmapModule(m.lib), "vm: the module is not mapped in this process")
	assert.EqualError(t, m.p.UnmapModule(nil), "vm: the module is not mapped in this process")
	assert.EqualError(t, m.p.UnmapModule(m.exe), "vm: t.img: the executable cannot be unmapped")
}

func TestUnmapThenMapAgain(t *testing.T) {
	// A module can be mapped again where it was, getting fresh data; the
	// map generation says the code there may have changed, each time.
	m := newMulti(t, callLib, greetLib, "greet", []string{"greet"}, Config{})
	require.NoError(t, m.p.Write64(m.libAddr(t, "count"), 41))
	gen := m.p.MapGeneration()
	require.NoError(t, m.p.UnmapModule(m.lib))
	unmapped := m.p.MapGeneration()
	assert.NotEqual(t, gen, unmapped)
	lib, err := m.p.MapModule(m.lib.File, "libt.vso", "/lib/libt.vso", libBase)
	require.NoError(t, err)
	assert.NotEqual(t, unmapped, m.p.MapGeneration())
	assert.NotEqual(t, gen, m.p.MapGeneration())
	m.lib = lib
	gen = m.p.MapGeneration()
	status, err := m.p.Run()
	require.NoError(t, err)
	assert.Equal(t, 106, status)
	assert.Equal(t, gen, m.p.MapGeneration(), "running maps nothing")
}

func TestHeapStartsAfterTheExecutable(t *testing.T) {
	// brk(0) is the first page after the executable, whatever is mapped
	// higher; the heap can grow to its limit.
	exe := `
_start:	li r0, 0
	sys 5
	mov r20, r0
	li64 r0, 0x100000
	sys 6
	mov r0, r20
	halt
	.data
	.quad 1`
	m := newMulti(t, exe, greetLib, "greet", nil, Config{})
	status, err := m.p.Run()
	require.NoError(t, err)
	assert.Equal(t, 0x12000, status)
	assert.Equal(t, uint64(0x12000+DefaultHeapLimit), m.p.heapMax)
}

func TestProcessWithoutExecutable(t *testing.T) {
	// With only shared modules, the heap goes after the highest one below
	// the stack when the process starts.
	lib := sharedModule(t, "\n\t.global f\nf:\tli r0, 0\n\tsys 5\n\thalt", "f")
	p := NewProcess(Config{})
	_, err := p.MapModule(lib, "libt.vso", "/lib/libt.vso", 0x40000)
	require.NoError(t, err)
	p.Start(0x40000)
	status, err := p.Run()
	require.NoError(t, err)
	assert.Equal(t, 0x41000, status)
}
