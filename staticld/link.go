package staticld

import (
	"io"

	"linkvm/objfmt"
)

// ImageBase is the default address of the first output section. Addresses
// below it are never mapped, so that null-pointer accesses trap.
const ImageBase = 0x10000

// DefaultEntry is the entry symbol used when Config.Entry is empty.
const DefaultEntry = "_start"

// Config controls a link.
type Config struct {
	// Entry is the name of the symbol where execution starts; empty means
	// DefaultEntry. Like an undefined reference, it extracts the archive
	// member that defines it.
	Entry string
	// Base is the address of the first output section, a multiple of
	// objfmt.PageSize; 0 means ImageBase.
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
}

// Input is one input given to the linker: a relocatable module or a
// static library (archive), in command-line order.
type Input struct {
	// Name names the input in diagnostics, usually its file name. An
	// archive member is named "Name(member.vo)".
	Name string
	// File is a relocatable module; nil if Archive is set. Link never
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
}

// linker is the state shared by the passes of one link.
type linker struct {
	cfg Config
	in  []Input

	// items are the inputs after the read pass, in command-line order.
	items []item
	// ars are the archives among the inputs.
	ars []*archive
	// objs are the modules being linked, in the order resolve loaded them:
	// command-line modules in order, each archive member right after the
	// input whose processing extracted it.
	objs []*object

	// The global symbol table: names interns every global or weak symbol
	// name once; syms is indexed by the resulting symID.
	names map[string]symID
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

	diags []Diag
}

// item is one input after the read pass: a module or an archive.
type item struct {
	obj *object // nil for an archive
	ar  int32   // index in linker.ars, or -1
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
	{name: "layout", run: layoutPass, deferCheck: true},
	{name: "entry", run: entryPass},
	{name: "relocate", run: relocatePass},
	{name: "lines", run: linesPass},
	{name: "symtab", run: symtabPass},
	{name: "map", run: mapPass},
}

// Link links inputs, in order, into an executable image: every
// relocatable module, and the members of the archives that the link needs.
// On failure the error is an *Error holding every diagnostic found before
// the link stopped. The same config and inputs always give an identical
// image (and identical reports).
func Link(cfg Config, inputs []Input) (*objfmt.File, error) {
	if cfg.Entry == "" {
		cfg.Entry = DefaultEntry
	}
	if cfg.Base == 0 {
		cfg.Base = ImageBase
	}
	l := &linker{cfg: cfg, in: inputs, out: &objfmt.File{Type: objfmt.TypeExec}}
	for _, p := range passes {
		p.run(l)
		if !p.deferCheck && len(l.diags) > 0 {
			return nil, &Error{Diags: l.diags}
		}
	}
	l.out.Entry = l.entry
	return l.out, nil
}
