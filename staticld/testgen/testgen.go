// Package testgen generates synthetic relocatable modules for measuring the
// linker at scale, in the shape of the ELF linker comparisons in
// docs/performance.md: N modules of M global functions each, every function
// making Calls calls to random functions of other modules and one load of
// another module's global variable.
//
// Modules are built directly as objfmt.Files with isa.Encode, not through
// the assembler, so that generating a million functions takes a fraction of
// the time linking them does. Generation is deterministic: the same Config
// always gives the same modules, and module i depends only on the Config and
// i, so modules can be generated independently (in parallel, or one at a
// time while writing them to disk).
package testgen

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"

	"linkvm/objfmt"
	"linkvm/vm/isa"
)

// DefaultCalls is the number of calls each function makes when
// Config.Calls is 0.
const DefaultCalls = 5

// Config describes a generated program.
type Config struct {
	// Modules is the number of modules, N; at least 2, since every call
	// goes to another module.
	Modules int
	// Funcs is the number of functions in each module, M; at least 1.
	Funcs int
	// Calls is the number of calls each function makes; 0 means
	// DefaultCalls.
	Calls int
	// Seed selects the random call graph.
	Seed uint64
}

// check validates c and fills in defaults.
func (c *Config) check() error {
	if c.Calls == 0 {
		c.Calls = DefaultCalls
	}
	switch {
	case c.Modules < 2:
		return fmt.Errorf("testgen: need at least 2 modules, got %d", c.Modules)
	case c.Funcs < 1:
		return fmt.Errorf("testgen: need at least 1 function per module, got %d", c.Funcs)
	case c.Calls < 0:
		return fmt.Errorf("testgen: negative number of calls %d", c.Calls)
	case uint64(c.Modules)*uint64(c.Funcs) > 1<<28:
		return errors.New("testgen: too many functions (limit 2^28)")
	}
	return nil
}

// Functions returns the number of functions of the program, not counting
// _start.
func (c Config) Functions() int { return c.Modules * c.Funcs }

// Relocs returns the number of relocations of the program: Calls+1 per
// function, plus the one of _start.
func (c Config) Relocs() int {
	calls := c.Calls
	if calls == 0 {
		calls = DefaultCalls
	}
	return c.Functions()*(calls+1) + 1
}

// ModuleName returns the file name of module i: "mod0000.vo", ...
func ModuleName(i int) string { return fmt.Sprintf("mod%04d.vo", i) }

// FuncName returns the name of function j of module i.
func FuncName(i, j int) string { return "m" + strconv.Itoa(i) + "_f" + strconv.Itoa(j) }

// DataName returns the name of module i's global variable.
func DataName(i int) string { return "m" + strconv.Itoa(i) + "_data" }

// funcWords is the number of instruction words of a function with calls
// calls: enter, the calls, li64 (two words), ld64, leave, ret.
func funcWords(calls int) int { return calls + 6 }

// Generate returns the N modules of the program described by c, in order.
// Module 0 also defines _start.
func Generate(c Config) ([]*objfmt.File, error) {
	if err := c.check(); err != nil {
		return nil, err
	}
	mods := make([]*objfmt.File, c.Modules)
	for i := range mods {
		mods[i] = module(c, i)
	}
	return mods, nil
}

// Module returns module i of the program described by c, exactly as
// Generate does.
func Module(c Config, i int) (*objfmt.File, error) {
	if err := c.check(); err != nil {
		return nil, err
	}
	if i < 0 || i >= c.Modules {
		return nil, fmt.Errorf("testgen: module %d out of range (%d modules)", i, c.Modules)
	}
	return module(c, i), nil
}

