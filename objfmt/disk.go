package objfmt

import "encoding/binary"

// This file holds the on-disk records of the object format, laid out
// exactly as in docs/objfmt.md. Every integer is little-endian and the
// structs have no padding, so encoding/binary reads and writes them as is;
// the reader and writer use the hand-written get/put functions below, which
// are checked against encoding/binary by the tests.

// Magic is the first four bytes of every object file.
const Magic = "\x7fLVM"

// Version is the only format version this package reads and writes.
// Version 2 added the checksum (version 1 files, whose checksum field is
// 0, are rejected with ErrVersion: rebuild them).
const Version = 2

// Sizes in bytes of the on-disk records.
const (
	HeaderSize        = 64 // Header
	SectionHeaderSize = 48 // SectionHeader
	SymbolSize        = 32 // SymbolRecord
	RelocSize         = 24 // RelocRecord
	LineSize          = 16 // LineRecord
)

// On-disk-only section kinds. KindProgbits and KindNobits, the kinds of
// content sections, are in types.go; the dynamic-linking kinds (16 and up)
// in dynamic.go.
const (
	KindNull   SectionKind = 0 // disk section 0, the null section
	KindSymtab SectionKind = 3 // the symbol table: SymbolRecords
	KindStrtab SectionKind = 4 // the string table: NUL-terminated strings
	KindReloc  SectionKind = 5 // relocations of the section named by Info: RelocRecords
	KindLines  SectionKind = 6 // line table of the section named by Info: LineRecords
	numKinds               = 7
)

var kindNames = [...]string{"NULL", "PROGBITS", "NOBITS", "SYMTAB", "STRTAB", "RELOC", "LINES"}

// String returns the kind's name as in docs/objfmt.md ("PROGBITS", ...).
func (k SectionKind) String() string {
	if k < numKinds {
		return kindNames[k]
	}
	if isDynKind(k) {
		return dynKindNames[k-firstDynKind]
	}
	return "KIND_" + itoa(uint64(k))
}

// Special values of SymbolRecord.Shndx.
const (
	ShnUndef uint32 = 0          // the symbol is undefined
	ShnAbs   uint32 = 0xFFFFFFFF // the symbol's value is an absolute constant
)

// Header is the file header, the first HeaderSize bytes of a file.
type Header struct {
	// Magic is always the four bytes of the Magic constant.
	Magic [4]byte
	// Version is the format version, Version.
	Version uint16
	// Type is the file's Type.
	Type uint16
	// Entry is the entry address of an executable, otherwise 0.
	Entry uint64
	// Shoff is the file offset of the section header table.
	Shoff uint64
	// Shnum is the number of section headers, including the null section.
	Shnum uint32
	// Strndx is the index of the string table section.
	Strndx uint32
	// Flags is reserved, 0.
	Flags uint32
	// Checksum is the CRC-32C of the whole file with this field read as
	// zero (see Checksum).
	Checksum uint32
	// Reserved is 0.
	Reserved [24]byte
}

// Byte offsets of the Header fields.
const (
	offHdrVersion  = 0x04
	offHdrType     = 0x06
	offHdrEntry    = 0x08
	offHdrShoff    = 0x10
	offHdrShnum    = 0x18
	offHdrStrndx   = 0x1c
	offHdrFlags    = 0x20
	offHdrChecksum = 0x24
	offHdrReserved = 0x28
)

// SectionHeader is one entry of the section header table.
type SectionHeader struct {
	// Name is the string table offset of the section's name.
	Name uint32
	// Kind is the SectionKind.
	Kind uint32
	// Flags are the SectionFlags of a content section, otherwise 0.
	Flags uint32
	// Align is the alignment of Addr, a power of two.
	Align uint32
	// Addr is the load address of a content section in an image, otherwise 0.
	Addr uint64
	// Offset is the file offset of the section's bytes; 0 for NOBITS.
	Offset uint64
	// Size is the section's size: in memory for NOBITS, in the file otherwise.
	Size uint64
	// Link is the index of a related section: the symbol table for RELOC,
	// the string table for SYMTAB and LINES, otherwise 0.
	Link uint32
	// Info is the index of the content section a RELOC or LINES section
	// describes, otherwise 0.
	Info uint32
}

// Byte offsets of the SectionHeader fields.
const (
	offShName   = 0x00
	offShKind   = 0x04
	offShFlags  = 0x08
	offShAlign  = 0x0c
	offShAddr   = 0x10
	offShOffset = 0x18
	offShSize   = 0x20
	offShLink   = 0x28
	offShInfo   = 0x2c
)

// SymbolRecord is one entry of the symbol table. Record 0 is all zero.
type SymbolRecord struct {
	// Name is the string table offset of the symbol's name.
	Name uint32
	// Bind is the SymBind.
	Bind uint8
	// Type is the SymType.
	Type uint8
	// Reserved is 0.
	Reserved uint16
	// Shndx is ShnUndef, ShnAbs or the disk index of a content section.
	Shndx uint32
	// Value is the symbol's value (see Symbol.Value).
	Value uint64
	// Size is the symbol's size in bytes.
	Size uint64
	// Reserved2 is 0.
	Reserved2 uint32
}

// Byte offsets of the SymbolRecord fields.
const (
	offSymName      = 0x00
	offSymBind      = 0x04
	offSymType      = 0x05
	offSymReserved  = 0x06
	offSymShndx     = 0x08
	offSymValue     = 0x0c
	offSymSize      = 0x14
	offSymReserved2 = 0x1c
)

// RelocRecord is one entry of a RELOC section.
type RelocRecord struct {
	// Offset is the place's offset in the target section.
	Offset uint64
	// Sym is the symbol table index of the symbol, never 0.
	Sym uint32
	// Kind is the RelocKind.
	Kind uint32
	// Addend is the constant A.
	Addend int64
}

