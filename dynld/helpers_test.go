package dynld

import (
	"bytes"
	"crypto/sha256"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"linkvm/objfmt"
	"linkvm/vm"
	"linkvm/vm/isa"
)

// Layout of the modules the builder makes, relative to the module's first
// section: .text, then .rodata and .data at fixed offsets.
const (
	exeStart  = 0x10000
	rodataOff = 0x4000
	dataOff   = 0x5000
	maxText   = rodataOff
)

// builder makes a small executable or shared module by hand: code words,
// strings, data words, PLT stubs and GOT slots, and the Dynamic that
// vmld -shared would write.
type builder struct {
	t      testing.TB
	exe    bool
	start  uint64 // address of .text
	text   []uint64
	rodata []byte
	data   []byte
	labels map[string]uint64 // text labels -> address
	fixups []fixup
	dyn    objfmt.Dynamic
	syms   map[string]int // dynamic symbol name -> index
	plt    []string       // imported functions with a PLT stub, in order
	pltGot map[string]uint64
	got    map[string]uint64
	init   string
	fini   string
}

// fixup patches the imm of the word at text index i with label - its pc.
type fixup struct {
	i     int
	label string
}

// newShared starts a shared module with the soname and version.
func newShared(t testing.TB, soname, version string, needed ...string) *builder {
	b := &builder{t: t, labels: map[string]uint64{}, syms: map[string]int{}, pltGot: map[string]uint64{}, got: map[string]uint64{}}
	b.dyn.Soname, b.dyn.Version, b.dyn.Needed = soname, version, needed
	return b
}

// newExe starts an executable needing the modules.
func newExe(t testing.TB, needed ...string) *builder {
	b := newShared(t, "", "", needed...)
	b.exe, b.start = true, exeStart
	return b
}

func (b *builder) pc() uint64 { return b.start + 8*uint64(len(b.text)) }

// ins emits one instruction word.
func (b *builder) ins(op isa.Op, ra, rb, rc uint8, imm int32) *builder {
	b.text = append(b.text, isa.Encode(op, ra, rb, rc, imm))
	return b
}

// toLabel emits op ra, rb, label (pc-relative to a text label).
func (b *builder) toLabel(op isa.Op, ra, rb uint8, label string) *builder {
	b.fixups = append(b.fixups, fixup{len(b.text), label})
	return b.ins(op, ra, rb, 0, 0)
}

// toAddr emits op ra, addr (pc-relative to a known address).
func (b *builder) toAddr(op isa.Op, ra uint8, addr uint64) *builder {
	return b.ins(op, ra, 0, 0, int32(int64(addr-b.pc())))
}

// fn starts a function; exported functions get a dynamic symbol.
func (b *builder) fn(name string, export bool) *builder {
	b.labels[name] = b.pc()
	if export {
		b.export(name, objfmt.SymFunc, b.pc()-b.start+b.start)
	}
	return b
}

// export adds a defined dynamic symbol at addr (absolute in the builder:
// for a shared module the same as relative).
func (b *builder) export(name string, typ objfmt.SymType, addr uint64) {
	b.syms[name] = len(b.dyn.Symbols)
	b.dyn.Symbols = append(b.dyn.Symbols, objfmt.DynSymbol{Name: name, Bind: objfmt.BindGlobal, Type: typ, Defined: true, Value: addr, Size: 8})
}

// importSym returns the index of an imported symbol, adding it.
func (b *builder) importSym(name string, weak bool) int {
	if i, ok := b.syms[name]; ok {
		return i
	}
	bind := objfmt.BindGlobal
	if weak {
		bind = objfmt.BindWeak
	}
	b.syms[name] = len(b.dyn.Symbols)
	b.dyn.Symbols = append(b.dyn.Symbols, objfmt.DynSymbol{Name: name, Bind: bind, Type: objfmt.SymFunc})
	return b.syms[name]
}

