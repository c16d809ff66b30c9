// Package objfmt reads and writes linkvm's object format, the one container
// used for relocatable modules (.vo), executable images (.img) and shared
// modules (.vso). The byte-level layout is specified in docs/objfmt.md.
//
// As in Go's debug/elf, the on-disk records (disk.go) are kept separate from
// the API types below: a File is a convenient in-memory view in which
// relocations and line tables hang off the section they describe and symbols
// refer to sections by index, while the symbol table, string table,
// relocation and line sections exist only on disk.
package objfmt

// Type says what a file is for.
type Type uint16

// File types.
const (
	TypeRel    Type = 1 // relocatable module (.vo), produced by vmas
	TypeExec   Type = 2 // executable image (.img), produced by vmld
	TypeShared Type = 3 // shared module (.vso), produced by vmld -shared
)

func (t Type) String() string {
	switch t {
	case TypeRel:
		return "relocatable"
	case TypeExec:
		return "executable"
	case TypeShared:
		return "shared"
	}
	return "unknown"
}

// SectionKind says how a content section's bytes are stored.
type SectionKind uint32

// Content section kinds. The on-disk-only kinds (symbol table, string table,
// relocations, lines) are in disk.go.
const (
	KindProgbits SectionKind = 1 // bytes stored in the file
	KindNobits   SectionKind = 2 // zero-filled at load, occupies no file space (.bss)
)

// SectionFlags describe a section's role in memory.
type SectionFlags uint32

// Section flags.
const (
	FlagAlloc SectionFlags = 1 << 0 // occupies memory in a running process
	FlagWrite SectionFlags = 1 << 1 // writable at run time
	FlagExec  SectionFlags = 1 << 2 // holds instructions
)

// Section is a content section with its relocations and line table.
type Section struct {
	// Name is the section's name, such as ".text" or ".data.counter".
	Name string
	// Kind is KindProgbits or KindNobits.
	Kind SectionKind
	// Flags says whether the section is loaded, writable, executable.
	Flags SectionFlags
	// Align is the required alignment of Addr, a power of two (1 = none).
	Align uint64
	// Addr is the load address in images; 0 in relocatable modules.
	Addr uint64
	// Size is the section's size in memory; len(Data) for KindProgbits.
	Size uint64
	// Data holds the bytes of a KindProgbits section; nil for KindNobits.
	Data []byte
	// Relocs are the relocations to apply to this section, sorted by Offset.
	Relocs []Reloc
	// Lines maps offsets in this section to source positions, sorted by Offset.
	Lines []Line
}

// SymBind is a symbol's binding: who can see it and how it resolves.
type SymBind uint8

// Symbol bindings.
const (
	BindLocal  SymBind = 0 // visible only inside its module
	BindGlobal SymBind = 1 // visible to other modules; one strong definition
	BindWeak   SymBind = 2 // global, but loses to a global definition and may stay undefined
)

// SymType says what a symbol names.
type SymType uint8

// Symbol types.
const (
	SymNoType  SymType = 0 // unspecified
	SymFunc    SymType = 1 // a function in an executable section
	SymObject  SymType = 2 // a data object
	SymSection SymType = 3 // the start of a section (used as a relocation base for local labels)
)

// Special values of Symbol.Section.
const (
	SecUndef = -1 // the symbol is referenced but not defined here
	SecAbs   = -2 // the symbol's value is an absolute constant
)

// Symbol is an entry of the symbol table.
type Symbol struct {
	// Name is the symbol's name; empty for section symbols.
	Name string
	// Bind is local, global or weak.
	Bind SymBind
	// Type is function, object, section or none.
	Type SymType
	// Section is an index into File.Sections, or SecUndef or SecAbs.
	Section int
	// Value is the offset in Section in relocatable modules, the address in
	// images, and the constant for SecAbs.
	Value uint64
	// Size is the size in bytes of the function or object, 0 if unknown.
	Size uint64
}

// RelocKind says how a relocation computes and stores its value.
// S is the symbol's address, A the addend, P the address of the place
// (Section.Addr + Offset).
type RelocKind uint32

// Relocation kinds. G is the address of the symbol's GOT slot (a word in
// the module's writable data that holds the symbol's address), L the
// address of its PLT stub (a call stub that jumps through the GOT slot), or
// S itself when the symbol is defined in the same link and cannot be
// interposed.
const (
	RelNone     RelocKind = 0  // does nothing
	RelAbs64    RelocKind = 1  // 8 bytes at Offset = S + A
	RelAbs32    RelocKind = 2  // 4 bytes at Offset = S + A; must fit in uint32
	RelPC32     RelocKind = 3  // 4 bytes at Offset = S + A - P; must fit in int32
	RelInsnPC   RelocKind = 4  // imm of the instruction at Offset = S + A - P; must fit in int32
	RelInsnAbs  RelocKind = 5  // imm of the instruction at Offset = S + A; must fit in int32
	RelInsnGot  RelocKind = 16 // imm of the instruction at Offset = G + A - P (sym@got)
	RelInsnPLT  RelocKind = 17 // imm of the instruction at Offset = L + A - P (sym@plt)
	numRelKinds           = 18
)

var relocNames = [numRelKinds]string{0: "NONE", 1: "ABS64", 2: "ABS32", 3: "PC32", 4: "INSN_PC",
	5: "INSN_ABS", 16: "INSN_GOT", 17: "INSN_PLT"}

