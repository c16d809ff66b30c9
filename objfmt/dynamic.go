package objfmt

// This file holds the on-disk records of the dynamic-linking information
// (File.Dynamic), laid out as in docs/objfmt.md, section "Dynamic linking
// information". The reader is dynamic_read.go, the writer dynamic_write.go,
// the rules both enforce dynamic_validate.go and the symbol lookup
// dynamic_hash.go.

// Section kinds of the dynamic-linking information. They exist only on
// disk: the API holds them in File.Dynamic. Kinds 7 to 15 are unassigned.
const (
	KindDynamic  SectionKind = 16 // one DynamicRecord: soname, version, init, fini, PLT0 and the counts
	KindNeeded   SectionKind = 17 // Dynamic.Needed: u32 string table offsets
	KindRunpath  SectionKind = 18 // Dynamic.Runpath: u32 string table offsets
	KindDynsym   SectionKind = 19 // Dynamic.Symbols: DynSymbolRecords, record 0 all zero
	KindDynrel   SectionKind = 20 // Dynamic.Relocs: DynRelocRecords
	KindHash     SectionKind = 21 // the hash table of the defined dynamic symbols
	firstDynKind             = KindDynamic
	endDynKind               = KindHash + 1
)

var dynKindNames = [endDynKind - firstDynKind]string{"DYNAMIC", "NEEDED", "RUNPATH", "DYNSYM", "DYNREL", "HASH"}

// isDynKind reports whether k is one of the dynamic-linking section kinds.
func isDynKind(k SectionKind) bool { return k >= firstDynKind && k < endDynKind }

// Sizes in bytes of the dynamic-linking records.
const (
	DynamicSize   = 64 // DynamicRecord
	DynSymbolSize = 24 // DynSymbolRecord
	DynRelocSize  = 24 // DynRelocRecord
	dynStrRefSize = 4  // an entry of NEEDED and RUNPATH
	hashHdrSize   = 8  // nbucket and nchain at the start of HASH
	hashWordSize  = 4  // a bucket or chain entry
)

// DynSymDefined is the DynSymbolRecord flag of a defined (exported) symbol.
const DynSymDefined uint16 = 1 << 0

// DynamicRecord is the content of the DYNAMIC section.
type DynamicRecord struct {
	// Soname is the string table offset of Dynamic.Soname (0 = empty).
	Soname uint32
	// Version is the string table offset of Dynamic.Version (0 = empty).
	Version uint32
	// Init is Dynamic.Init.
	Init uint64
	// Fini is Dynamic.Fini.
	Fini uint64
	// PLTResolve is Dynamic.PLTResolve.
	PLTResolve uint64
	// Nneeded is the number of entries of the NEEDED section.
	Nneeded uint32
	// Nrunpath is the number of entries of the RUNPATH section.
	Nrunpath uint32
	// Nsyms is the number of DYNSYM records, including the null one.
	Nsyms uint32
	// Nrelocs is the number of DYNREL records.
	Nrelocs uint32
	// Reserved is 0.
	Reserved [16]byte
}

// Byte offsets of the DynamicRecord fields.
const (
	offDynSoname     = 0x00
	offDynVersion    = 0x04
	offDynInit       = 0x08
	offDynFini       = 0x10
	offDynPLTResolve = 0x18
	offDynNneeded    = 0x20
	offDynNrunpath   = 0x24
	offDynNsyms      = 0x28
	offDynNrelocs    = 0x2c
	offDynReserved   = 0x30
)

// DynSymbolRecord is one entry of the DYNSYM section. Record 0 is all zero.
type DynSymbolRecord struct {
	// Name is the string table offset of the symbol's name.
	Name uint32
	// Bind is the SymBind: BindGlobal or BindWeak.
	Bind uint8
	// Type is the SymType: SymNoType, SymFunc or SymObject.
	Type uint8
	// Flags is DynSymDefined for an exported symbol, 0 for an imported one.
	Flags uint16
	// Value is the exported symbol's address relative to the module base.
	Value uint64
	// Size is the exported symbol's size.
	Size uint64
}

// Byte offsets of the DynSymbolRecord fields.
const (
	offDsymName  = 0x00
	offDsymBind  = 0x04
	offDsymType  = 0x05
	offDsymFlags = 0x06
	offDsymValue = 0x08
	offDsymSize  = 0x10
)

// DynRelocRecord is one entry of the DYNREL section; its layout is that of
// RelocRecord.
type DynRelocRecord struct {
	// Offset is the place's address relative to the module base.
	Offset uint64
	// Sym is the DYNSYM index of the symbol; 0 (none) for RELATIVE only.
	Sym uint32
	// Kind is the DynRelocKind.
	Kind uint32
	// Addend is the constant A.
	Addend int64
}

func getDynamicRecord(b []byte) DynamicRecord {
	r := DynamicRecord{
		Soname:     le.Uint32(b[offDynSoname:]),
		Version:    le.Uint32(b[offDynVersion:]),
		Init:       le.Uint64(b[offDynInit:]),
		Fini:       le.Uint64(b[offDynFini:]),
		PLTResolve: le.Uint64(b[offDynPLTResolve:]),
		Nneeded:    le.Uint32(b[offDynNneeded:]),
		Nrunpath:   le.Uint32(b[offDynNrunpath:]),
		Nsyms:      le.Uint32(b[offDynNsyms:]),
		Nrelocs:    le.Uint32(b[offDynNrelocs:]),
	}
	copy(r.Reserved[:], b[offDynReserved:DynamicSize])
	return r
}

func (r *DynamicRecord) put(b []byte) {
	le.PutUint32(b[offDynSoname:], r.Soname)
	le.PutUint32(b[offDynVersion:], r.Version)
	le.PutUint64(b[offDynInit:], r.Init)
	le.PutUint64(b[offDynFini:], r.Fini)
	le.PutUint64(b[offDynPLTResolve:], r.PLTResolve)
	le.PutUint32(b[offDynNneeded:], r.Nneeded)
	le.PutUint32(b[offDynNrunpath:], r.Nrunpath)
	le.PutUint32(b[offDynNsyms:], r.Nsyms)
	le.PutUint32(b[offDynNrelocs:], r.Nrelocs)
	copy(b[offDynReserved:DynamicSize], r.Reserved[:])
}

func getDynSymbolRecord(b []byte) DynSymbolRecord {
	return DynSymbolRecord{
		Name:  le.Uint32(b[offDsymName:]),
		Bind:  b[offDsymBind],
		Type:  b[offDsymType],
		Flags: le.Uint16(b[offDsymFlags:]),
		Value: le.Uint64(b[offDsymValue:]),
		Size:  le.Uint64(b[offDsymSize:]),
	}
}

func (r *DynSymbolRecord) put(b []byte) {
	le.PutUint32(b[offDsymName:], r.Name)
	b[offDsymBind] = r.Bind
	b[offDsymType] = r.Type
	le.PutUint16(b[offDsymFlags:], r.Flags)
	le.PutUint64(b[offDsymValue:], r.Value)
	le.PutUint64(b[offDsymSize:], r.Size)
}

func getDynRelocRecord(b []byte) DynRelocRecord {
	return DynRelocRecord(getRelocRecord(b))
}

func (r *DynRelocRecord) put(b []byte) {
	rec := RelocRecord(*r)
	rec.put(b)
}
