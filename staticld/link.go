package staticld

import (
	"io"

	"linkvm/objfmt"
)

// ImageBase is the default address of the first output section: the
// first address above the null area (objfmt.NullLimit), which is never
// mapped, so that null-pointer accesses trap.
const ImageBase = objfmt.NullLimit

// DefaultEntry is the entry symbol used when Config.Entry is empty.
const DefaultEntry = "_start"

// Config controls a link.
type Config struct {
	// Entry is the name of the symbol where execution starts; empty means
	// DefaultEntry. Like an undefined reference, it extracts the archive
	// member that defines it.
	Entry string
	// Base is the address of the first output section, a multiple of
	// objfmt.PageSize; 0 means ImageBase. A shared module is always
	// linked at 0.
	Base uint64

	// LibDirs are the directories ReadInputs searches for -lNAME libraries,
	// in order (vmld's -L options).
	LibDirs []string
	// DefaultLibDirs are searched after LibDirs. Empty by default.
	DefaultLibDirs []string

	// Undefined names symbols to treat as referenced from the command line
	// (vmld -u): each extracts the archive member that defines it and is a
	// root of GCSections. A name nothing defines is not an error.
	Undefined []string
	// GCSections removes the loaded input sections that no relocation
	// reaches from the entry symbol and the Undefined symbols.
	GCSections bool
	// PrintGCSections logs each section GCSections removes.
	PrintGCSections bool
	// WarnBackrefs logs a warning for each archive member extracted by a
	// reference from a later input: GNU ld would not have extracted it.
	WarnBackrefs bool
	// TraceSymbols are symbol names whose every definition, lazy (archive)
	// definition and reference is written to Trace.
	TraceSymbols []string

	// Trace receives the TraceSymbols lines; nil discards them.
	Trace io.Writer
	// WhyExtract, if not nil, receives the table of extracted archive
	// members (--why-extract), written once symbols are resolved.
	WhyExtract io.Writer
	// Map, if not nil, receives the link map (-Map), written after a
	// successful link.
	Map io.Writer
	// Log, if not nil, is called with each warning and informational
	// message as it is found. Errors are returned by Link instead.
	Log func(Diag)

	// Shared links a shared module (vmld -shared, TypeShared) instead of
	// an executable: laid out from address 0, every global and weak
	// definition exported, with the dynamic-linking information the loader
	// needs (docs/linking.md, "Shared modules"). Entry is not required.
	Shared bool
	// Soname is a shared module's name with its major version,
	// "NAME.vso.MAJOR" (vmld -soname); required with Shared.
	Soname string
	// Version is a shared module's "MAJOR.MINOR" version (vmld
	// --module-version); empty means MAJOR.0, MAJOR taken from Soname, which
	// it must match.
	Version string
	// Runpath lists directories the loader searches first for the needed
	// modules (vmld -rpath); "$ORIGIN" is the directory of the output.
	Runpath []string
	// Init and Fini name the functions the loader runs after loading and
	// before unloading (vmld -init, -fini); empty means _init and _fini if
	// they are defined. They are recorded only in an output that has
	// dynamic-linking information.
	Init, Fini string
	// Static refuses shared modules: ReadInputs and FindLibrary look for
	// libNAME.va only, and a shared module input is an error (vmld -static).
	Static bool
	// ExportDynamic exports every global and weak definition of an
	// executable linked against shared modules (vmld -E); by default it
	// exports only the names those modules import.
	ExportDynamic bool
	// Symbolic binds a shared module's references to its own global
	// definitions at link time (vmld -Bsymbolic): they can no longer be
	// interposed, and need no PLT or GOT.
	Symbolic bool
	// AllowUndefined lets a shared module leave global symbols undefined
	// (vmld -z undefs): they become imports, resolved at load time.
	// Executables never may.
	AllowUndefined bool
}

