package staticld

import (
	"cmp"
	"math/bits"
	"slices"
	"strings"

	"linkvm/objfmt"
	"linkvm/vm/isa"
)

// maxProgbits bounds the size of an output section whose bytes are stored,
// so that hostile sizes or alignments give an error instead of exhausting
// memory.
const maxProgbits = 1 << 30

// Output section classes, in image order.
const (
	classText     = iota // .text, .text.*
	classRodata          // .rodata, .rodata.*
	classData            // .data, .data.*
	classBss             // .bss, .bss.*
	classExec            // other executable sections
	classRO              // other read-only sections
	classWritable        // other writable sections
	classNobits          // other NOBITS sections
	classGOT             // .got, made by the linker
)

// classRank is the position of each class in the image: .text (which
// starts with the PLT), .rodata, .data, .got, .bss, then the others.
var classRank = [...]int{classText: 0, classRodata: 1, classData: 2, classGOT: 3, classBss: 4,
	classExec: 5, classRO: 6, classWritable: 7, classNobits: 8}

// sharedTextHead is the size of the halt word that starts the .text of a
// shared module, so that no function is at offset 0, which means "none"
// in Dynamic.Init and Dynamic.Fini.
const sharedTextHead = isa.WordSize

// standardNames are the output sections of the four standard classes.
var standardNames = [...]string{classText: ".text", classRodata: ".rodata", classData: ".data", classBss: ".bss"}

// outSection is one output section being built.
type outSection struct {
	sec   *objfmt.Section
	class int
	// inputs are the input sections placed in it, in order.
	inputs []placement
	// head is the number of bytes the linker writes at the start of the
	// section, before the inputs: the GOT, the PLT, a shared module's
	// first .text word.
	head uint64
}

// placement is one input section inside an output section.
type placement struct {
	obj *object
	sec int    // index in obj's Sections
	off uint64 // offset in the output section
}

// classify returns the output section name and class of an input section.
func classify(s *objfmt.Section) (string, int) {
	for c, n := range standardNames {
		if s.Name == n || strings.HasPrefix(s.Name, n+".") {
			return n, c
		}
	}
	switch {
	case s.Flags&objfmt.FlagExec != 0:
		return s.Name, classExec
	case s.Kind == objfmt.KindNobits:
		return s.Name, classNobits
	case s.Flags&objfmt.FlagWrite != 0:
		return s.Name, classWritable
	}
	return s.Name, classRO
}

// layoutPass merges the loaded input sections into output sections and
// assigns every output section, and so every input section, its address.
//
// Input sections are grouped by output name (see classify) in command-line
// order and concatenated, each at a multiple of its alignment; output
// sections are sorted by class (stable: first appearance within a class)
// and placed from Config.Base, each on a page boundary (or its alignment if
// larger); the linker's own bytes (the PLT at the start of .text, .got)
// take their places in that order (addLinkerSections). Empty output sections are left out. Sections without FlagAlloc
// are discarded; sections removed by --gc-sections are skipped.
func layoutPass(l *linker) {
	if l.cfg.Base%objfmt.PageSize != 0 {
		l.errorf("base address %#x is not a multiple of the page size (%d)", l.cfg.Base, objfmt.PageSize)
		return
	}
	if !l.cfg.Shared && l.cfg.Base < objfmt.NullLimit {
		l.errorf("base address %#x is in the null area (below %#x), which is never mapped", l.cfg.Base, objfmt.NullLimit)
		return
	}
	var outs []*outSection
	byName := map[string]*outSection{}
	for _, o := range l.objs {
		for i, s := range o.file.Sections {
			if s.Flags&objfmt.FlagAlloc == 0 {
				o.secOut[i] = secDiscarded
				continue
			}
			if o.secOut[i] == secGC {
				continue
			}
			name, class := classify(s)
			out := byName[name]
			if out == nil {
				out = &outSection{class: class, sec: &objfmt.Section{
					Name: name, Kind: objfmt.KindNobits, Align: 1,
				}}
				byName[name] = out
				outs = append(outs, out)
			}
			out.inputs = append(out.inputs, placement{obj: o, sec: i})
		}
	}
	outs = l.addLinkerSections(outs, byName)
	slices.SortStableFunc(outs, func(a, b *outSection) int { return cmp.Compare(classRank[a.class], classRank[b.class]) })

	addr := l.cfg.Base
	for _, out := range outs {
		if !sizeOutput(l, out) {
			return
		}
		sec := out.sec
		if sec.Size == 0 {
			for _, p := range out.inputs {
				p.obj.secOut[p.sec] = secEmpty
				p.obj.secAddr[p.sec] = addr
			}
			continue
		}
		start, ok := alignUp(addr, max(sec.Align, objfmt.PageSize))
		end := start + sec.Size
		if !ok || end < start {
			l.errorf("output section %s does not fit in the address space", sec.Name)
			return
		}
		sec.Addr, addr = start, end
		idx := int32(len(l.outs))
		for _, p := range out.inputs {
			p.obj.secOut[p.sec] = idx
			p.obj.secAddr[p.sec] = start + p.off
		}
		if sec.Kind == objfmt.KindProgbits {
			sec.Data = make([]byte, sec.Size)
			for _, p := range out.inputs {
				copy(sec.Data[p.off:], p.obj.file.Sections[p.sec].Data)
			}
		}
		l.outs = append(l.outs, out)
		l.out.Sections = append(l.out.Sections, sec)
	}
}

