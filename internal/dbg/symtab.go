package dbg

import (
	"cmp"
	"encoding/binary"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"linkvm/objfmt"
	"linkvm/vm"
	"linkvm/vm/isa"
)

// symtab is what the debugger knows of the modules mapped in a process:
// their sections, symbols and line tables, for naming addresses, finding
// symbols and source lines, and telling where a line starts. It is built
// from the process's module list and rebuilt when that list changes
// (dlopen, dlclose).
type symtab struct {
	mods []*modInfo
	last *secInfo // the section section found last: usually the next one's too
}

// modInfo is one mapped module.
type modInfo struct {
	vm   *vm.Module
	name string // what locations call it: the file name, not the path
	exe  bool
	base uint64 // added to section addresses and symbol values
	secs []*secInfo
	syms []*symbol // sorted by address, functions first at one address
}

// secInfo is one allocated section of a module, where it is mapped.
type secInfo struct {
	mod    *modInfo
	sec    *objfmt.Section
	lo, hi uint64
	exec   bool
	// fns and all are the section's symbols naming code and all of them,
	// by address, one per address (the preferred one, see rank).
	fns, all []*symbol
}

// symbol is a named address: a symbol of the module's static or dynamic
// symbol table, or a PLT stub the debugger names itself ("puts@plt").
type symbol struct {
	name   string
	addr   uint64
	size   uint64 // 0 if unknown
	fn     bool   // a function (or a PLT stub): what names the code after it
	object bool   // a data object (its size says how much to print)
	stub   bool   // a PLT stub (or PLT0), which names only its own bytes
	global bool
	sec    *secInfo
}

// newSymtab builds the table for the modules of a process.
func newSymtab(mods []*vm.Module) *symtab {
	t := &symtab{}
	for _, m := range mods {
		t.mods = append(t.mods, newModInfo(m))
	}
	return t
}

// same reports whether the table was built for exactly these modules.
func (t *symtab) same(mods []*vm.Module) bool {
	if len(mods) != len(t.mods) {
		return false
	}
	for i, m := range mods {
		if t.mods[i].vm != m {
			return false
		}
	}
	return true
}

func newModInfo(m *vm.Module) *modInfo {
	mi := &modInfo{vm: m, name: filepath.Base(m.Name), exe: m.File.Type == objfmt.TypeExec}
	if !mi.exe {
		mi.base = m.Base
	}
	bySec := map[int]*secInfo{}
	for i, sec := range m.File.Sections {
		if sec == nil || sec.Flags&objfmt.FlagAlloc == 0 || sec.Size == 0 {
			continue
		}
		s := &secInfo{mod: mi, sec: sec, lo: mi.base + sec.Addr, hi: mi.base + sec.Addr + sec.Size,
			exec: sec.Flags&objfmt.FlagExec != 0}
		mi.secs = append(mi.secs, s)
		bySec[i] = s
	}
	slices.SortFunc(mi.secs, func(a, b *secInfo) int { return cmp.Compare(a.lo, b.lo) })
	seen := map[string]bool{}
	for _, s := range m.File.Symbols {
		sec := bySec[s.Section]
		if sec == nil || s.Name == "" || s.Type == objfmt.SymSection || strings.HasPrefix(s.Name, ".L") {
			continue
		}
		addr := mi.base + s.Value
		mi.syms = append(mi.syms, &symbol{name: s.Name, addr: addr, size: s.Size,
			fn: sec.exec && s.Type == objfmt.SymFunc, object: s.Type == objfmt.SymObject,
			global: s.Bind != objfmt.BindLocal, sec: sec})
		seen[fmt.Sprintf("%s@%#x", s.Name, addr)] = true
	}
	if d := m.File.Dynamic; d != nil {
		for _, s := range d.Symbols {
			addr := mi.base + s.Value
			if !s.Defined || seen[fmt.Sprintf("%s@%#x", s.Name, addr)] {
				continue
			}
			if sec := mi.section(addr); sec != nil {
				mi.syms = append(mi.syms, &symbol{name: s.Name, addr: addr, size: s.Size,
					fn: sec.exec && s.Type == objfmt.SymFunc, object: s.Type == objfmt.SymObject,
					global: true, sec: sec})
			}
		}
		mi.addPLT(d)
	}
	slices.SortStableFunc(mi.syms, func(a, b *symbol) int {
		if c := cmp.Compare(a.addr, b.addr); c != 0 {
			return c
		}
		return cmp.Compare(rank(a), rank(b))
	})
	for _, sym := range mi.syms {
		s := sym.sec
		if n := len(s.all); n == 0 || s.all[n-1].addr != sym.addr {
			s.all = append(s.all, sym)
		}
		if n := len(s.fns); sym.fn && (n == 0 || s.fns[n-1].addr != sym.addr) {
			s.fns = append(s.fns, sym)
		}
	}
	return mi
}