// print emits code writing s to stdout (clobbers r0-r2).
func (b *builder) print(s string) *builder {
	addr := b.start + rodataOff + uint64(len(b.rodata))
	b.rodata = append(b.rodata, s...)
	b.toAddr(isa.LEA, 1, addr)
	b.ins(isa.LI, 0, 0, 0, 1)
	b.ins(isa.LI, 2, 0, 0, int32(len(s)))
	return b.ins(isa.SYS, 0, 0, 0, vm.SysWrite)
}

// quad adds a data word and returns its address.
func (b *builder) quad(v uint64) uint64 {
	addr := b.start + dataOff + uint64(len(b.data))
	b.data = append(b.data, make([]byte, 8)...)
	for i := 0; i < 8; i++ {
		b.data[len(b.data)-8+i] = byte(v >> (8 * i))
	}
	return addr
}

// reloc adds a dynamic relocation at addr.
func (b *builder) reloc(kind objfmt.DynRelocKind, addr uint64, sym int, addend int64) {
	b.dyn.Relocs = append(b.dyn.Relocs, objfmt.DynReloc{Offset: addr, Kind: kind, Sym: sym, Addend: addend})
}

// callPLT emits a call to the imported function name through its PLT stub.
func (b *builder) callPLT(name string) *builder {
	b.pltFor(name, false)
	return b.toLabel(isa.CALL, 0, 0, "plt:"+name)
}

// pltFor makes sure name has a PLT stub and GOT slot.
func (b *builder) pltFor(name string, weak bool) {
	if _, ok := b.pltGot[name]; ok {
		return
	}
	b.importSym(name, weak)
	b.plt = append(b.plt, name)
	b.pltGot[name] = b.quad(0)
}

// gotFor returns the GOT slot (GLOB_DAT) of the symbol name.
func (b *builder) gotFor(name string, weak bool) uint64 {
	if a, ok := b.got[name]; ok {
		return a
	}
	var i int
	if j, ok := b.syms[name]; ok {
		i = j
	} else {
		i = b.importSym(name, weak)
		b.dyn.Symbols[i].Type = objfmt.SymObject
	}
	a := b.quad(0)
	b.reloc(objfmt.DynGlobDat, a, i, 0)
	b.got[name] = a
	return a
}

// callGOT emits a call through the GOT slot of name (r8 clobbered).
func (b *builder) callGOT(name string) *builder {
	b.toAddr(isa.LDPC, 8, b.gotFor(name, false))
	return b.ins(isa.CALLR, 8, 0, 0, 0)
}

// exit emits exit(status).
func (b *builder) exit(status int32) *builder {
	b.ins(isa.LI, 0, 0, 0, status)
	return b.ins(isa.SYS, 0, 0, 0, vm.SysExit)
}