// module builds module i; c has been checked.
//
// Symbols: the M functions (global FUNC), the module's variable (global
// OBJECT in .data), _start in module 0, then the undefined globals in order
// of first reference. Sections: .text, then .data holding one 8-byte word.
func module(c Config, i int) *objfmt.File {
	rng := rand.New(rand.NewPCG(c.Seed, uint64(i)))
	words := funcWords(c.Calls)
	fnSize := uint64(words * isa.WordSize)
	nstart := 0
	if i == 0 {
		nstart = 3 // _start: li r0, 0; sys 0; plus a word for its lea
	}
	textSize := uint64(c.Funcs)*fnSize + uint64(nstart*isa.WordSize)
	text := &objfmt.Section{
		Name: ".text", Kind: objfmt.KindProgbits, Flags: objfmt.FlagAlloc | objfmt.FlagExec,
		Align: 8, Size: textSize, Data: make([]byte, textSize),
		Relocs: make([]objfmt.Reloc, 0, c.Funcs*(c.Calls+1)+nstart/3),
		Lines:  make([]objfmt.Line, 0, c.Funcs*(words-1)+nstart),
	}
	data := &objfmt.Section{
		Name: ".data", Kind: objfmt.KindProgbits, Flags: objfmt.FlagAlloc | objfmt.FlagWrite,
		Align: 8, Size: 8, Data: make([]byte, 8),
	}
	data.Data[0] = byte(i)
	f := &objfmt.File{Type: objfmt.TypeRel, Sections: []*objfmt.Section{text, data}}

	f.Symbols = make([]objfmt.Symbol, 0, c.Funcs+2+nstart/3+min(c.Funcs*(c.Calls+1), c.Functions()))
	for j := range c.Funcs {
		f.Symbols = append(f.Symbols, objfmt.Symbol{
			Name: FuncName(i, j), Bind: objfmt.BindGlobal, Type: objfmt.SymFunc,
			Section: 0, Value: uint64(j) * fnSize, Size: fnSize,
		})
	}
	f.Symbols = append(f.Symbols, objfmt.Symbol{
		Name: DataName(i), Bind: objfmt.BindGlobal, Type: objfmt.SymObject, Section: 1, Size: 8,
	})
	if nstart > 0 {
		f.Symbols = append(f.Symbols, objfmt.Symbol{
			Name: "_start", Bind: objfmt.BindGlobal, Type: objfmt.SymFunc,
			Section: 0, Value: uint64(c.Funcs) * fnSize, Size: uint64(nstart * isa.WordSize),
		})
	}

	// undef maps a referenced global (function k of module m is
	// m*Funcs+k; module m's variable is -1-m) to its symbol index.
	undef := make(map[int]int)
	ref := func(key int, name func() string) int {
		if s, ok := undef[key]; ok {
			return s
		}
		s := len(f.Symbols)
		f.Symbols = append(f.Symbols, objfmt.Symbol{Name: name(), Bind: objfmt.BindGlobal, Section: objfmt.SecUndef})
		undef[key] = s
		return s
	}
	// other picks a module other than i.
	other := func() int {
		m := rng.IntN(c.Modules - 1)
		if m >= i {
			m++
		}
		return m
	}

	src := fmt.Sprintf("mod%04d.s", i)
	line := uint32(1)
	emit := func(off uint64, w uint64) {
		binary.LittleEndian.PutUint64(text.Data[off:], w)
		text.Lines = append(text.Lines, objfmt.Line{Offset: off, File: src, Line: line, Col: 2})
		line++
	}
	for j := range c.Funcs {
		off := uint64(j) * fnSize
		line++ // the label's line
		emit(off, isa.Encode(isa.ENTER, 0, 0, 0, 0))
		off += isa.WordSize
		for range c.Calls {
			m, k := other(), rng.IntN(c.Funcs)
			s := ref(m*c.Funcs+k, func() string { return FuncName(m, k) })
			emit(off, isa.Encode(isa.CALL, 0, 0, 0, 0))
			text.Relocs = append(text.Relocs, objfmt.Reloc{Offset: off, Kind: objfmt.RelInsnPC, Sym: s})
			off += isa.WordSize
		}
		m := other()
		s := ref(-1-m, func() string { return DataName(m) })
		emit(off, isa.Encode(isa.LI64, 1, 0, 0, 0))
		text.Relocs = append(text.Relocs, objfmt.Reloc{Offset: off + isa.WordSize, Kind: objfmt.RelAbs64, Sym: s})
		off += 2 * isa.WordSize
		emit(off, isa.Encode(isa.LD64, 0, 1, 0, 0))
		off += isa.WordSize
		emit(off, isa.Encode(isa.LEAVE, 0, 0, 0, 0))
		off += isa.WordSize
		emit(off, isa.Encode(isa.RET, 0, 0, 0, 0))
		line++ // a blank line between functions
	}
	if nstart > 0 {
		// _start: lea r1, m0_f0 (so that the call graph is reachable from
		// the entry); li r0, 0; sys 0 (exit).
		off := uint64(c.Funcs) * fnSize
		line++
		emit(off, isa.Encode(isa.LEA, 1, 0, 0, 0))
		text.Relocs = append(text.Relocs, objfmt.Reloc{Offset: off, Kind: objfmt.RelInsnPC, Sym: 0})
		emit(off+isa.WordSize, isa.Encode(isa.LI, 0, 0, 0, 0))
		emit(off+2*isa.WordSize, isa.Encode(isa.SYS, 0, 0, 0, 0))
	}
	return f
}
