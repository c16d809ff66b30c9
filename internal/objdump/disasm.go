package objdump

import (
	"encoding/binary"
	"fmt"
	"strings"

	"linkvm/objfmt"
	"linkvm/vm/isa"
)

// disasm disassembles API section si: one Insn per instruction (two words
// for li64), and one for trailing bytes that do not fill a word.
func (b *builder) disasm(si int) []Insn {
	s := b.f.Sections[si]
	data := s.Data
	var out []Insn
	ri := 0 // next relocation to attach (Relocs are sorted by offset)
	for off := 0; off < len(data); {
		n := min(isa.WordSize, len(data)-off)
		in := Insn{Section: s.Name, Addr: s.Addr + uint64(off), Offset: uint64(off)}
		switch {
		case n < isa.WordSize:
			parts := make([]string, n)
			for k, c := range data[off : off+n] {
				parts[k] = fmt.Sprintf("%#02x", c)
			}
			in.Text = ".byte " + strings.Join(parts, ", ")
			in.Words = []string{hexBytesLE(data[off : off+n])}
		default:
			w := binary.LittleEndian.Uint64(data[off:])
			in.Words = []string{fmt.Sprintf("%016x", w)}
			var next uint64
			if isa.Decode(w).Op == isa.LI64 {
				if off+2*isa.WordSize <= len(data) {
					next = binary.LittleEndian.Uint64(data[off+isa.WordSize:])
					in.Words = append(in.Words, fmt.Sprintf("%016x", next))
					n = 2 * isa.WordSize
				} else {
					in.Text = fmt.Sprintf(".quad %#x  # li64 without its second word", w)
				}
			}
			if in.Text == "" {
				in.Text = isa.Disasm(w, next, in.Addr, func(a uint64) string { return b.z.name(si, a) })
			}
		}
		in.Bytes = data[off : off+n]
		in.Label = b.z.label(si, in.Addr)
		in.Symbol = b.z.name(si, in.Addr)
		for ri < len(s.Relocs) && s.Relocs[ri].Offset < uint64(off+n) {
			if s.Relocs[ri].Offset >= uint64(off) {
				in.Relocs = append(in.Relocs, b.reloc(s, s.Relocs[ri]))
			}
			ri++
		}
		in.Source = b.source(s, uint64(off))
		out = append(out, in)
		off += n
	}
	return out
}

// source returns the line-table position of offset off of s, or nil.
func (b *builder) source(s *objfmt.Section, off uint64) *Source {
	ln, ok := s.LineAt(off)
	if !ok {
		return nil
	}
	src := &Source{File: ln.File, Line: ln.Line, Col: ln.Col}
	if text, ok := b.src.line(ln.File, ln.Line); ok {
		src.Text = &text
	}
	return src
}

// hexBytesLE renders bytes as the hex digits of their little-endian value.
func hexBytesLE(p []byte) string {
	var sb strings.Builder
	for i := len(p) - 1; i >= 0; i-- {
		fmt.Fprintf(&sb, "%02x", p[i])
	}
	return sb.String()
}
