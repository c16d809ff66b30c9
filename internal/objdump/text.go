package objdump

import (
	"fmt"
	"io"
	"strings"
)

// TextOptions select the parts WriteText prints, named after the
// vmobjdump flags.
type TextOptions struct {
	// FileHeader (-f) prints the file header.
	FileHeader bool
	// SectionHeaders (-h) prints the section header table.
	SectionHeaders bool
	// Symbols (-t) prints the symbol table.
	Symbols bool
	// Relocs (-r) prints the relocation records; with Disasm, only those of
	// the sections that are not disassembled (the others are shown inline).
	Relocs bool
	// Disasm (-d) disassembles the executable sections.
	Disasm bool
	// Source (-S) interleaves source lines with the disassembly.
	Source bool
}

// Any reports whether o selects anything.
func (o TextOptions) Any() bool {
	return o.FileHeader || o.SectionHeaders || o.Symbols || o.Relocs || o.Disasm || o.Source
}

// WriteText prints d in the style of GNU objdump.
func WriteText(w io.Writer, d *Dump, o TextOptions) error {
	p := &printer{w: w}
	p.f("\n%s:     file format linkvm\n", d.Name)
	if o.FileHeader {
		writeFileHeader(p, d)
	}
	if o.SectionHeaders {
		writeSectionHeaders(p, d)
	}
	if o.Symbols {
		writeSymbols(p, d)
	}
	if o.Relocs {
		writeRelocs(p, d, o.Disasm || o.Source)
	}
	if o.Disasm || o.Source {
		writeDisasm(p, d, o.Source)
	}
	return p.err
}

// printer remembers the first write error.
type printer struct {
	w   io.Writer
	err error
}

func (p *printer) f(format string, args ...any) {
	if p.err == nil {
		_, p.err = fmt.Fprintf(p.w, format, args...)
	}
}

func writeFileHeader(p *printer, d *Dump) {
	p.f("file type %s, format version %d, flags 0x%08x\n", d.Type, d.Version, d.Flags)
	p.f("start address 0x%016x\n", d.Entry)
	p.f("section header table at offset %#x: %d entries, string table in section %d\n", d.Shoff, len(d.Sections), d.Strndx)
}

// flagLetters renders section flags as A (alloc), W (write), X (exec).
func flagLetters(flags []string) string {
	var b strings.Builder
	for _, f := range flags {
		switch f {
		case "ALLOC":
			b.WriteByte('A')
		case "WRITE":
			b.WriteByte('W')
		case "EXEC":
			b.WriteByte('X')
		}
	}
	return b.String()
}

func writeSectionHeaders(p *printer, d *Dump) {
	width := len("Name")
	for _, s := range d.Sections {
		width = max(width, len(s.Name))
	}
	p.f("\nSections:\n")
	p.f("Idx %-*s  Kind      Size      Address           Offset    Align  Link  Info  Flags\n", width, "Name")
	for _, s := range d.Sections {
		line := fmt.Sprintf("%3d %-*s  %-8s  %08x  %016x  %08x  %5d  %4d  %4d  %s",
			s.Index, width, s.Name, s.Kind, s.Size, s.Addr, s.Offset, s.Align, s.Link, s.Info, flagLetters(s.Flags))
		p.f("%s\n", strings.TrimRight(line, " "))
	}
	p.f("Key to Flags: A (alloc), W (write), X (execute)\n")
}

// symFlags renders a symbol's binding and type in objdump's seven flag
// columns: l/g (local/global) and w (weak), d for section symbols, F for
// functions and O for objects.
func symFlags(s SymbolInfo) string {
	c := []byte("       ")
	switch s.Bind {
	case "LOCAL":
		c[0] = 'l'
	case "GLOBAL":
		c[0] = 'g'
	case "WEAK":
		c[1] = 'w'
	}
	switch s.Type {
	case "SECTION":
		c[5] = 'd'
	case "FUNC":
		c[6] = 'F'
	case "OBJECT":
		c[6] = 'O'
	}
	return string(c)
}

func writeSymbols(p *printer, d *Dump) {
	p.f("\nSYMBOL TABLE:\n")
	if len(d.Symbols) == 0 {
		p.f("no symbols\n")
		return
	}
	width := 0
	for _, s := range d.Symbols {
		width = max(width, len(s.Section))
	}
	for _, s := range d.Symbols {
		p.f("%016x %s %-*s  %016x %s\n", s.Value, symFlags(s), width, s.Section, s.Size, s.Name)
	}
}

func writeRelocs(p *printer, d *Dump, inline bool) {
	disassembled := map[string]bool{}
	if inline {
		for _, in := range d.Disassembly {
			disassembled[in.Section] = true
		}
	}
	sec, started := "", false
	for _, r := range d.Relocations {
		if disassembled[r.Section] {
			continue
		}
		if !started || r.Section != sec {
			started = true
			sec = r.Section
			p.f("\nRELOCATION RECORDS FOR [%s]:\n", sec)
			p.f("OFFSET           TYPE              VALUE\n")
		}
		p.f("%016x %-17s %s\n", r.Offset, "R_"+r.Kind, RelocTarget(r))
	}
}

// insnIndent is the column of the instruction text in a disassembly line,
// where the inline relocations start too.
const insnIndent = 8 + 3 + 8*3 + 1

func writeDisasm(p *printer, d *Dump, source bool) {
	sec := ""
	var lastFile string
	var lastLine uint32
	for i, in := range d.Disassembly {
		if i == 0 || in.Section != sec {
			sec = in.Section
			lastFile, lastLine = "", 0
			p.f("\nDisassembly of section %s:\n", sec)
			if in.Label == "" {
				p.f("\n%016x <%s>:\n", in.Addr, sec)
			}
		}
		if in.Label != "" {
			p.f("\n%016x <%s>:\n", in.Addr, in.Label)
		}
		if source && in.Source != nil && (in.Source.File != lastFile || in.Source.Line != lastLine) {
			lastFile, lastLine = in.Source.File, in.Source.Line
			p.f("%s:%d\n", in.Source.File, in.Source.Line)
			if in.Source.Text != nil {
				p.f("%s\n", *in.Source.Text)
			}
		}
		for k := 0; k < len(in.Bytes); k += 8 {
			chunk := in.Bytes[k:min(k+8, len(in.Bytes))]
			hex := make([]string, len(chunk))
			for j, c := range chunk {
				hex[j] = fmt.Sprintf("%02x", c)
			}
			text := ""
			if k == 0 {
				text = in.Text
			}
			line := fmt.Sprintf("%8x:  %-23s  %s", in.Addr+uint64(k), strings.Join(hex, " "), text)
			p.f("%s\n", strings.TrimRight(line, " "))
		}
		for _, r := range in.Relocs {
			p.f("%*s%x: %s  %s\n", insnIndent, "", r.Offset, "R_"+r.Kind, RelocTarget(r))
		}
	}
}
