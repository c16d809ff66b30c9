package vm

import (
	"errors"
	"fmt"
	"sync/atomic"

	"linkvm/objfmt"
	"linkvm/vm/isa"
)

// Module is a module mapped in a process: the executable or a shared
// module.
type Module struct {
	// Name is what traps and debug output call the module: the path given
	// for the executable, the file name (not the path) of a shared module.
	Name string
	// Path is the file the module was loaded from.
	Path string
	// File is the module's contents. Its read-only sections are mapped in
	// place and must not be changed while the module is mapped.
	File *objfmt.File
	// Base is the load address: 0 for the executable, where section
	// addresses are absolute; a shared module's sections are at Base +
	// Addr, and so are its symbols' values.
	Base uint64

	segs   []*segment               // the mapped sections, in section order
	lo, hi uint64                   // [lo, hi): from its lowest section to the end of its highest
	plt    atomic.Pointer[pltNames] // its PLT's names, made on first use (see PLTAt)
}

// shared reports whether m's symbol values are relative to m.Base.
func (m *Module) shared() bool { return m.File.Type == objfmt.TypeShared }

// MapModule maps every allocated section of f at base + its Addr:
// read-only sections use f's bytes in place (never copied, never written,
// so every process mapping f shares them), writable ones are private
// copies, NOBITS sections are zero-filled. An executable (TypeExec) is
// mapped at base 0; the first one mapped is the main program and the heap
// starts at the first page after its highest section. A shared module
// (TypeShared) needs a page-aligned base. It is an error for a section to
// overlap anything already mapped (a section, the stack or the heap's
// reserved range) or to reach beyond AddrLimit; errors start with name.
func (p *Process) MapModule(f *objfmt.File, name, path string, base uint64) (*Module, error) {
	if p.cfgErr != nil {
		return nil, p.cfgErr
	}
	if p.done {
		return nil, errors.New("vm: the process has finished")
	}
	m, err := p.mapModule(f, name, path, base)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return m, nil
}

// mapModule is MapModule without the name in errors.
func (p *Process) mapModule(f *objfmt.File, name, path string, base uint64) (*Module, error) {
	if f == nil {
		return nil, errors.New("no module")
	}
	switch f.Type {
	case objfmt.TypeExec:
		if base != 0 {
			return nil, fmt.Errorf("an executable is mapped at base 0, not %#x", base)
		}
		if p.main != nil {
			return nil, fmt.Errorf("the process already has an executable, %s", p.main.Name)
		}
	case objfmt.TypeShared:
		if base%objfmt.PageSize != 0 {
			return nil, fmt.Errorf("base %#x is not a multiple of the page size %#x", base, objfmt.PageSize)
		}
	default:
		return nil, fmt.Errorf("not a loadable module (type %s)", f.Type)
	}
	if err := p.checkModuleMemory(f); err != nil {
		return nil, err
	}
	m := &Module{Name: name, Path: path, File: f, Base: base}
	for _, sec := range f.Sections {
		s, err := sectionSegment(sec, base)
		if err != nil {
			p.unmapSegments(m)
			return nil, err
		}
		if s == nil {
			continue
		}
		s.mod = m
		if err := p.checkHeapRange(s); err != nil {
			p.unmapSegments(m)
			return nil, err
		}
		if err := p.as.mapSegment(s); err != nil {
			p.unmapSegments(m)
			return nil, err
		}
		m.segs = append(m.segs, s)
		if len(m.segs) == 1 || s.base < m.lo {
			m.lo = s.base
		}
		m.hi = max(m.hi, s.end)
	}
	p.mods = append(p.mods, m)
	if f.Type == objfmt.TypeExec {
		p.main = m
		if p.heap == nil {
			p.mapHeap(max(m.hi, NullLimit))
		}
	}
	return m, nil
}