// build finishes the module: PLT0 and stubs after the code, the JUMP_SLOT
// relocations, the labels patched, the sections and Dynamic set.
func (b *builder) build() *objfmt.File {
	b.t.Helper()
	if len(b.plt) > 0 {
		plt0 := b.pc()
		b.dyn.PLTResolve = plt0 - b.startBase()
		b.ins(isa.SYS, 0, 0, 0, vm.SysBind)
		for _, name := range b.plt {
			b.labels["plt:"+name] = b.pc()
			got := b.pltGot[name]
			b.toAddr(isa.LDPC, isa.RegIP, got)
			b.ins(isa.JR, isa.RegIP, 0, 0, 0)
			b.reloc(objfmt.DynJumpSlot, got, b.syms[name], int64(b.pc()-b.startBase()))
			b.ins(isa.LI, isa.RegIP, 0, 0, int32(len(b.dyn.Relocs)-1))
			b.toAddr(isa.JMP, 0, plt0)
		}
	}
	for _, f := range b.fixups {
		target, ok := b.labels[f.label]
		require.True(b.t, ok, "label %s", f.label)
		pc := b.start + 8*uint64(f.i)
		b.text[f.i] = b.text[f.i]&0xffffffff | uint64(uint32(int32(int64(target-pc))))<<32
	}
	require.LessOrEqual(b.t, 8*len(b.text), maxText)
	if b.init != "" {
		b.dyn.Init = b.labels[b.init] - b.startBase()
	}
	if b.fini != "" {
		b.dyn.Fini = b.labels[b.fini] - b.startBase()
	}
	text := make([]byte, 8*len(b.text))
	for i, w := range b.text {
		for j := 0; j < 8; j++ {
			text[8*i+j] = byte(w >> (8 * j))
		}
	}
	f := &objfmt.File{Type: objfmt.TypeShared}
	if b.exe {
		f.Type = objfmt.TypeExec
		f.Entry = b.labels["_start"]
	}
	f.Sections = append(f.Sections, &objfmt.Section{Name: ".text", Kind: objfmt.KindProgbits, Flags: objfmt.FlagAlloc | objfmt.FlagExec,
		Align: 8, Addr: b.start, Size: uint64(len(text)), Data: text})
	if len(b.rodata) > 0 {
		f.Sections = append(f.Sections, &objfmt.Section{Name: ".rodata", Kind: objfmt.KindProgbits, Flags: objfmt.FlagAlloc,
			Align: 8, Addr: b.start + rodataOff, Size: uint64(len(b.rodata)), Data: b.rodata})
	}
	if len(b.data) > 0 {
		f.Sections = append(f.Sections, &objfmt.Section{Name: ".data", Kind: objfmt.KindProgbits, Flags: objfmt.FlagAlloc | objfmt.FlagWrite,
			Align: 8, Addr: b.start + dataOff, Size: uint64(len(b.data)), Data: b.data})
	}
	d := b.dyn
	f.Dynamic = &d
	if b.exe && len(d.Needed) == 0 && len(d.Runpath) == 0 && len(d.Symbols) == 0 && len(d.Relocs) == 0 && d.Init == 0 && d.Fini == 0 {
		f.Dynamic = nil
	}
	return f
}

// startBase is what Dynamic addresses are relative to: 0 for both (an
// executable's are absolute, a shared module's start at 0).
func (b *builder) startBase() uint64 { return 0 }

// testFiles maps the content hash of the files written by writeRaw to
// their in-memory File.
var testFiles sync.Map // [32]byte -> *objfmt.File

// testParse decodes files written by writeRaw, others with objfmt.Parse.
func testParse(data []byte) (*objfmt.File, error) {
	if f, ok := testFiles.Load(sha256.Sum256(data)); ok {
		return f.(*objfmt.File), nil
	}
	return objfmt.Parse(data)
}

// writeModule encodes f (which validates it) and writes it to dir/name,
// returning the path. The loader reads it back with objfmt.Parse.
func writeModule(t testing.TB, dir, name string, f *objfmt.File) string {
	t.Helper()
	data, err := f.Encode()
	require.NoError(t, err)
	path := filepath.Join(dir, name)
	require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
	require.NoError(t, os.WriteFile(path, data, 0o644))
	return path
}

// result is what a program run printed and returned.
type result struct {
	status         int
	stdout, stderr string
	err            error
	modules        []string // the names of the modules mapped at the end
}

// runProg loads path with cfg (a fresh cache with the test decoder unless
// cfg has one) and runs it.
func runProg(t testing.TB, path string, cfg Config, args ...string) result {
	t.Helper()
	if cfg.Cache == nil {
		cfg.Cache = NewCache(testParse)
	}
	var out, errb bytes.Buffer
	p, err := Load(path, vm.Config{Args: append([]string{path}, args...), Stdout: &out, Stderr: &errb}, cfg)
	if err != nil {
		return result{err: err}
	}
	status, err := p.Run()
	r := result{status: status, stdout: out.String(), stderr: errb.String(), err: err}
	for _, m := range p.Modules() {
		r.modules = append(r.modules, m.Name)
	}
	return r
}

// str adds a NUL-terminated string to .rodata and returns its address.
func (b *builder) str(s string) uint64 {
	addr := b.start + rodataOff + uint64(len(b.rodata))
	b.rodata = append(b.rodata, s...)
	b.rodata = append(b.rodata, 0)
	return addr
}

