package objfmt

// This file holds the on-disk records of the static library format,
// laid out exactly as in docs/objfmt.md ("Static libraries"). Every
// integer is little-endian.

// ArchiveMagic is the first four bytes of every static library (.va).
const ArchiveMagic = "\x7fLVA"

// ArchiveVersion is the only archive format version this package reads
// and writes. Version 2 added the archive's checksum and made the
// members' checksums CRC-32C (version 1 used IEEE's CRC-32).
const ArchiveVersion = 2

// Sizes in bytes of the archive's on-disk records.
const (
	archHeaderSize = 64 // archHeader
	archMemberSize = 24 // archMemberRecord
	archSymbolSize = 8  // archSymbolRecord
	archDataAlign  = 8  // alignment of every member's data in the file
)

// archHeader is the archive header, the first archHeaderSize bytes.
type archHeader struct {
	magic    [4]byte
	version  uint16
	flags    uint16 // reserved, 0
	nmembers uint32 // entries of the member table
	nsyms    uint32 // entries of the symbol index
	memoff   uint64 // file offset of the member table
	symoff   uint64 // file offset of the symbol index
	stroff   uint64 // file offset of the string table
	strsize  uint64 // size of the string table
	checksum uint32 // CRC-32C of the whole archive, this field read as zero
	reserved [12]byte
}

// Byte offsets of the archHeader fields.
const (
	offArVersion  = 0x04
	offArFlags    = 0x06
	offArNmembers = 0x08
	offArNsyms    = 0x0c
	offArMemoff   = 0x10
	offArSymoff   = 0x18
	offArStroff   = 0x20
	offArStrsize  = 0x28
	offArChecksum = 0x30
	offArReserved = 0x34
)

// archMemberRecord is one entry of the member table.
type archMemberRecord struct {
	name   uint32 // string table offset of the member's name
	crc    uint32 // CRC-32C of the member's data
	offset uint64 // file offset of the data, a multiple of archDataAlign
	size   uint64 // size of the data
}

// Byte offsets of the archMemberRecord fields.
const (
	offAmName   = 0x00
	offAmCRC    = 0x04
	offAmOffset = 0x08
	offAmSize   = 0x10
)

// archSymbolRecord is one entry of the symbol index.
type archSymbolRecord struct {
	name   uint32 // string table offset of the symbol's name
	member uint32 // index of the defining member in the member table
}

// Byte offsets of the archSymbolRecord fields.
const (
	offAsName   = 0x00
	offAsMember = 0x04
)

func getArchHeader(b []byte) archHeader {
	var h archHeader
	copy(h.magic[:], b)
	h.version = le.Uint16(b[offArVersion:])
	h.flags = le.Uint16(b[offArFlags:])
	h.nmembers = le.Uint32(b[offArNmembers:])
	h.nsyms = le.Uint32(b[offArNsyms:])
	h.memoff = le.Uint64(b[offArMemoff:])
	h.symoff = le.Uint64(b[offArSymoff:])
	h.stroff = le.Uint64(b[offArStroff:])
	h.strsize = le.Uint64(b[offArStrsize:])
	h.checksum = le.Uint32(b[offArChecksum:])
	copy(h.reserved[:], b[offArReserved:archHeaderSize])
	return h
}

func (h *archHeader) put(b []byte) {
	copy(b, h.magic[:])
	le.PutUint16(b[offArVersion:], h.version)
	le.PutUint16(b[offArFlags:], h.flags)
	le.PutUint32(b[offArNmembers:], h.nmembers)
	le.PutUint32(b[offArNsyms:], h.nsyms)
	le.PutUint64(b[offArMemoff:], h.memoff)
	le.PutUint64(b[offArSymoff:], h.symoff)
	le.PutUint64(b[offArStroff:], h.stroff)
	le.PutUint64(b[offArStrsize:], h.strsize)
	le.PutUint32(b[offArChecksum:], h.checksum)
	copy(b[offArReserved:archHeaderSize], h.reserved[:])
}

func getArchMemberRecord(b []byte) archMemberRecord {
	return archMemberRecord{
		name:   le.Uint32(b[offAmName:]),
		crc:    le.Uint32(b[offAmCRC:]),
		offset: le.Uint64(b[offAmOffset:]),
		size:   le.Uint64(b[offAmSize:]),
	}
}

func (m *archMemberRecord) put(b []byte) {
	le.PutUint32(b[offAmName:], m.name)
	le.PutUint32(b[offAmCRC:], m.crc)
	le.PutUint64(b[offAmOffset:], m.offset)
	le.PutUint64(b[offAmSize:], m.size)
}

func getArchSymbolRecord(b []byte) archSymbolRecord {
	return archSymbolRecord{name: le.Uint32(b[offAsName:]), member: le.Uint32(b[offAsMember:])}
}

func (s *archSymbolRecord) put(b []byte) {
	le.PutUint32(b[offAsName:], s.name)
	le.PutUint32(b[offAsMember:], s.member)
}