// rank orders the symbols at one address: functions, then objects, then
// the rest; globals before locals.
func rank(s *symbol) int {
	r := 4
	switch {
	case s.fn:
		r = 0
	case s.object:
		r = 2
	}
	if !s.global {
		r++
	}
	return r
}

// addPLT names the module's PLT: PLT0 and each stub "sym@plt"
// (objfmt.Dynamic.PLTStubs), where they lie in executable code.
func (mi *modInfo) addPLT(d *objfmt.Dynamic) {
	if d.PLTResolve != 0 {
		if sec := mi.section(mi.base + d.PLTResolve); sec != nil && sec.exec {
			mi.syms = append(mi.syms, &symbol{name: "PLT0", addr: mi.base + d.PLTResolve, size: isa.WordSize, fn: true, stub: true, sec: sec})
		}
	}
	for _, st := range d.PLTStubs() {
		stub := mi.base + st.Addr
		if sec := mi.section(stub); sec != nil && sec.exec {
			mi.syms = append(mi.syms, &symbol{name: st.Sym + "@plt", addr: stub, size: objfmt.PLTStubSize, fn: true, stub: true, sec: sec})
		}
	}
}

// section returns the module's section holding addr, or nil.
func (mi *modInfo) section(addr uint64) *secInfo {
	for _, s := range mi.secs {
		if s.lo <= addr && addr < s.hi {
			return s
		}
	}
	return nil
}

// word returns the instruction word at addr of an executable section,
// from the module's file (code is never written).
func (s *secInfo) word(addr uint64) (uint64, bool) {
	off := addr - s.lo
	if addr < s.lo || off+isa.WordSize > uint64(len(s.sec.Data)) {
		return 0, false
	}
	return binary.LittleEndian.Uint64(s.sec.Data[off:]), true
}

// lo and hi are the module's extent: from its lowest section to the end
// of its highest.
func (mi *modInfo) extent() (lo, hi uint64) {
	for i, s := range mi.secs {
		if i == 0 || s.lo < lo {
			lo = s.lo
		}
		hi = max(hi, s.hi)
	}
	return lo, hi
}

// section returns the section holding addr in any module, or nil.
func (t *symtab) section(addr uint64) *secInfo {
	if s := t.last; s != nil && s.lo <= addr && addr < s.hi {
		return s
	}
	for _, m := range t.mods {
		if s := m.section(addr); s != nil {
			t.last = s
			return s
		}
	}
	return nil
}

// symbolAt returns the symbol naming addr in section s: for code the
// nearest function at or before it (failing that, any symbol), for data
// the nearest symbol, as traps name code (vm.Frame). A PLT stub names
// only its own bytes.
func (s *secInfo) symbolAt(addr uint64) *symbol {
	if s.exec {
		if fn := before(s.fns, addr); fn != nil {
			if !fn.stub || addr < fn.addr+fn.size {
				return fn
			}
		}
	}
	return before(s.all, addr)
}

// before returns the last of syms (sorted by address) at or before addr.
func before(syms []*symbol, addr uint64) *symbol {
	i, _ := slices.BinarySearchFunc(syms, addr+1, func(s *symbol, a uint64) int { return cmp.Compare(s.addr, a) })
	if i == 0 {
		return nil
	}
	return syms[i-1]
}

// name names addr as "fib", "fib+0x8", "libstd.vso:puts+0x10" (outside
// the executable) or "libstd.vso+0x1234" when no symbol precedes it; ""
// if no module holds it.
func (t *symtab) name(addr uint64) string {
	s := t.section(addr)
	if s == nil {
		return ""
	}
	var b strings.Builder
	if !s.mod.exe {
		b.WriteString(s.mod.name)
	}
	sym := s.symbolAt(addr)
	switch {
	case sym != nil:
		if !s.mod.exe {
			b.WriteString(":")
		}
		b.WriteString(withOffset(sym.name, addr-sym.addr))
	case !s.mod.exe:
		fmt.Fprintf(&b, "+%#x", addr-s.mod.base)
	default:
		b.WriteString(withOffset(s.sec.Name, addr-s.lo))
	}
	return b.String()
}

// label is name for the disassembler's branch targets and x's lines:
// only addresses a symbol names ("" otherwise).
func (t *symtab) label(addr uint64) string {
	s := t.section(addr)
	if s == nil || s.symbolAt(addr) == nil {
		return ""
	}
	return t.name(addr)
}

// withOffset is "name" or "name+0xOFF".
func withOffset(name string, off uint64) string {
	if off == 0 {
		return name
	}
	return fmt.Sprintf("%s+%#x", name, off)
}

// location is what the debugger says about an instruction address.
type location struct {
	pc   uint64
	sec  *secInfo // nil outside every module
	fn   *symbol  // the function containing pc, nil if none
	file string   // source file from the line table, "" if none
	line uint32
	// lineLo and lineHi bound the instructions of pc's line-table entry;
	// lineStart is set when pc is the first of them.
	lineLo, lineHi uint64
	lineStart      bool
}