// Known reports whether k is a defined relocation kind.
func (k RelocKind) Known() bool { return k < numRelKinds && relocNames[k] != "" }

func (k RelocKind) String() string {
	if k.Known() {
		return relocNames[k]
	}
	return "RELOC_" + itoa(uint64(k))
}

// Reloc is one relocation of a section.
type Reloc struct {
	// Offset is the place's offset in the section. For the INSN kinds it is
	// the offset of the instruction word, not of its imm field.
	Offset uint64
	// Kind selects the formula and the size of the place.
	Kind RelocKind
	// Sym is an index into File.Symbols.
	Sym int
	// Addend is the constant A added to the symbol's address.
	Addend int64
}

// Line maps the instructions from Offset (up to the next entry's Offset) to
// the source position that produced them.
type Line struct {
	// Offset is the offset in the section of the first instruction.
	Offset uint64
	// File is the source file name as given to the assembler.
	File string
	// Line is the 1-based source line.
	Line uint32
	// Col is the 1-based source column, 0 if unknown.
	Col uint32
}

// File is a whole module or image in memory.
type File struct {
	// Type says whether this is a relocatable module, executable or shared module.
	Type Type
	// Entry is the address where execution starts (executables only).
	Entry uint64
	// Sections are the content sections, in file order.
	Sections []*Section
	// Symbols is the symbol table. Relocations refer to it by index.
	Symbols []Symbol
	// Dynamic is the dynamic-linking information of a shared module or of
	// an executable linked against shared modules; nil otherwise.
	Dynamic *Dynamic
}

// Dynamic is what the dynamic loader needs: which modules to load, which
// symbols the module offers and needs, and how to patch its writable data.
// Addresses are relative to the module's load address (for executables,
// which load at 0, they are absolute).
type Dynamic struct {
	// Soname is a shared module's name with its major version, such as
	// "libgreet.vso.1"; empty for executables.
	Soname string
	// Version is the module's "MAJOR.MINOR" version; MAJOR matches the
	// soname's suffix.
	Version string
	// Needed lists the sonames of the modules this one needs, in link order.
	Needed []string
	// Runpath lists directories searched first for needed modules;
	// "$ORIGIN" stands for the directory of this file.
	Runpath []string
	// Init is the address of the function run after the module is
	// relocated, before anything that depends on it; 0 if none.
	Init uint64
	// Fini is the address of the function run when the module is unloaded
	// or the process exits; 0 if none.
	Fini uint64
	// PLTResolve is the address of the lazy-binding entry (PLT0) that PLT
	// stubs jump to on their first call; 0 if the module has no PLT.
	PLTResolve uint64
	// Symbols is the dynamic symbol table: the symbols the module exports
	// (Defined) and imports (not Defined). DynRelocs refer to it by index.
	Symbols []DynSymbol
	// Relocs are applied at load time to the module's writable sections.
	Relocs []DynReloc
}

// DynSymbol is an entry of the dynamic symbol table.
type DynSymbol struct {
	// Name is the symbol's name.
	Name string
	// Bind is BindGlobal or BindWeak (a weak import may stay unresolved: 0).
	Bind SymBind
	// Type is SymFunc, SymObject or SymNoType.
	Type SymType
	// Defined is true for exports, false for imports.
	Defined bool
	// Value is the exported symbol's address relative to the module base.
	Value uint64
	// Size is the exported object's or function's size.
	Size uint64
}

// DynRelocKind says how the loader computes a dynamic relocation. B is the
// module's load address, S the address the loader resolved for the symbol.
type DynRelocKind uint32

// Dynamic relocation kinds. Every one writes 8 bytes at B + Offset, which
// must lie in a writable section.
const (
	DynRelative DynRelocKind = 1 // B + A (a pointer to the module's own code or data)
	DynAbs64    DynRelocKind = 2 // S + A (a pointer to a symbol, resolved at load)
	DynGlobDat  DynRelocKind = 3 // S + A (a GOT slot, resolved at load)
	DynJumpSlot DynRelocKind = 4 // a PLT stub's GOT slot: B + A (its lazy entry) at load, S when first called or with bind-now
	numDynKinds              = 5
)

var dynRelocNames = [numDynKinds]string{1: "RELATIVE", 2: "ABS64", 3: "GLOB_DAT", 4: "JUMP_SLOT"}

// Known reports whether k is a defined dynamic relocation kind.
func (k DynRelocKind) Known() bool { return k < numDynKinds && dynRelocNames[k] != "" }

func (k DynRelocKind) String() string {
	if k.Known() {
		return dynRelocNames[k]
	}
	return "DYN_" + itoa(uint64(k))
}

// DynReloc is one dynamic relocation.
type DynReloc struct {
	// Offset is the place's address relative to the module base.
	Offset uint64
	// Kind selects the formula.
	Kind DynRelocKind
	// Sym indexes Dynamic.Symbols; -1 for DynRelative.
	Sym int
	// Addend is the constant A.
	Addend int64
}

// PageSize is the alignment, in the file and in memory, of every loaded
// section of an image, so that code can be mapped and executed in place.
const PageSize = 4096

// NullLimit is the end of the null area: no image maps anything below it,
// and the VM traps any access there as a null pointer access. The linker
// places an executable from it by default and refuses a base below it.
const NullLimit = 0x10000

func itoa(v uint64) string {
	if v == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	for v > 0 {
		i--
		b[i] = byte('0' + v%10)
		v /= 10
	}
	return string(b[i:])
}