// addLinkerSections adds to outs the bytes the linker makes (pass_pic.go
// decided how many): at the start of .text, a halt word in a shared module
// and then the PLT; the GOT slots at the start of .got. Each section is
// created if no input has its name.
func (l *linker) addLinkerSections(outs []*outSection, byName map[string]*outSection) []*outSection {
	d := &l.dyn
	add := func(name string, class int, flags objfmt.SectionFlags, head uint64) *outSection {
		out := byName[name]
		if out == nil {
			out = &outSection{sec: &objfmt.Section{Name: name, Kind: objfmt.KindProgbits, Align: 1}}
			byName[name] = out
			outs = append(outs, out)
		}
		out.class, out.head = class, head
		out.sec.Flags |= flags
		out.sec.Align = max(out.sec.Align, 8)
		return out
	}
	var head uint64
	if l.cfg.Shared {
		head = sharedTextHead
	}
	if len(d.plt) > 0 {
		d.pltOff = head
		head += plt0Size + uint64(len(d.plt))*pltStubSize
	}
	if head > 0 {
		d.text = add(".text", classText, objfmt.FlagAlloc|objfmt.FlagExec, head)
	}
	if n := len(d.got) + len(d.plt); n > 0 {
		d.gotSec = add(".got", classGOT, objfmt.FlagAlloc|objfmt.FlagWrite, uint64(n)*gotSlotSize)
	}
	return outs
}

// sizeOutput places out's inputs at their offsets and sets its size, kind,
// flags and alignment. It reports false, with a diagnostic, if the section
// would be too large.
func sizeOutput(l *linker, out *outSection) bool {
	sec := out.sec
	size := out.head
	if size > 0 {
		sec.Kind = objfmt.KindProgbits
	}
	for i := range out.inputs {
		p := &out.inputs[i]
		s := p.obj.file.Sections[p.sec]
		align := max(s.Align, 1)
		off, ok := alignUp(size, align)
		if !ok || off+s.Size < off {
			l.errorf("%s: section %s: output section %s does not fit in the address space", p.obj.name, s.Name, sec.Name)
			return false
		}
		p.off, size = off, off+s.Size
		sec.Align = max(sec.Align, align)
		sec.Flags |= s.Flags
		if s.Kind == objfmt.KindProgbits {
			sec.Kind = objfmt.KindProgbits
		}
	}
	sec.Size = size
	if sec.Kind == objfmt.KindProgbits && size > maxProgbits {
		l.errorf("output section %s is too large (%d bytes, limit %d)", sec.Name, size, maxProgbits)
		return false
	}
	return true
}

// alignUp rounds v up to a multiple of align, a power of two; ok is false
// on overflow.
func alignUp(v, align uint64) (r uint64, ok bool) {
	sum, carry := bits.Add64(v, align-1, 0)
	return sum &^ (align - 1), carry == 0
}