// sectionSegment checks sec and returns the segment mapping it at base +
// sec.Addr, or nil if it occupies no memory.
func sectionSegment(sec *objfmt.Section, base uint64) (*segment, error) {
	if sec == nil {
		return nil, errors.New("nil section")
	}
	if sec.Flags&objfmt.FlagAlloc == 0 {
		return nil, nil
	}
	switch sec.Kind {
	case objfmt.KindProgbits:
		if uint64(len(sec.Data)) != sec.Size {
			return nil, fmt.Errorf("section %s: size %d but %d bytes of data", sec.Name, sec.Size, len(sec.Data))
		}
	case objfmt.KindNobits:
	default:
		return nil, fmt.Errorf("section %s: kind %d cannot be loaded", sec.Name, sec.Kind)
	}
	if sec.Size == 0 {
		return nil, nil
	}
	addr := base + sec.Addr
	if addr < base || addr >= AddrLimit || sec.Size > AddrLimit-addr {
		return nil, fmt.Errorf("section %s [%#x, +%#x) does not fit in the 47-bit address space", sec.Name, addr, sec.Size)
	}
	if addr < NullLimit {
		return nil, fmt.Errorf("section %s at %#x is in the null area (below %#x)", sec.Name, addr, NullLimit)
	}
	if sec.Flags&objfmt.FlagExec != 0 && addr%isa.WordSize != 0 {
		return nil, fmt.Errorf("executable section %s at %#x is not 8-byte aligned", sec.Name, addr)
	}
	s := &segment{base: addr, end: addr + sec.Size, perm: permR, name: sec.Name, sec: sec}
	if sec.Flags&objfmt.FlagExec != 0 {
		s.perm |= permX
	}
	switch {
	case sec.Flags&objfmt.FlagWrite != 0:
		s.perm |= permW
		s.data = make([]byte, sec.Size)
		copy(s.data, sec.Data)
	case sec.Kind == objfmt.KindNobits:
		s.data = make([]byte, sec.Size)
	default:
		s.data = sec.Data[:sec.Size:sec.Size] // shared, never written
	}
	return s, nil
}

// checkHeapRange refuses a segment in the range the heap may grow into.
func (p *Process) checkHeapRange(s *segment) error {
	h := p.heap
	if h != nil && s.base < p.heapMax && h.base < s.end {
		return fmt.Errorf("%s [%#x, %#x) overlaps the heap's range [%#x, %#x)", s, s.base, s.end, h.base, p.heapMax)
	}
	return nil
}

// unmapSegments removes m's segments from the address space.
func (p *Process) unmapSegments(m *Module) {
	for _, s := range m.segs {
		p.as.unmapSegment(s)
	}
	m.segs = nil
}

// UnmapModule removes m from the process: its sections are unmapped (so
// control reaching them traps as a bad jump, and loads and stores as
// memory faults), its private data is dropped. The executable cannot be
// unmapped.
func (p *Process) UnmapModule(m *Module) error {
	i := -1
	for j, x := range p.mods {
		if x == m {
			i = j
		}
	}
	if m == nil || i < 0 {
		return errors.New("vm: the module is not mapped in this process")
	}
	if m == p.main {
		return fmt.Errorf("vm: %s: the executable cannot be unmapped", m.Name)
	}
	p.unmapSegments(m)
	p.mods = append(p.mods[:i:i], p.mods[i+1:]...)
	return nil
}

// MapGeneration changes whenever a segment is mapped or unmapped: when a
// module is (MapModule, UnmapModule: dlopen, dlclose, and the unmapping
// after its fini functions). A monitor that keeps what it learned from
// the code or the address space (decoded blocks, symbols, the data's
// size) compares it at each pause to know when to drop that, without
// looking at which instruction ran.
func (p *Process) MapGeneration() uint64 { return p.as.maps }

// Modules returns the mapped modules in mapping order.
func (p *Process) Modules() []*Module {
	return append([]*Module(nil), p.mods...)
}

// ModuleAt returns the module whose address range (from its lowest
// section to the end of its highest, gaps included) contains addr, or nil.
func (p *Process) ModuleAt(addr uint64) *Module {
	if s := p.as.find(addr); s != nil {
		return s.mod
	}
	for _, m := range p.mods {
		if m.lo <= addr && addr < m.hi {
			return m
		}
	}
	return nil
}

// mapHeap maps the empty heap at the first page boundary at or after top,
// with room to grow up to the heap limit, the next mapped segment or 1 MiB
// below the stack, whichever comes first.
func (p *Process) mapHeap(top uint64) {
	start := (top + objfmt.PageSize - 1) &^ (objfmt.PageSize - 1)
	max := AddrLimit - start
	if p.heapLimit < max {
		max = p.heapLimit
	}
	max += start
	if next := p.as.next(start, max); next < max {
		max = next
		if next == p.stack.base {
			max = start
			if next-start > StackGuard {
				max = next - StackGuard
			}
		}
	}
	p.heap = &segment{base: start, end: start, perm: permR | permW, name: "[heap]"}
	p.heapMax = max
	p.as.mapSegment(p.heap) // cannot fail: [start, start) overlaps nothing
}

// highestBelowStack returns the end of the highest segment below the
// stack, at least NullLimit: where the heap goes when no executable is
// mapped.
func (p *Process) highestBelowStack() uint64 {
	var top uint64 = NullLimit
	for _, s := range p.as.segs {
		if s.end <= p.stack.base && s.end > top {
			top = s.end
		}
	}
	return top
}
