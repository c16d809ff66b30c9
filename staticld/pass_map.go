package staticld

import (
	"bufio"
	"cmp"
	"fmt"
	"slices"
	"strings"

	"linkvm/objfmt"
)

// mapPass writes the link map (-Map) to Config.Map after a successful
// link. It has up to four parts, each present only if not empty:
//
//	Entry point: _start = 0x10000
//
//	Archive members included to satisfy references:
//
//	libx.va(foo.vo)                 main.vo (foo)
//
//	Input sections removed by --gc-sections:
//
//	a.vo:(.text.unused)             size 0x10
//
//	Memory map:
//
//	     VMA     Size Align Out     In      Symbol
//	   10000       20     8 .text
//	   10000       10     8         main.vo:(.text)
//	   10000       10                       _start
//
//	Absolute symbols:
//
//	       1 K (a.vo)
//
// Members are listed in extraction order with the reference that extracted
// them (a module or member, --undefined or --entry) and the symbol. The
// memory map lists each output section, each input section placed in it
// with its origin, and under each input section the symbols the image's
// symbol table keeps for it, by address (file order for ties). Numbers are
// hexadecimal except alignments.
func mapPass(l *linker) {
	if l.cfg.Map == nil {
		return
	}
	w := bufio.NewWriter(l.cfg.Map)
	m := mapWriter{l: l, w: w}
	m.entry()
	m.members()
	m.removed()
	m.memory()
	m.absolute()
	if err := w.Flush(); err != nil {
		l.errorf("cannot write the map file: %v", err)
	}
}

// mapWriter writes one link map.
type mapWriter struct {
	l *linker
	w *bufio.Writer
	// parts counts the parts written, to separate them with blank lines.
	parts int
}

// mapColumn is where the second column of the member and removed-section
// lists starts; longer names push it to the next line, as in GNU ld.
const mapColumn = 32

// part starts a part of the map with its title.
func (m *mapWriter) part(title string) {
	if m.parts > 0 {
		m.w.WriteByte('\n')
	}
	m.parts++
	m.w.WriteString(title)
	m.w.WriteString("\n\n")
}

// pair writes a name and a description at mapColumn.
func (m *mapWriter) pair(name, desc string) {
	m.w.WriteString(name)
	if len(name) >= mapColumn {
		m.w.WriteByte('\n')
		m.w.WriteString(strings.Repeat(" ", mapColumn))
	} else {
		m.w.WriteString(strings.Repeat(" ", mapColumn-len(name)))
	}
	m.w.WriteString(desc)
	m.w.WriteByte('\n')
}

// entry writes the entry point.
func (m *mapWriter) entry() {
	if m.l.cfg.Entry == "" {
		return // a shared module without one
	}
	m.parts++
	fmt.Fprintf(m.w, "Entry point: %s = %#x\n", m.l.cfg.Entry, m.l.entry)
}

// members writes the archive members included and why.
func (m *mapWriter) members() {
	l := m.l
	if len(l.extractions) == 0 {
		return
	}
	m.part("Archive members included to satisfy references:")
	for _, e := range l.extractions {
		m.pair(l.memberName(e.member), l.refName(e.ref)+" ("+l.syms[e.sym].name+")")
	}
}

// removed writes the input sections removed by --gc-sections.
func (m *mapWriter) removed() {
	if m.l.gcRemoved == 0 {
		return
	}
	m.part("Input sections removed by --gc-sections:")
	for _, o := range m.l.objs {
		for si, s := range o.file.Sections {
			if o.secOut[si] == secGC {
				m.pair(o.name+":("+s.Name+")", fmt.Sprintf("size %#x", s.Size))
			}
		}
	}
}

// memory writes the output sections, their input sections and symbols.
func (m *mapWriter) memory() {
	l := m.l
	if len(l.outs) == 0 {
		return
	}
	m.part("Memory map:")
	m.w.WriteString("     VMA     Size Align Out     In      Symbol\n")
	index := make([][]int32, len(l.objs)) // per object, built on first use
	for _, out := range l.outs {
		sec := out.sec
		fmt.Fprintf(m.w, "%8x %8x %5d %s\n", sec.Addr, sec.Size, sec.Align, sec.Name)
		m.linkerMade(out)
		for _, p := range out.inputs {
			o := p.obj
			in := o.file.Sections[p.sec]
			fmt.Fprintf(m.w, "%8x %8x %5d         %s:(%s)\n", o.secAddr[p.sec], in.Size, max(in.Align, 1), o.name, in.Name)
			if index[o.idx] == nil {
				index[o.idx] = l.mapSymbols(o)
			}
			syms := index[o.idx]
			first, _ := slices.BinarySearchFunc(syms, p.sec, func(x int32, sec int) int {
				return cmp.Compare(o.file.Symbols[x].Section, sec)
			})
			for _, x := range syms[first:] {
				s := &o.file.Symbols[x]
				if s.Section != p.sec {
					break
				}
				fmt.Fprintf(m.w, "%8x %8x                       %s\n", o.secAddr[p.sec]+s.Value, s.Size, s.Name)
			}
		}
	}
}

// linkerMade writes the bytes the linker itself put at the start of out:
// the PLT, with a name@plt line per stub, and the GOT.
func (m *mapWriter) linkerMade(out *outSection) {
	l, d := m.l, &m.l.dyn
	if out == d.text && len(d.plt) > 0 {
		size := plt0Size + uint64(len(d.plt))*pltStubSize
		fmt.Fprintf(m.w, "%8x %8x %5d         <linker>:(.plt)\n", l.plt0Addr(), size, 8)
		for j, id := range d.plt {
			fmt.Fprintf(m.w, "%8x %8x                       %s@plt\n", l.pltStubAddr(j), pltStubSize, l.syms[id].name)
		}
	}
	if out == d.gotSec {
		fmt.Fprintf(m.w, "%8x %8x %5d         <linker>:(.got)\n", out.sec.Addr, out.head, 8)
	}
}

// absolute writes the absolute symbols of the image, with their origin.
func (m *mapWriter) absolute() {
	l := m.l
	var lines []string
	for _, o := range l.objs {
		for i := range o.file.Symbols {
			s := &o.file.Symbols[i]
			if !l.keepSymbol(o, i) {
				continue
			}
			v := s.Value
			switch {
			case s.Section == objfmt.SecAbs:
			case o.secOut[s.Section] == secEmpty:
				v += o.secAddr[s.Section]
			default:
				continue
			}
			lines = append(lines, fmt.Sprintf("%8x %s (%s)\n", v, s.Name, o.name))
		}
	}
	if len(lines) == 0 {
		return
	}
	m.part("Absolute symbols:")
	for _, s := range lines {
		m.w.WriteString(s)
	}
}

// mapSymbols returns the indices of the symbols of o that the image keeps
// in a placed section, sorted by section, then value, then file order.
func (l *linker) mapSymbols(o *object) []int32 {
	syms := []int32{}
	for i := range o.file.Symbols {
		s := &o.file.Symbols[i]
		if s.Section >= 0 && o.secOut[s.Section] >= 0 && l.keepSymbol(o, i) {
			syms = append(syms, int32(i))
		}
	}
	slices.SortStableFunc(syms, func(a, b int32) int {
		sa, sb := &o.file.Symbols[a], &o.file.Symbols[b]
		return cmp.Or(cmp.Compare(sa.Section, sb.Section), cmp.Compare(sa.Value, sb.Value))
	})
	return syms
}
