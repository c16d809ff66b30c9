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
	// secGC marks a loaded section that --gc-sections removed: left out of
	// the image like a discarded one.
	secGC = -3
)

// object is the linker's view of one input module.
type object struct {
	// name is Input.Name, used in diagnostics.
	name string
	file *objfmt.File
	// idx is the object's index in linker.objs; set when resolve loads it.
	idx int32
	// pos is the object's command-line position for --warn-backrefs: its
	// input's index, the first index of its input's group, or, for an
	// archive member, its archive's position.
	pos int32
	// ar and mem name the archive member the object came from: an index in
	// linker.ars and in that archive's members; ar is -1 for a module given
	// on the command line.
	ar, mem int32
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
// ok is false if the symbol is defined in a discarded or removed section.
func (o *object) symValue(i int) (addr uint64, ok bool) {
	s := &o.file.Symbols[i]
	switch s.Section {
	case objfmt.SecAbs:
		return s.Value, true
	case objfmt.SecUndef:
		return 0, true
	}
	if out := o.secOut[s.Section]; out == secDiscarded || out == secGC {
		return 0, false
	}
	return o.secAddr[s.Section] + s.Value, true
}

// newObject returns the object of a well-formed module (see checkInput).
func newObject(name string, f *objfmt.File, pos, ar, mem int32) *object {
	nsec := len(f.Sections)
	return &object{
		name:    name,
		file:    f,
		idx:     -1,
		pos:     pos,
		ar:      ar,
		mem:     mem,
		gids:    make([]symID, len(f.Symbols)),
		secOut:  make([]int32, nsec),
		secAddr: make([]uint64, nsec),
	}
}

// isDefined reports whether s is defined in its module.
func isDefined(s *objfmt.Symbol) bool {
	return s.Section != objfmt.SecUndef
}
