package staticld

import "linkvm/objfmt"

// Placement of an input section in the output (object.secOut).
const (
	// secDiscarded marks a section that is not loaded (no FlagAlloc): it is
	// left out of the image, with its symbols, relocations and lines.
	secDiscarded = -1
	// secEmpty marks a loaded section whose output section is empty and was
	// therefore left out; its symbols become absolute.
	secEmpty = -2
)

// object is the linker's view of one input module.
type object struct {
	// name is Input.Name, used in diagnostics.
	name string
	file *objfmt.File
	// idx is the object's index in linker.objs.
	idx int32
	// gids maps each symbol index to its global symbol, or noSym for a
	// local symbol.
	gids []symID
	// secOut is, for each input section, the index of its output section
	// or secDiscarded or secEmpty; set by layout.
	secOut []int32
	// secAddr is, for each input section, its address in the image; set by
	// layout.
	secAddr []uint64
	// funcs caches, per section, the symbols that can name a function;
	// built on demand for diagnostics.
	funcs []*funcIndex
}

// symRef names one symbol of one input.
type symRef struct {
	obj int32 // index in linker.objs
	sym int32 // index in the object's Symbols
}

// noRef is a symRef that names nothing.
var noRef = symRef{obj: -1, sym: -1}

// sym returns the symbol r names.
func (l *linker) sym(r symRef) *objfmt.Symbol {
	return &l.objs[r.obj].file.Symbols[r.sym]
}

// symValue returns the address of the symbol defined at index i of o.
// ok is false if the symbol is defined in a discarded section.
func (o *object) symValue(i int) (addr uint64, ok bool) {
	s := &o.file.Symbols[i]
	switch s.Section {
	case objfmt.SecAbs:
		return s.Value, true
	case objfmt.SecUndef:
		return 0, true
	}
	if o.secOut[s.Section] == secDiscarded {
		return 0, false
	}
	return o.secAddr[s.Section] + s.Value, true
}

// isDefined reports whether s is defined in its module.
func isDefined(s *objfmt.Symbol) bool {
	return s.Section != objfmt.SecUndef
}