// Byte offsets of the RelocRecord fields.
const (
	offRelOffset = 0x00
	offRelSym    = 0x08
	offRelKind   = 0x0c
	offRelAddend = 0x10
)

// LineRecord is one entry of a LINES section.
type LineRecord struct {
	// Offset is the offset in the target section of the first instruction.
	Offset uint32
	// File is the string table offset of the source file name.
	File uint32
	// Line is the source line.
	Line uint32
	// Col is the source column.
	Col uint32
}

// Byte offsets of the LineRecord fields.
const (
	offLineOffset = 0x00
	offLineFile   = 0x04
	offLineLine   = 0x08
	offLineCol    = 0x0c
)

var le = binary.LittleEndian

func getHeader(b []byte) Header {
	var h Header
	copy(h.Magic[:], b)
	h.Version = le.Uint16(b[offHdrVersion:])
	h.Type = le.Uint16(b[offHdrType:])
	h.Entry = le.Uint64(b[offHdrEntry:])
	h.Shoff = le.Uint64(b[offHdrShoff:])
	h.Shnum = le.Uint32(b[offHdrShnum:])
	h.Strndx = le.Uint32(b[offHdrStrndx:])
	h.Flags = le.Uint32(b[offHdrFlags:])
	h.Checksum = le.Uint32(b[offHdrChecksum:])
	copy(h.Reserved[:], b[offHdrReserved:HeaderSize])
	return h
}

func (h *Header) put(b []byte) {
	copy(b, h.Magic[:])
	le.PutUint16(b[offHdrVersion:], h.Version)
	le.PutUint16(b[offHdrType:], h.Type)
	le.PutUint64(b[offHdrEntry:], h.Entry)
	le.PutUint64(b[offHdrShoff:], h.Shoff)
	le.PutUint32(b[offHdrShnum:], h.Shnum)
	le.PutUint32(b[offHdrStrndx:], h.Strndx)
	le.PutUint32(b[offHdrFlags:], h.Flags)
	le.PutUint32(b[offHdrChecksum:], h.Checksum)
	copy(b[offHdrReserved:HeaderSize], h.Reserved[:])
}

func getSectionHeader(b []byte) SectionHeader {
	return SectionHeader{
		Name:   le.Uint32(b[offShName:]),
		Kind:   le.Uint32(b[offShKind:]),
		Flags:  le.Uint32(b[offShFlags:]),
		Align:  le.Uint32(b[offShAlign:]),
		Addr:   le.Uint64(b[offShAddr:]),
		Offset: le.Uint64(b[offShOffset:]),
		Size:   le.Uint64(b[offShSize:]),
		Link:   le.Uint32(b[offShLink:]),
		Info:   le.Uint32(b[offShInfo:]),
	}
}

func (s *SectionHeader) put(b []byte) {
	le.PutUint32(b[offShName:], s.Name)
	le.PutUint32(b[offShKind:], s.Kind)
	le.PutUint32(b[offShFlags:], s.Flags)
	le.PutUint32(b[offShAlign:], s.Align)
	le.PutUint64(b[offShAddr:], s.Addr)
	le.PutUint64(b[offShOffset:], s.Offset)
	le.PutUint64(b[offShSize:], s.Size)
	le.PutUint32(b[offShLink:], s.Link)
	le.PutUint32(b[offShInfo:], s.Info)
}

func getSymbolRecord(b []byte) SymbolRecord {
	return SymbolRecord{
		Name:      le.Uint32(b[offSymName:]),
		Bind:      b[offSymBind],
		Type:      b[offSymType],
		Reserved:  le.Uint16(b[offSymReserved:]),
		Shndx:     le.Uint32(b[offSymShndx:]),
		Value:     le.Uint64(b[offSymValue:]),
		Size:      le.Uint64(b[offSymSize:]),
		Reserved2: le.Uint32(b[offSymReserved2:]),
	}
}

func (s *SymbolRecord) put(b []byte) {
	le.PutUint32(b[offSymName:], s.Name)
	b[offSymBind] = s.Bind
	b[offSymType] = s.Type
	le.PutUint16(b[offSymReserved:], s.Reserved)
	le.PutUint32(b[offSymShndx:], s.Shndx)
	le.PutUint64(b[offSymValue:], s.Value)
	le.PutUint64(b[offSymSize:], s.Size)
	le.PutUint32(b[offSymReserved2:], s.Reserved2)
}

func getRelocRecord(b []byte) RelocRecord {
	return RelocRecord{
		Offset: le.Uint64(b[offRelOffset:]),
		Sym:    le.Uint32(b[offRelSym:]),
		Kind:   le.Uint32(b[offRelKind:]),
		Addend: int64(le.Uint64(b[offRelAddend:])),
	}
}

func (r *RelocRecord) put(b []byte) {
	le.PutUint64(b[offRelOffset:], r.Offset)
	le.PutUint32(b[offRelSym:], r.Sym)
	le.PutUint32(b[offRelKind:], r.Kind)
	le.PutUint64(b[offRelAddend:], uint64(r.Addend))
}

func getLineRecord(b []byte) LineRecord {
	return LineRecord{
		Offset: le.Uint32(b[offLineOffset:]),
		File:   le.Uint32(b[offLineFile:]),
		Line:   le.Uint32(b[offLineLine:]),
		Col:    le.Uint32(b[offLineCol:]),
	}
}

func (l *LineRecord) put(b []byte) {
	le.PutUint32(b[offLineOffset:], l.Offset)
	le.PutUint32(b[offLineFile:], l.File)
	le.PutUint32(b[offLineLine:], l.Line)
	le.PutUint32(b[offLineCol:], l.Col)
}
