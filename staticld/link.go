package staticld

import "linkvm/objfmt"

// ImageBase is the default address of the first output section. Addresses
// below it are never mapped, so that null-pointer accesses trap.
const ImageBase = 0x10000

// DefaultEntry is the entry symbol used when Config.Entry is empty.
const DefaultEntry = "_start"

// Config controls a link.
type Config struct {
	// Entry is the name of the symbol where execution starts; empty means
	// DefaultEntry.
	Entry string
	// Base is the address of the first output section, a multiple of
	// objfmt.PageSize; 0 means ImageBase.
	Base uint64
}

// Input is one relocatable module given to the linker.
type Input struct {
	// Name names the module in diagnostics, usually its file name.
	Name string
	// File is the module. Link never modifies it.
	File *objfmt.File
}

// linker is the state shared by the passes of one link.
type linker struct {
	cfg  Config
	in   []Input
	objs []*object

	// The global symbol table: names interns every global or weak symbol
	// name once; syms is indexed by the resulting symID.
	names map[string]symID
	syms  []globalSym

	// outs are the output sections in image order, after layout.
	outs []*outSection
	// entry is the address of the entry symbol, after the entry pass.
	entry uint64
	// out is the image being built.
	out *objfmt.File

	diags []Diag
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

// passes is the link, in order. Later features slot in as new passes (for
// example archive member extraction inside resolve, section garbage
// collection before layout, a map file after symtab).
var passes = []pass{
	{name: "read", run: readPass},
	{name: "resolve", run: resolvePass, deferCheck: true},
	{name: "undefined", run: undefinedPass, deferCheck: true},
	{name: "layout", run: layoutPass, deferCheck: true},
	{name: "entry", run: entryPass},
	{name: "relocate", run: relocatePass},
	{name: "lines", run: linesPass},
	{name: "symtab", run: symtabPass},
}

// Link links the relocatable modules inputs, in order, into an executable
// image. On failure the error is an *Error holding every diagnostic found
// before the link stopped. The same config and inputs always give an
// identical image.
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
