package asm

import (
	"fmt"
	"strings"

	"github.com/alecthomas/participle/v2/lexer"

	"linkvm/objfmt"
)

// Options configure an assembly.
type Options struct {
	// IncludeDirs are searched, in order, for .include files not found
	// relative to the including file's directory.
	IncludeDirs []string
	// ReadFile reads included files; nil means os.ReadFile.
	ReadFile func(name string) ([]byte, error)
}

// maxSectionSize (256 MiB) bounds every section so that hostile sizes
// (.zero 1<<60) fail cleanly and quickly; maxTotalSize bounds the contents
// of all sections together, so that many sections cannot add up to
// gigabytes either.
const (
	maxSectionSize = 1 << 28
	maxTotalSize   = 1 << 28
)

// Assemble assembles src, read from filename (used in error positions and
// the line table), into a relocatable module. On failure the error is an
// *ErrorList holding every error, in source order, and no File is returned.
func Assemble(filename string, src []byte, opts Options) (*objfmt.File, error) {
	p := newParser(opts)
	p.parseFile(filename, src)
	a := &assembler{
		items:     p.items,
		secByName: map[string]*section{},
		syms:      map[string]*symbol{},
		numTotal:  map[string]int{},
		pass1:     map[decisionKey]decision{},
	}
	a.run(1)
	a.run(2)
	if len(a.errs.Errors) > 0 || a.errs.TooMany {
		return nil, &a.errs
	}
	f := a.file()
	if len(a.errs.Errors) > 0 || a.errs.TooMany {
		return nil, &a.errs
	}
	return f, nil
}

// section is a content section being assembled.
type section struct {
	name   string
	kind   objfmt.SectionKind
	flags  objfmt.SectionFlags
	align  uint64
	size   uint64
	data   []byte // pass 2 only
	relocs []reloc
	lines  []objfmt.Line
	index  int     // in File.Sections
	secSym *symbol // section symbol, created when a relocation needs it
}

func (s *section) exec() bool { return s.flags&objfmt.FlagExec != 0 }

// reloc is a relocation whose symbol is still a *symbol.
type reloc struct {
	off    uint64
	kind   objfmt.RelocKind
	sym    *symbol
	addend int64
}

// symKind says what a name is defined as.
type symKind uint8

const (
	symUndef  symKind = iota // referenced or declared only
	symLabel                 // a location: sec + off
	symEquate                // .set/.equ/=: val
)

// symbol is a name known to the assembler.
type symbol struct {
	name string
	kind symKind
	temp bool // .L, numeric and "." labels: never in the symbol table

	// labels
	sec *section
	off uint64
	// equates
	val value

	defPos  lexer.Position
	defPass int // last pass that defined it

	bind       objfmt.SymBind
	bindSet    bool
	bindPos    lexer.Position
	typ        objfmt.SymType
	typeSet    bool
	typePos    lexer.Position
	size       uint64
	sizeSet    bool
	sizePos    lexer.Position
	referenced bool // used in an expression (pass 2)
	// called is set when the symbol is used other than as a jump or branch
	// target (called, its address taken): a code label so used is a
	// function, one only jumped to is a label inside a function.
	called  bool
	section bool // a section symbol
}

// global reports whether relocations must name the symbol itself.
func (s *symbol) global() bool {
	return s.bindSet && s.bind != objfmt.BindLocal
}

// decisionKey identifies a statement's size-determining value: the item
// index and the operand index.
type decisionKey struct{ item, arg int }

// decision is what pass 1 decided for a size-determining value.
type decision struct {
	val int64
	ok  bool
}

// assembler holds the state of both passes.
type assembler struct {
	items []item
	pass  int
	errs  ErrorList

	sections  []*section
	secByName map[string]*section
	cur       *section

	syms     map[string]*symbol
	symList  []*symbol
	numDefs  map[string]int // numeric label definitions so far in this pass
	numTotal map[string]int // numeric label definitions in the whole file (after pass 1)

	pass1 map[decisionKey]decision
	item  int // index of the item being assembled

	// jumpTarget is true while evaluating the target of a jump or branch,
	// so that the labels named there are not marked as called.
	jumpTarget bool

	// total is the size of the section contents (not NOBITS) laid out so
	// far in this pass, at most maxTotalSize.
	total uint64
}

// errorf records an error in pass 2 (pass 1 sees the same problems and
// stays silent so that each is reported once).
func (a *assembler) errorf(pos lexer.Position, format string, args ...any) {
	if a.pass == 2 {
		a.errs.add(pos, fmt.Sprintf(format, args...))
	}
}

func (a *assembler) full() bool { return a.errs.TooMany }

// run executes one pass over all items.
func (a *assembler) run(pass int) {
	a.pass = pass
	a.cur = nil
	a.numDefs = map[string]int{}
	a.total = 0
	for _, s := range a.sections {
		s.size = 0
		s.data = nil
		s.relocs = nil
		s.lines = nil
	}
	for i, it := range a.items {
		if a.full() {
			return
		}
		a.item = i
		if it.err != nil {
			if pass == 2 {
				a.errs.add(it.err.Pos, it.err.Msg)
			}
			continue
		}
		a.stmt(it.stmt)
	}
	if pass == 1 {
		for k, v := range a.numDefs {
			a.numTotal[k] = v
		}
		return
	}
	for _, s := range a.symList {
		if s.kind == symUndef && s.bindSet && s.bind == objfmt.BindLocal && !s.temp {
			a.errorf(s.bindPos, "local symbol %q is never defined", s.name)
		}
	}
}

