package staticld

import (
	"math/bits"

	"linkvm/objfmt"
)

// readPass checks that every module input is a well-formed relocatable
// module and creates its object, and registers every archive input (its
// members are checked when extracted). Inputs may come from anywhere
// (objfmt's reader, a compiler in memory, a test), so every index, offset
// and size is checked here once and later passes can trust them.
func readPass(l *linker) {
	checkSharedConfig(l)
	checked := checkInputs(l)
	l.items = make([]item, 0, len(l.in))
	pos := int32(0)
	for i, in := range l.in {
		if i == 0 || in.Group == 0 || in.Group != l.in[i-1].Group {
			pos = int32(i)
		}
		if in.Archive != nil && in.File == nil {
			l.items = append(l.items, item{ar: int32(len(l.ars)), sh: -1})
			l.ars = append(l.ars, newArchive(in.Name, in.Archive, pos))
			continue
		}
		n := len(l.diags)
		if in.Archive != nil {
			l.errorf("%s: both a module and an archive", in.Name)
			continue
		}
		if in.File != nil && in.File.Type == objfmt.TypeShared {
			if sh := newSharedLib(l, in); sh != nil {
				l.items = append(l.items, item{ar: -1, sh: int32(len(l.shlibs))})
				l.shlibs = append(l.shlibs, sh)
			}
			continue
		}
		l.diags = append(l.diags, checked[i].diags...)
		if len(l.diags) > n {
			continue
		}
		o := checked[i].obj
		o.pos = pos
		l.items = append(l.items, item{obj: o, ar: -1, sh: -1})
	}
}

// checkedInput is the result of checkInput for one module input, and its
// object if the module is well-formed.
type checkedInput struct {
	diags []Diag
	obj   *object
}

// checkInputs runs checkInput, and newObject for the well-formed, on
// every module input (not an archive or shared module), spread over the
// CPUs; readPass takes the results in input order.
func checkInputs(l *linker) []checkedInput {
	res := make([]checkedInput, len(l.in))
	parallelN(len(l.in), 1, func(k int) {
		in := l.in[k]
		if in.Archive != nil || (in.File != nil && in.File.Type == objfmt.TypeShared) {
			return
		}
		scratch := &linker{cfg: l.cfg}
		checkInput(scratch, in.Name, in.File)
		res[k].diags = scratch.diags
		if len(scratch.diags) == 0 {
			res[k].obj = newObject(in.Name, in.File, 0, -1, -1)
		}
	})
	return res
}

// relocWidth returns the number of bytes a relocation kind covers, or -1
// for an unknown kind.
func relocWidth(k objfmt.RelocKind) int {
	switch k {
	case objfmt.RelNone:
		return 0
	case objfmt.RelAbs32, objfmt.RelPC32:
		return 4
	case objfmt.RelAbs64, objfmt.RelInsnPC, objfmt.RelInsnAbs, objfmt.RelInsnGot, objfmt.RelInsnPLT:
		return 8
	}
	return -1
}

// checkInput records a diagnostic for every problem of the module f,
// called name.
func checkInput(l *linker, name string, f *objfmt.File) {
	if f == nil {
		l.errorf("%s: no module", name)
		return
	}
	if f.Type != objfmt.TypeRel {
		l.errorf("%s: not a relocatable module (it is %s)", name, f.Type)
		return
	}
	for i, s := range f.Sections {
		checkSection(l, name, f, i, s)
	}
	for i := range f.Symbols {
		s := &f.Symbols[i]
		where := func() string { return symDesc(name, i, s) }
		switch {
		case s.Section >= len(f.Sections) || s.Section < objfmt.SecAbs:
			l.errorf("%s: section index %d out of range", where(), s.Section)
		case s.Section >= 0 && f.Sections[s.Section] != nil && s.Value > f.Sections[s.Section].Size:
			// objfmt leaves this to the linker; an address past the
			// section would land in another one, or nowhere.
			l.errorf("%s: value %#x is past the end of its section %s (size %#x)", where(), s.Value, f.Sections[s.Section].Name, f.Sections[s.Section].Size)
		case s.Bind > objfmt.BindWeak:
			l.errorf("%s: unknown binding %d", where(), s.Bind)
		case s.Bind != objfmt.BindLocal && s.Name == "":
			l.errorf("%s: global symbol without a name", where())
		case s.Bind != objfmt.BindLocal && s.Type == objfmt.SymSection:
			l.errorf("%s: section symbol is not local", where())
		}
	}
}

// symDesc names symbol i of a module in a diagnostic.
func symDesc(file string, i int, s *objfmt.Symbol) string {
	if s.Name != "" {
		return file + ": symbol " + s.Name
	}
	return file + ": symbol " + itoa(uint64(i))
}

// checkSection checks section i of module f, named file.
func checkSection(l *linker, file string, f *objfmt.File, i int, s *objfmt.Section) {
	if s == nil {
		l.errorf("%s: section %d is missing", file, i)
		return
	}
	where := file + ": section " + s.Name
	switch s.Kind {
	case objfmt.KindProgbits:
		if uint64(len(s.Data)) != s.Size {
			l.errorf("%s: size %d does not match its %d data bytes", where, s.Size, len(s.Data))
		}
	case objfmt.KindNobits:
		if len(s.Data) != 0 {
			l.errorf("%s: NOBITS section has data bytes", where)
		}
		if len(s.Relocs) != 0 {
			l.errorf("%s: NOBITS section has relocations", where)
		}
	default:
		l.errorf("%s: unknown section kind %d", where, s.Kind)
	}
	if s.Align > 1 && bits.OnesCount64(s.Align) != 1 {
		l.errorf("%s: alignment %d is not a power of two", where, s.Align)
	}
	if s.Flags&^(objfmt.FlagAlloc|objfmt.FlagWrite|objfmt.FlagExec) != 0 {
		l.errorf("%s: unknown flags %#x", where, uint32(s.Flags))
	}
	for j, r := range s.Relocs {
		w := relocWidth(r.Kind)
		switch {
		case w < 0:
			l.errorf("%s: relocation %d: unsupported kind %s", where, j, r.Kind)
		case r.Offset > s.Size || uint64(w) > s.Size-r.Offset:
			l.errorf("%s: relocation %d: offset %#x out of range", where, j, r.Offset)
		case r.Sym < 0 || r.Sym >= len(f.Symbols):
			l.errorf("%s: relocation %d: symbol index %d out of range", where, j, r.Sym)
		default:
			sym := &f.Symbols[r.Sym]
			if sym.Bind == objfmt.BindLocal && !isDefined(sym) {
				l.errorf("%s: relocation %d: local symbol %q is undefined", where, j, sym.Name)
			}
		}
	}
	var prev uint64
	for j, ln := range s.Lines {
		if ln.Offset > s.Size || ln.Offset < prev {
			l.errorf("%s: line table entry %d: offset %#x out of order or out of range", where, j, ln.Offset)
			break
		}
		prev = ln.Offset
	}
}

// itoa formats v in decimal.
func itoa(v uint64) string {
	var b [20]byte
	i := len(b)
	for {
		i--
		b[i] = byte('0' + v%10)
		v /= 10
		if v == 0 {
			return string(b[i:])
		}
	}
}
