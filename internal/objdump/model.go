package objdump

import (
	"bytes"
	"fmt"

	"linkvm/objfmt"
)

// Dump is everything vmobjdump shows about one object file. Its JSON
// encoding is the schema of vmobjdump -json (docs/tools.md); numbers are
// plain JSON numbers, instruction words are hex strings.
type Dump struct {
	// Name is the file name, or the member name for an archive member.
	Name string `json:"name"`
	// Archive is the archive file holding the member, "" for a plain file.
	Archive string `json:"archive,omitempty"`
	// Type is "relocatable", "executable" or "shared".
	Type string `json:"type"`
	// Version is the format version from the header.
	Version uint16 `json:"version"`
	// Entry is the entry address (0 except in executables).
	Entry uint64 `json:"entry"`
	// Flags are the header flags (0 in version 1).
	Flags uint32 `json:"flags"`
	// Shoff is the file offset of the section header table.
	Shoff uint64 `json:"shoff"`
	// Strndx is the disk index of the string table.
	Strndx uint32 `json:"strndx"`
	// Sections is the section header table, in disk order, null section
	// included.
	Sections []SectionInfo `json:"sections"`
	// Symbols is the symbol table without the null record, in table order.
	Symbols []SymbolInfo `json:"symbols"`
	// Relocations are every section's relocations, section by section.
	Relocations []RelocInfo `json:"relocations"`
	// Disassembly lists the instructions of every executable section.
	Disassembly []Insn `json:"disassembly"`
}

// SectionInfo is one on-disk section header.
type SectionInfo struct {
	// Index is the disk index.
	Index int `json:"index"`
	// Name is the section's name.
	Name string `json:"name"`
	// Kind is "NULL", "PROGBITS", "NOBITS", "SYMTAB", "STRTAB", "RELOC" or "LINES".
	Kind string `json:"kind"`
	// Flags lists "ALLOC", "WRITE", "EXEC", in that order; never null.
	Flags []string `json:"flags"`
	// Addr is the load address (VMA).
	Addr uint64 `json:"addr"`
	// Offset is the file offset of the section's bytes.
	Offset uint64 `json:"offset"`
	// Size is the size in bytes.
	Size uint64 `json:"size"`
	// Align is the alignment.
	Align uint32 `json:"align"`
	// Link is the link field (symbol or string table index).
	Link uint32 `json:"link"`
	// Info is the info field (the section a RELOC or LINES section describes).
	Info uint32 `json:"info"`
}

// SymbolInfo is one symbol.
type SymbolInfo struct {
	// Index is the symbol table index (record number; 0 is the null record).
	Index int `json:"index"`
	// Name is the name; for a section symbol, its section's name.
	Name string `json:"name"`
	// Value is the offset in the section (relocatable), the address
	// (images) or the constant (absolute symbols).
	Value uint64 `json:"value"`
	// Size is the size in bytes.
	Size uint64 `json:"size"`
	// Bind is "LOCAL", "GLOBAL" or "WEAK".
	Bind string `json:"bind"`
	// Type is "NOTYPE", "FUNC", "OBJECT" or "SECTION".
	Type string `json:"type"`
	// Section is the section's name, "*UND*" or "*ABS*".
	Section string `json:"section"`
	// Shndx is the disk index of the section, 0 undefined, 4294967295 absolute.
	Shndx uint32 `json:"shndx"`
}

// RelocInfo is one relocation.
type RelocInfo struct {
	// Section names the section relocated.
	Section string `json:"section"`
	// Offset is the place's offset in the section.
	Offset uint64 `json:"offset"`
	// Kind is the relocation kind ("INSN_PC", "ABS64", ...).
	Kind string `json:"kind"`
	// Symbol is the symbol's name (a section symbol's section name).
	Symbol string `json:"symbol"`
	// SymbolIndex is the symbol table index, as in SymbolInfo.Index.
	SymbolIndex int `json:"symbol_index"`
	// Addend is the constant A.
	Addend int64 `json:"addend"`
}

// Insn is one disassembled instruction (or leftover bytes).
type Insn struct {
	// Section is the section's name.
	Section string `json:"section"`
	// Addr is the instruction's address (its offset in a relocatable module).
	Addr uint64 `json:"addr"`
	// Offset is the instruction's offset in its section.
	Offset uint64 `json:"offset"`
	// Words are the instruction's words as 16 hex digits each (the
	// little-endian value: opcode in the last two digits); li64 has two.
	// Trailing bytes that do not fill a word give 2 digits per byte.
	Words []string `json:"words"`
	// Bytes are the instruction's bytes in memory order (not in JSON).
	Bytes []byte `json:"-"`
	// Text is the instruction in assembler syntax, with branch targets
	// named as "0x20 <fib+0x8>".
	Text string `json:"text"`
	// Label is the symbol that starts at this instruction, if any.
	Label string `json:"label,omitempty"`
	// Symbol names the address as "fib+0x8", "" if nothing does.
	Symbol string `json:"symbol,omitempty"`
	// Relocs are the relocations that patch this instruction.
	Relocs []RelocInfo `json:"relocs,omitempty"`
	// Source is the source position from the line table, if any.
	Source *Source `json:"source,omitempty"`
}