func (a *assembler) stmt(s *Stmt) {
	for _, l := range s.Labels {
		a.label(l)
	}
	if s.Body == nil {
		return
	}
	if as := s.Body.Assign; as != nil {
		a.equate(as.Pos, as.Name, as.Value.Pos, as.Value)
		return
	}
	op := s.Body.Op
	if strings.HasPrefix(op.Name, ".") {
		if a.noModifiers(op) { // pic.go
			a.directive(op)
		}
		return
	}
	a.instruction(op)
}

// lookup returns the symbol for name, creating an undefined one.
func (a *assembler) lookup(name string) *symbol {
	if s, ok := a.syms[name]; ok {
		return s
	}
	s := &symbol{name: name, temp: strings.HasPrefix(name, ".L")}
	a.syms[name] = s
	a.symList = append(a.symList, s)
	return s
}

// section returns the current section, starting .text if none is.
func (a *assembler) section() *section {
	if a.cur == nil {
		a.cur = a.getSection(".text", defaultFlags(".text"), defaultKind(".text"))
	}
	return a.cur
}

func (a *assembler) getSection(name string, flags objfmt.SectionFlags, kind objfmt.SectionKind) *section {
	if s, ok := a.secByName[name]; ok {
		return s
	}
	s := &section{name: name, flags: flags, kind: kind, align: 1, index: len(a.sections)}
	if s.exec() {
		s.align = 8
	}
	a.secByName[name] = s
	a.sections = append(a.sections, s)
	return s
}

func (a *assembler) label(l *Label) {
	name := l.Name
	if _, isReg := regByName(name); isReg {
		a.errorf(l.Pos, "register name %s cannot be a label", name)
		return
	}
	if name == "." {
		a.errorf(l.Pos, `"." cannot be a label`)
		return
	}
	sec := a.section()
	var s *symbol
	if name[0] >= '0' && name[0] <= '9' {
		n := a.numDefs[name]
		a.numDefs[name] = n + 1
		s = a.lookup(numericName(name, n))
		s.temp = true
	} else {
		s = a.lookup(name)
	}
	if s.kind == symEquate {
		a.errorf(l.Pos, "symbol %q already defined at %s", name, s.defPos)
		return
	}
	if s.defPass == a.pass {
		a.errorf(l.Pos, "label %q already defined at %s", name, s.defPos)
		return
	}
	s.kind, s.sec, s.off, s.defPos, s.defPass = symLabel, sec, sec.size, l.Pos, a.pass
}

// numericName is the internal name of the n-th definition of numeric local
// label num; it cannot clash with an identifier.
func numericName(num string, n int) string {
	return fmt.Sprintf("%s:%d", num, n)
}

// equate defines name as the value of e (.set, .equ, =). Redefinition is
// allowed; a name that is a label cannot be an equate.
func (a *assembler) equate(pos lexer.Position, name string, epos lexer.Position, e *Expr) {
	if _, isReg := regByName(name); isReg {
		a.errorf(pos, "register name %s cannot be a symbol", name)
		return
	}
	if name == "." {
		a.errorf(pos, `cannot assign to "."`)
		return
	}
	s := a.lookup(name)
	if s.kind == symLabel {
		a.errorf(pos, "symbol %q already defined at %s", name, s.defPos)
		return
	}
	v, ok := a.eval(e, a.dot())
	if !ok {
		return
	}
	if v.plus == s || v.minus == s {
		a.errorf(epos, "symbol %q is defined in terms of itself", name)
		return
	}
	s.kind, s.val, s.defPos, s.defPass = symEquate, v, pos, a.pass
}

// dot returns the offset in the current section.
func (a *assembler) dot() uint64 { return a.section().size }

// grow reserves n bytes at the end of the current section and returns the
// slice to fill (nil in pass 1 and in NOBITS sections).
func (a *assembler) grow(pos lexer.Position, n uint64) ([]byte, bool) {
	s := a.section()
	if n > maxSectionSize || s.size+n > maxSectionSize {
		a.errorf(pos, "section %s too large (more than %d bytes)", s.name, maxSectionSize)
		return nil, false
	}
	if s.kind != objfmt.KindNobits {
		if a.total+n > maxTotalSize {
			a.errorf(pos, "module too large (more than %d bytes of section contents in all)", maxTotalSize)
			return nil, false
		}
		a.total += n
	}
	s.size += n
	if a.pass == 1 || s.kind == objfmt.KindNobits {
		return nil, true
	}
	old := len(s.data)
	s.data = append(s.data, make([]byte, n)...)
	return s.data[old:], true
}

// needBits reports an error if the current section is NOBITS.
func (a *assembler) needBits(pos lexer.Position, what string) bool {
	s := a.section()
	if s.kind == objfmt.KindNobits {
		a.errorf(pos, "%s in NOBITS section %s (only .zero, .space and .align are allowed there)", what, s.name)
		return false
	}
	return true
}