// printDigit emits code printing register r as one decimal digit, then
// a newline (clobbers r0-r2, r8).
func (b *builder) printDigit(r uint8) *builder {
	b.ins(isa.ADDI, 8, r, 0, '0')
	b.ins(isa.ADDI, isa.RegSP, isa.RegSP, 0, -16)
	b.ins(isa.ST8, 8, isa.RegSP, 0, 0)
	b.ins(isa.LI, 8, 0, 0, '\n')
	b.ins(isa.ST8, 8, isa.RegSP, 0, 1)
	b.ins(isa.MOV, 1, isa.RegSP, 0, 0)
	b.ins(isa.LI, 0, 0, 0, 1)
	b.ins(isa.LI, 2, 0, 0, 2)
	b.ins(isa.SYS, 0, 0, 0, vm.SysWrite)
	return b.ins(isa.ADDI, isa.RegSP, isa.RegSP, 0, 16)
}

// printDlerror emits code printing dlerror's message and a newline.
func (b *builder) printDlerror() *builder {
	b.ins(isa.ADDI, isa.RegSP, isa.RegSP, 0, -256)
	b.ins(isa.MOV, 0, isa.RegSP, 0, 0)
	b.ins(isa.LI, 1, 0, 0, 256)
	b.ins(isa.SYS, 0, 0, 0, vm.SysDlerror)
	b.ins(isa.MOV, 2, 0, 0, 0)
	b.ins(isa.MOV, 1, isa.RegSP, 0, 0)
	b.ins(isa.LI, 0, 0, 0, 1)
	b.ins(isa.SYS, 0, 0, 0, vm.SysWrite)
	b.ins(isa.ADDI, isa.RegSP, isa.RegSP, 0, 256)
	return b.print("\n")
}

// dlopen emits r0 = dlopen(name, flags).
func (b *builder) dlopen(name string, flags int32) *builder {
	b.toAddr(isa.LEA, 0, b.str(name))
	b.ins(isa.LI, 1, 0, 0, flags)
	return b.ins(isa.SYS, 0, 0, 0, vm.SysDlopen)
}

// dlsym emits r0 = dlsym(r(handle), name).
func (b *builder) dlsym(handle uint8, name string) *builder {
	b.ins(isa.MOV, 0, handle, 0, 0)
	b.toAddr(isa.LEA, 1, b.str(name))
	return b.ins(isa.SYS, 0, 0, 0, vm.SysDlsym)
}

// dlclose emits r0 = dlclose(r(handle)).
func (b *builder) dlclose(handle uint8) *builder {
	b.ins(isa.MOV, 0, handle, 0, 0)
	return b.ins(isa.SYS, 0, 0, 0, vm.SysDlclose)
}

// printer is a shared module whose exported function fn prints msg; with
// init/fini functions printing "init NAME" / "fini NAME" when name is set.
// Its runpath is $ORIGIN.
func printer(t testing.TB, soname, fn, msg, name string, needed ...string) *objfmt.File {
	b := newShared(t, soname, "1.0", needed...)
	if len(needed) > 0 {
		b.dyn.Runpath = []string{"$ORIGIN"}
	}
	b.fn(fn, true).print(msg).ins(isa.RET, 0, 0, 0, 0)
	if name != "" {
		b.fn("init", false).print("init "+name+"\n").ins(isa.RET, 0, 0, 0, 0)
		b.fn("fini", false).print("fini "+name+"\n").ins(isa.RET, 0, 0, 0, 0)
		b.init, b.fini = "init", "fini"
	}
	return b.build()
}

// writeRaw writes a placeholder file to dir/name that testParse decodes
// as f, which need not be encodable (for what a reader would refuse).
func writeRaw(t testing.TB, dir, name string, f *objfmt.File) string {
	t.Helper()
	path := filepath.Join(dir, name)
	data := []byte("raw module " + path)
	require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
	require.NoError(t, os.WriteFile(path, data, 0o644))
	testFiles.Store(sha256.Sum256(data), f)
	return path
}
