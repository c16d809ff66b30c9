package staticld

import (
	"encoding/binary"
	"fmt"
	"strings"

	"linkvm/objfmt"
	"linkvm/vm/isa"
)

// dump renders an image as text for golden comparisons: its sections
// (code disassembled, writable data as 8-byte words, other bytes in hex),
// its symbols and its dynamic-linking information.
func dump(f *objfmt.File) string {
	var b strings.Builder
	fmt.Fprintf(&b, "type %s entry %#x\n", f.Type, f.Entry)
	names := map[uint64]string{}
	for _, s := range f.Symbols {
		if _, ok := names[s.Value]; !ok {
			names[s.Value] = s.Name
		}
	}
	name := func(a uint64) string { return names[a] }
	for _, s := range f.Sections {
		fmt.Fprintf(&b, "section %s addr %#x size %#x align %d flags %s\n", s.Name, s.Addr, s.Size, s.Align, flagString(s.Flags))
		switch {
		case s.Kind == objfmt.KindNobits:
		case s.Flags&objfmt.FlagExec != 0:
			for off := uint64(0); off+8 <= s.Size; off += 8 {
				w := binary.LittleEndian.Uint64(s.Data[off:])
				fmt.Fprintf(&b, "  %#06x  %s\n", s.Addr+off, isa.Disasm(w, 0, s.Addr+off, name))
			}
		case s.Flags&objfmt.FlagWrite != 0:
			for off := uint64(0); off+8 <= s.Size; off += 8 {
				fmt.Fprintf(&b, "  %#06x  %#x\n", s.Addr+off, binary.LittleEndian.Uint64(s.Data[off:]))
			}
		default:
			fmt.Fprintf(&b, "  %q\n", s.Data)
		}
	}
	b.WriteString("symbols\n")
	for _, s := range f.Symbols {
		fmt.Fprintf(&b, "  %-10s %d %d sec %d value %#x size %d\n", s.Name, s.Bind, s.Type, s.Section, s.Value, s.Size)
	}
	d := f.Dynamic
	if d == nil {
		b.WriteString("no dynamic\n")
		return b.String()
	}
	fmt.Fprintf(&b, "dynamic soname %q version %q needed %q runpath %q init %#x fini %#x plt0 %#x\n",
		d.Soname, d.Version, d.Needed, d.Runpath, d.Init, d.Fini, d.PLTResolve)
	for i, s := range d.Symbols {
		fmt.Fprintf(&b, "  dynsym %d %-8s bind %d type %d defined %t value %#x size %d\n", i, s.Name, s.Bind, s.Type, s.Defined, s.Value, s.Size)
	}
	for i, r := range d.Relocs {
		sym := "-"
		if r.Sym >= 0 && r.Sym < len(d.Symbols) {
			sym = d.Symbols[r.Sym].Name
		}
		fmt.Fprintf(&b, "  dynrel %d %#06x %-9s %-8s %#x\n", i, r.Offset, r.Kind, sym, r.Addend)
	}
	return b.String()
}

// flagString renders section flags as "rwx" letters.
func flagString(f objfmt.SectionFlags) string {
	s := []byte("r--")
	if f&objfmt.FlagWrite != 0 {
		s[1] = 'w'
	}
	if f&objfmt.FlagExec != 0 {
		s[2] = 'x'
	}
	return string(s)
}