// Input is one input given to the linker: a relocatable module, a shared
// module or a static library (archive), in command-line order.
type Input struct {
	// Name names the input in diagnostics, usually its file name. An
	// archive member is named "Name(member.vo)".
	Name string
	// File is a relocatable module, or a shared module (TypeShared) whose
	// exported symbols the link may use; nil if Archive is set. Link never
	// modifies it.
	File *objfmt.File
	// Archive is a static library whose members are linked only when
	// needed (see docs/linking.md); nil if File is set. Link never
	// modifies it.
	Archive *objfmt.Archive
	// Group, when not 0, is the number of the --start-group/--end-group
	// pair the input was in. Inputs of one group count as one position
	// for WarnBackrefs; groups change nothing else.
	Group int
	// AsNeeded, for a shared module, records it in the output's
	// Dynamic.Needed only if it defines a symbol that a linked module
	// references (vmld --as-needed).
	AsNeeded bool
}

// linker is the state shared by the passes of one link.
type linker struct {
	cfg Config
	in  []Input

	// items are the inputs after the read pass, in command-line order.
	items []item
	// ars are the archives among the inputs.
	ars []*archive
	// shlibs are the shared modules among the inputs, in order.
	shlibs []*sharedLib
	// objs are the modules being linked, in the order resolve loaded them:
	// command-line modules in order, each archive member right after the
	// input whose processing extracted it.
	objs []*object

	// The global symbol table: names interns every global or weak symbol
	// name once; syms is indexed by the resulting symID.
	names nameTable
	syms  []globalSym
	// dups are the names with duplicate definitions, in order found.
	dups []symID

	// queue holds the archive members waiting to be loaded; head is the
	// next one.
	queue []memberRef
	head  int
	// extractions records why each archive member was extracted, in order.
	extractions []extraction
	// backrefs are the --warn-backrefs candidates, in order found.
	backrefs    []backref
	backrefByID map[symID]int

	// gcRemoved counts the sections removed by --gc-sections.
	gcRemoved int

	// outs are the output sections in image order, after layout.
	outs []*outSection
	// entry is the address of the entry symbol, after the entry pass.
	entry uint64
	// out is the image being built.
	out *objfmt.File

	// dyn is the state of GOT, PLT and dynamic-linking information.
	dyn dynState

	diags []Diag
}

// item is one input after the read pass: a module, an archive or a shared
// module.
type item struct {
	obj *object // nil for an archive or a shared module
	ar  int32   // index in linker.ars, or -1
	sh  int32   // index in linker.shlibs, or -1
}

// pass is one step of the link.
type pass struct {
	name string
	run  func(*linker)
	// deferCheck postpones the checkpoint after this pass to the next
	// pass's, so that the errors of both are reported together. Only passes
	// that do not depend on each other's success set it.
	deferCheck bool
}

// passes is the link, in order.
var passes = []pass{
	{name: "read", run: readPass},
	{name: "resolve", run: resolvePass, deferCheck: true},
	{name: "whyextract", run: whyExtractPass, deferCheck: true},
	{name: "gc", run: gcPass, deferCheck: true},
	{name: "undefined", run: undefinedPass, deferCheck: true},
	{name: "pic", run: picPass, deferCheck: true},
	{name: "layout", run: layoutPass, deferCheck: true},
	{name: "entry", run: entryPass},
	{name: "dynsym", run: dynsymPass},
	{name: "relocate", run: relocatePass},
	{name: "dynamic", run: dynamicPass},
	{name: "lines", run: linesPass},
	{name: "symtab", run: symtabPass},
	{name: "map", run: mapPass},
}

// Link links inputs, in order, into an executable image, or a shared
// module with Config.Shared: every relocatable module, the members of the
// archives that the link needs, and references to the symbols of the
// shared modules.
// On failure the error is an *Error holding every diagnostic found before
// the link stopped. The same config and inputs always give an identical
// image (and identical reports).
func Link(cfg Config, inputs []Input) (*objfmt.File, error) {
	typ := objfmt.TypeExec
	if cfg.Shared {
		typ = objfmt.TypeShared
		cfg.Base = 0 // shared modules are linked at 0, loaded anywhere
	} else {
		if cfg.Entry == "" {
			cfg.Entry = DefaultEntry
		}
		if cfg.Base == 0 {
			cfg.Base = ImageBase
		}
	}
	l := &linker{cfg: cfg, in: inputs, out: &objfmt.File{Type: typ}}
	for _, p := range passes {
		p.run(l)
		if !p.deferCheck && len(l.diags) > 0 {
			return nil, &Error{Diags: l.diags}
		}
	}
	l.out.Entry = l.entry
	return l.out, nil
}