// Source is a source position and, when the file could be read, its text.
type Source struct {
	// File is the source file name as recorded by the assembler.
	File string `json:"file"`
	// Line is the 1-based line.
	Line uint32 `json:"line"`
	// Col is the 1-based column, 0 if unknown.
	Col uint32 `json:"col"`
	// Text is the source line, absent if the file could not be read.
	Text *string `json:"text,omitempty"`
}

// Options control Build.
type Options struct {
	// ReadSource reads source files for Source.Text; nil leaves Text out.
	ReadSource func(name string) ([]byte, error)
}

// Build parses the object file data and makes its Dump. Errors are those of
// objfmt (a *objfmt.FormatError for malformed input).
func Build(name string, data []byte, opts Options) (*Dump, error) {
	f, err := objfmt.Parse(data)
	if err != nil {
		return nil, err
	}
	raw, err := objfmt.ReadRaw(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	b := &builder{f: f, raw: raw, z: newSymbolizer(f), src: newSourceCache(opts.ReadSource)}
	h := raw.Header
	d := &Dump{
		Name: name, Type: objfmt.Type(h.Type).String(), Version: h.Version,
		Entry: h.Entry, Flags: h.Flags, Shoff: h.Shoff, Strndx: h.Strndx,
		Sections: []SectionInfo{}, Symbols: []SymbolInfo{}, Relocations: []RelocInfo{}, Disassembly: []Insn{},
	}
	for i, s := range raw.Sections {
		if k := objfmt.SectionKind(s.Header.Kind); k == objfmt.KindProgbits || k == objfmt.KindNobits {
			b.disk = append(b.disk, uint32(i))
		}
		d.Sections = append(d.Sections, SectionInfo{
			Index: i, Name: s.Name, Kind: objfmt.SectionKind(s.Header.Kind).String(),
			Flags: flagNames(objfmt.SectionFlags(s.Header.Flags)),
			Addr:  s.Header.Addr, Offset: s.Header.Offset, Size: s.Header.Size,
			Align: s.Header.Align, Link: s.Header.Link, Info: s.Header.Info,
		})
	}
	for i := range f.Symbols {
		s := &f.Symbols[i]
		info := SymbolInfo{
			Index: i + 1, Name: b.symName(i), Value: s.Value, Size: s.Size,
			Bind: bindName(s.Bind), Type: typeName(s.Type),
		}
		switch s.Section {
		case objfmt.SecUndef:
			info.Section, info.Shndx = "*UND*", objfmt.ShnUndef
		case objfmt.SecAbs:
			info.Section, info.Shndx = "*ABS*", objfmt.ShnAbs
		default:
			info.Section, info.Shndx = f.Sections[s.Section].Name, b.disk[s.Section]
		}
		d.Symbols = append(d.Symbols, info)
	}
	for _, s := range f.Sections {
		for _, r := range s.Relocs {
			d.Relocations = append(d.Relocations, b.reloc(s, r))
		}
	}
	for si, s := range f.Sections {
		if s.Kind == objfmt.KindProgbits && s.Flags&objfmt.FlagExec != 0 {
			d.Disassembly = append(d.Disassembly, b.disasm(si)...)
		}
	}
	return d, nil
}

// builder holds what Build needs while it works.
type builder struct {
	f    *objfmt.File
	raw  *objfmt.RawFile
	z    *symbolizer
	src  *sourceCache
	disk []uint32 // API section index -> disk index
}

// symName names symbol i, a section symbol by its section's name.
func (b *builder) symName(i int) string {
	s := &b.f.Symbols[i]
	if s.Type == objfmt.SymSection && s.Name == "" && s.Section >= 0 {
		return b.f.Sections[s.Section].Name
	}
	return s.Name
}

func (b *builder) reloc(s *objfmt.Section, r objfmt.Reloc) RelocInfo {
	return RelocInfo{
		Section: s.Name, Offset: r.Offset, Kind: r.Kind.String(),
		Symbol: b.symName(r.Sym), SymbolIndex: r.Sym + 1, Addend: r.Addend,
	}
}

func flagNames(fl objfmt.SectionFlags) []string {
	out := []string{}
	if fl&objfmt.FlagAlloc != 0 {
		out = append(out, "ALLOC")
	}
	if fl&objfmt.FlagWrite != 0 {
		out = append(out, "WRITE")
	}
	if fl&objfmt.FlagExec != 0 {
		out = append(out, "EXEC")
	}
	return out
}

func bindName(b objfmt.SymBind) string {
	switch b {
	case objfmt.BindLocal:
		return "LOCAL"
	case objfmt.BindGlobal:
		return "GLOBAL"
	case objfmt.BindWeak:
		return "WEAK"
	}
	return fmt.Sprintf("BIND_%d", b)
}

func typeName(t objfmt.SymType) string {
	switch t {
	case objfmt.SymNoType:
		return "NOTYPE"
	case objfmt.SymFunc:
		return "FUNC"
	case objfmt.SymObject:
		return "OBJECT"
	case objfmt.SymSection:
		return "SECTION"
	}
	return fmt.Sprintf("TYPE_%d", t)
}

// RelocTarget renders a relocation's symbol and addend as objdump does:
// "fib", ".rodata+0x10", "buf-0x8".
func RelocTarget(r RelocInfo) string {
	switch {
	case r.Addend > 0:
		return fmt.Sprintf("%s+%#x", r.Symbol, r.Addend)
	case r.Addend < 0:
		return fmt.Sprintf("%s-%#x", r.Symbol, -uint64(r.Addend))
	}
	return r.Symbol
}