// locate describes pc.
func (t *symtab) locate(pc uint64) location {
	l := location{pc: pc}
	s := t.section(pc)
	if s == nil {
		return l
	}
	l.sec = s
	if s.exec {
		if sym := s.symbolAt(pc); sym != nil && sym.fn {
			l.fn = sym
		}
	}
	lines := s.sec.Lines
	off := pc - s.lo
	i, _ := slices.BinarySearchFunc(lines, off+1, func(ln objfmt.Line, o uint64) int { return cmp.Compare(ln.Offset, o) })
	if i == 0 {
		return l
	}
	ln := lines[i-1]
	l.file, l.line = ln.File, ln.Line
	l.lineLo = s.lo + ln.Offset
	l.lineHi = s.hi
	if i < len(lines) {
		l.lineHi = s.lo + lines[i].Offset
	}
	l.lineStart = ln.Offset == off
	return l
}

// String is the location as stops and backtraces show it: the name of
// the function (with the module outside the executable, and the offset
// unless it is 0) and the source line: "fib+0x8 (fib.s:30)",
// "libstd.vso:puts (stdlib/src/puts.s:9)", or the address in hex when no
// module holds it.
func (l location) String() string {
	var s string
	switch {
	case l.sec == nil:
		s = fmt.Sprintf("%#x", l.pc)
	case l.fn != nil && l.sec.mod.exe:
		s = withOffset(l.fn.name, l.pc-l.fn.addr)
	case l.fn != nil:
		s = l.sec.mod.name + ":" + withOffset(l.fn.name, l.pc-l.fn.addr)
	case l.sec.mod.exe:
		s = fmt.Sprintf("%#x", l.pc)
	default:
		s = fmt.Sprintf("%s+%#x", l.sec.mod.name, l.pc-l.sec.mod.base)
	}
	if l.file != "" {
		s += fmt.Sprintf(" (%s:%d)", l.file, l.line)
	}
	return s
}

// sameFunction reports whether two locations are in the same function.
func (l location) sameFunction(o location) bool {
	return l.fn == o.fn && l.sec == o.sec
}

// lookup finds the symbol name: "mod:sym" in the module mod (its file
// name or soname), a plain name in the executable first, then in the
// shared modules in mapping order; functions before other symbols, global
// before local. It returns nil if no module defines it.
func (t *symtab) lookup(name string) *symbol {
	mods := t.mods
	if mod, sym, ok := strings.Cut(name, ":"); ok && mod != "" && sym != "" {
		mods = nil
		for _, m := range t.mods {
			if m.name == mod || m.vm.Name == mod || m.File().Dynamic != nil && m.File().Dynamic.Soname == mod {
				mods = append(mods, m)
			}
		}
		name = sym
	}
	for _, m := range mods {
		var best *symbol
		for _, s := range m.syms {
			if s.name == name && (best == nil || rank(s) < rank(best)) {
				best = s
			}
		}
		if best != nil {
			return best
		}
	}
	return nil
}

// File returns the module's contents.
func (mi *modInfo) File() *objfmt.File { return mi.vm.File }

// lineAddr returns the address of source line line of file (a name as
// in the line table, or its last path elements, such as "fib.s"): the
// first instruction of that line or, if it has none, of the next line of
// the file that has some, in the first module whose line table names the
// file. found is the line chosen.
func (t *symtab) lineAddr(file string, line uint32) (addr uint64, found uint32, ok bool) {
	for _, m := range t.mods {
		for _, s := range m.secs {
			for _, ln := range s.sec.Lines {
				if ln.Line < line || !sameFile(ln.File, file) {
					continue
				}
				a := s.lo + ln.Offset
				if !ok || ln.Line < found || ln.Line == found && a < addr {
					addr, found, ok = a, ln.Line, true
				}
			}
		}
		if ok {
			return addr, found, true
		}
	}
	return 0, 0, false
}

// fileName returns the name a line table gives the file the user named
// ("fib.s" may be "examples/fib/fib.s" there), and whether one does:
// break checks that the file exists, list reads it by that name.
func (t *symtab) fileName(user string) (string, bool) {
	for _, m := range t.mods {
		for _, s := range m.secs {
			for _, ln := range s.sec.Lines {
				if sameFile(ln.File, user) {
					return ln.File, true
				}
			}
		}
	}
	return "", false
}

// sameFile reports whether the line table's file name is the file the
// user named: the same name, or one ending in "/" + it.
func sameFile(table, user string) bool {
	return table == user || strings.HasSuffix(table, "/"+user)
}

// funcRange returns the bounds of the function sym: up to sym.addr +
// its size, or else the next symbol naming code in its section, or the
// section's end.
func (t *symtab) funcRange(sym *symbol) (lo, hi uint64) {
	lo, hi = sym.addr, sym.sec.hi
	if sym.size > 0 {
		return lo, min(hi, lo+sym.size)
	}
	for _, s := range sym.sec.mod.syms {
		if s.sec == sym.sec && s.fn && s.addr > lo && s.addr < hi {
			hi = s.addr
		}
	}
	return lo, hi
}
