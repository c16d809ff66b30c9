package asm

import (
	"encoding/binary"
	"math"
	"strings"

	"github.com/alecthomas/participle/v2/lexer"

	"linkvm/objfmt"
	"linkvm/vm/isa"
)

// maxAlign is the largest .align accepted: the page size, the largest
// alignment an image layout can honour.
const maxAlign = objfmt.PageSize

func (a *assembler) directive(op *Op) {
	switch op.Name {
	case ".text", ".rodata", ".data", ".bss":
		if a.noArgs(op) {
			a.cur = a.getSection(op.Name, defaultFlags(op.Name), defaultKind(op.Name))
		}
	case ".section":
		a.sectionDir(op)
	case ".global", ".globl":
		a.bindDir(op, objfmt.BindGlobal)
	case ".weak":
		a.bindDir(op, objfmt.BindWeak)
	case ".local":
		a.bindDir(op, objfmt.BindLocal)
	case ".extern":
		for _, o := range op.Args {
			if _, ok := a.symbolArg(op, o); !ok {
				return
			}
		}
	case ".type":
		a.typeDir(op)
	case ".size":
		a.sizeDir(op)
	case ".byte":
		a.dataDir(op, 1)
	case ".half", ".short":
		a.dataDir(op, 2)
	case ".word", ".long":
		a.dataDir(op, 4)
	case ".quad":
		a.dataDir(op, 8)
	case ".double":
		a.doubleDir(op)
	case ".ascii":
		a.stringDir(op, false)
	case ".asciz", ".string":
		a.stringDir(op, true)
	case ".zero", ".space":
		a.spaceDir(op)
	case ".align", ".balign", ".p2align":
		a.alignDir(op)
	case ".equ", ".set":
		if len(op.Args) != 2 {
			a.errorf(op.Pos, "%s expects 2 operands (%s NAME, EXPR), got %d", op.Name, op.Name, len(op.Args))
			return
		}
		name, ok := a.symbolArg(op, op.Args[0])
		if !ok {
			return
		}
		if op.Args[1].Expr == nil {
			a.errorf(op.Args[1].Pos, "%s operand 2 must be an expression", op.Name)
			return
		}
		a.equate(op.Args[0].Pos, name, op.Args[1].Pos, op.Args[1].Expr)
	default:
		a.errorf(op.Pos, "unknown directive %q", op.Name)
	}
}

func (a *assembler) noArgs(op *Op) bool {
	if len(op.Args) != 0 {
		a.errorf(op.Pos, "%s takes no operands", op.Name)
		return false
	}
	return true
}

// symbolArg returns the symbol name an operand holds.
func (a *assembler) symbolArg(op *Op, o *Operand) (string, bool) {
	name, ok := bareIdent(o.Expr)
	if !ok || name == "." {
		a.errorf(o.Pos, "%s expects a symbol name", op.Name)
		return "", false
	}
	if _, isReg := regByName(name); isReg {
		a.errorf(o.Pos, "register name %s cannot be a symbol", name)
		return "", false
	}
	return name, true
}

// hasPrefixName reports whether name is prefix or starts with prefix + ".".
func hasPrefixName(name, prefix string) bool {
	return name == prefix || strings.HasPrefix(name, prefix+".")
}

// defaultFlags gives the flags of a section named like the standard ones.
func defaultFlags(name string) objfmt.SectionFlags {
	switch {
	case hasPrefixName(name, ".text"):
		return objfmt.FlagAlloc | objfmt.FlagExec
	case hasPrefixName(name, ".rodata"):
		return objfmt.FlagAlloc
	case hasPrefixName(name, ".data"), hasPrefixName(name, ".bss"):
		return objfmt.FlagAlloc | objfmt.FlagWrite
	}
	return 0
}

// defaultKind is NOBITS for .bss and .bss.*, PROGBITS otherwise.
func defaultKind(name string) objfmt.SectionKind {
	if hasPrefixName(name, ".bss") {
		return objfmt.KindNobits
	}
	return objfmt.KindProgbits
}

// sectionDir handles .section NAME[, "FLAGS"[, @progbits|@nobits]].
func (a *assembler) sectionDir(op *Op) {
	if len(op.Args) < 1 || len(op.Args) > 3 {
		a.errorf(op.Pos, `.section expects 1 to 3 operands (.section NAME[, "FLAGS"[, @progbits|@nobits]]), got %d`, len(op.Args))
		return
	}
	var name string
	switch o := op.Args[0]; {
	case o.Str != nil:
		b, at, msg := unquote(*o.Str)
		if msg != "" {
			a.errorf(advance(o.Pos, at), "%s", msg)
			return
		}
		name = string(b)
	default:
		n, ok := bareIdent(o.Expr)
		if !ok {
			a.errorf(o.Pos, ".section expects a section name")
			return
		}
		name = n
	}
	if name == "" {
		a.errorf(op.Args[0].Pos, "empty section name")
		return
	}
	flags, kind := defaultFlags(name), defaultKind(name)
	if len(op.Args) >= 2 {
		o := op.Args[1]
		if o.Str == nil {
			a.errorf(o.Pos, `.section flags must be a string such as "ax"`)
			return
		}
		b, at, msg := unquote(*o.Str)
		if msg != "" {
			a.errorf(advance(o.Pos, at), "%s", msg)
			return
		}
		flags = 0
		for i, c := range string(b) {
			switch c {
			case 'a':
				flags |= objfmt.FlagAlloc
			case 'w':
				flags |= objfmt.FlagWrite
			case 'x':
				flags |= objfmt.FlagExec
			default:
				a.errorf(advance(o.Pos, i+1), "unknown section flag %q (want a, w or x)", c)
				return
			}
		}
	}
	if len(op.Args) == 3 {
		o := op.Args[2]
		switch {
		case o.Tag != nil && *o.Tag == "progbits":
			kind = objfmt.KindProgbits
		case o.Tag != nil && *o.Tag == "nobits":
			kind = objfmt.KindNobits
		default:
			a.errorf(o.Pos, ".section type must be @progbits or @nobits")
			return
		}
	}
	if s, ok := a.secByName[name]; ok {
		if len(op.Args) >= 2 && (s.flags != flags || s.kind != kind) {
			a.errorf(op.Pos, "section %s redeclared with different flags or type", name)
			return
		}
		a.cur = s
		return
	}
	a.cur = a.getSection(name, flags, kind)
}

// bindDir handles .global, .weak and .local. The binding is recorded in
// pass 1 so that pass 2 knows it before the first use; pass 2 reports
// conflicting declarations.
func (a *assembler) bindDir(op *Op, bind objfmt.SymBind) {
	if len(op.Args) == 0 {
		a.errorf(op.Pos, "%s expects at least one symbol name", op.Name)
		return
	}
	for _, o := range op.Args {
		name, ok := a.symbolArg(op, o)
		if !ok {
			continue
		}
		if name[0] >= '0' && name[0] <= '9' || strings.HasPrefix(name, ".L") {
			a.errorf(o.Pos, "assembler-local label %s cannot be %s", name, bindWord(bind))
			continue
		}
		s := a.lookup(name)
		switch {
		case !s.bindSet:
			s.bind, s.bindSet, s.bindPos = bind, true, o.Pos
		case s.bind != bind:
			a.errorf(o.Pos, "symbol %q already declared %s at %s", name, bindWord(s.bind), s.bindPos)
		}
	}
}

func bindWord(b objfmt.SymBind) string {
	switch b {
	case objfmt.BindGlobal:
		return "global"
	case objfmt.BindWeak:
		return "weak"
	}
	return "local"
}

// typeDir handles .type SYM, @function|@object|@notype.
func (a *assembler) typeDir(op *Op) {
	if len(op.Args) != 2 {
		a.errorf(op.Pos, ".type expects 2 operands (.type SYM, @function|@object), got %d", len(op.Args))
		return
	}
	name, ok := a.symbolArg(op, op.Args[0])
	if !ok {
		return
	}
	var t objfmt.SymType
	tag := op.Args[1].Tag
	switch {
	case tag != nil && *tag == "function":
		t = objfmt.SymFunc
	case tag != nil && *tag == "object":
		t = objfmt.SymObject
	case tag != nil && *tag == "notype":
		t = objfmt.SymNoType
	default:
		a.errorf(op.Args[1].Pos, ".type must be @function, @object or @notype")
		return
	}
	s := a.lookup(name)
	if a.pass != 2 {
		return
	}
	if s.typeSet && s.typ != t {
		a.errorf(op.Pos, "type of %q already set at %s", name, s.typePos)
		return
	}
	s.typ, s.typeSet, s.typePos = t, true, op.Pos
}

// sizeDir handles .size SYM, EXPR; EXPR must be a constant here, typically
// ". - SYM".
func (a *assembler) sizeDir(op *Op) {
	if len(op.Args) != 2 {
		a.errorf(op.Pos, ".size expects 2 operands (.size SYM, EXPR), got %d", len(op.Args))
		return
	}
	name, ok := a.symbolArg(op, op.Args[0])
	if !ok {
		return
	}
	s := a.lookup(name)
	if op.Args[1].Expr == nil {
		a.errorf(op.Args[1].Pos, ".size operand 2 must be an expression")
		return
	}
	v, ok := a.evalConst(op.Args[1].Expr, a.dot())
	if !ok || a.pass != 2 {
		return
	}
	if v < 0 {
		a.errorf(op.Args[1].Pos, "negative size %d", v)
		return
	}
	if s.sizeSet && s.size != uint64(v) {
		a.errorf(op.Pos, "size of %q already set at %s", name, s.sizePos)
		return
	}
	s.size, s.sizeSet, s.sizePos = uint64(v), true, op.Pos
}

// dataDir handles .byte, .half, .word, .quad.
func (a *assembler) dataDir(op *Op, width int) {
	if len(op.Args) == 0 {
		a.errorf(op.Pos, "%s expects at least one expression", op.Name)
		return
	}
	if !a.needBits(op.Pos, "data") {
		return
	}
	for _, o := range op.Args {
		if a.full() {
			return
		}
		sec := a.section()
		at := sec.size
		buf, ok := a.grow(o.Pos, uint64(width))
		if !ok {
			return
		}
		if o.Expr == nil {
			a.errorf(o.Pos, "%s operand must be an expression", op.Name)
			continue
		}
		if _, isReg := operandReg(o); isReg {
			a.errorf(o.Pos, "%s operand must be an expression", op.Name)
			continue
		}
		v, ok := a.eval(o.Expr, at)
		if !ok || a.pass != 2 {
			continue
		}
		a.dataValue(op.Name, o.Pos, sec, at, buf, width, v)
	}
}

// dataValue stores one data value, or the relocation that will.
func (a *assembler) dataValue(dir string, pos lexer.Position, sec *section, at uint64, buf []byte, width int, v value) {
	switch {
	case v.constant():
		if width < 8 {
			lo, hi := -(int64(1) << (width*8 - 1)), int64(1)<<(width*8)-1
			if v.off < lo || v.off > hi {
				a.errorf(pos, "value %d does not fit in %s (%d bits)", v.off, dir, width*8)
				return
			}
		}
		var b [8]byte
		binary.LittleEndian.PutUint64(b[:], uint64(v.off))
		copy(buf, b[:width])
	case v.minus == nil && (width == 8 || width == 4):
		kind := objfmt.RelAbs64
		if width == 4 {
			kind = objfmt.RelAbs32
		}
		sym, add := a.relocBase(v.plus, v.off)
		sec.relocs = append(sec.relocs, reloc{off: at, kind: kind, sym: sym, addend: add})
	case width == 4 && v.plus != nil && v.minus.kind == symLabel && v.minus.sec == sec:
		// sym - X with X in this section: S + A - P with A = off + (P - X).
		sym, add := a.relocBase(v.plus, v.off+int64(at)-int64(v.minus.off))
		sec.relocs = append(sec.relocs, reloc{off: at, kind: objfmt.RelPC32, sym: sym, addend: add})
	default:
		a.errorf(pos, "%s cannot hold %s (no such relocation)", dir, describe(v))
	}
}

// doubleDir handles .double: IEEE-754 binary64 values.
func (a *assembler) doubleDir(op *Op) {
	if len(op.Args) == 0 {
		a.errorf(op.Pos, ".double expects at least one number")
		return
	}
	if !a.needBits(op.Pos, "data") {
		return
	}
	for _, o := range op.Args {
		at := a.dot()
		buf, ok := a.grow(o.Pos, 8)
		if !ok {
			return
		}
		if o.Float == nil && o.Expr == nil {
			a.errorf(o.Pos, ".double operand must be a number")
			continue
		}
		f, ok := a.floatArg(o, at)
		if ok && buf != nil {
			binary.LittleEndian.PutUint64(buf, math.Float64bits(f))
		}
	}
}

// stringDir handles .ascii and .asciz/.string.
func (a *assembler) stringDir(op *Op, nul bool) {
	if len(op.Args) == 0 {
		a.errorf(op.Pos, "%s expects at least one string", op.Name)
		return
	}
	if !a.needBits(op.Pos, "data") {
		return
	}
	for _, o := range op.Args {
		if o.Str == nil {
			a.errorf(o.Pos, "%s operand must be a string", op.Name)
			continue
		}
		b, at, msg := unquote(*o.Str)
		if msg != "" {
			a.errorf(advance(o.Pos, at), "%s", msg)
			continue
		}
		if nul {
			b = append(b, 0)
		}
		buf, ok := a.grow(o.Pos, uint64(len(b)))
		if !ok {
			return
		}
		copy(buf, b)
	}
}

// sizeArg evaluates a size-determining constant (.zero count, .align
// boundary). Pass 1 decides; pass 2 reports values that pass 1 could not
// know because they depend on later definitions.
func (a *assembler) sizeArg(op *Op, i int) (int64, bool) {
	o := op.Args[i]
	key := decisionKey{a.item, i}
	if o.Expr == nil {
		a.errorf(o.Pos, "%s operand %d must be an expression", op.Name, i+1)
		return 0, false
	}
	v, ok := a.evalConst(o.Expr, a.dot())
	if a.pass == 1 {
		a.pass1[key] = decision{v, ok}
		return v, ok
	}
	if d := a.pass1[key]; ok && !d.ok {
		a.errorf(o.Pos, "%s operand %d must be known at this point (it depends on a later definition)", op.Name, i+1)
		return 0, false
	}
	return v, ok
}

// spaceDir handles .zero N and .space N[, FILL].
func (a *assembler) spaceDir(op *Op) {
	if len(op.Args) < 1 || len(op.Args) > 2 || (op.Name == ".zero" && len(op.Args) != 1) {
		if op.Name == ".zero" {
			a.errorf(op.Pos, ".zero expects 1 operand (.zero N), got %d", len(op.Args))
		} else {
			a.errorf(op.Pos, ".space expects 1 or 2 operands (.space N[, FILL]), got %d", len(op.Args))
		}
		return
	}
	n, ok := a.sizeArg(op, 0)
	if !ok {
		return
	}
	if n < 0 {
		a.errorf(op.Args[0].Pos, "%s count %d is negative", op.Name, n)
		return
	}
	fill := int64(0)
	if len(op.Args) == 2 {
		if fill, ok = a.fillArg(op, 1); !ok {
			return
		}
	}
	if fill != 0 && !a.needBits(op.Pos, "non-zero fill") {
		return
	}
	buf, ok := a.grow(op.Pos, uint64(n))
	if !ok {
		return
	}
	for i := range buf {
		buf[i] = byte(fill)
	}
}

// fillArg evaluates a fill byte, -128..255.
func (a *assembler) fillArg(op *Op, i int) (int64, bool) {
	o := op.Args[i]
	if o.Expr == nil {
		a.errorf(o.Pos, "%s operand %d must be an expression", op.Name, i+1)
		return 0, false
	}
	v, ok := a.evalConst(o.Expr, a.dot())
	if !ok {
		return 0, false
	}
	if v < -128 || v > 255 {
		a.errorf(o.Pos, "fill value %d does not fit in a byte", v)
		return 0, false
	}
	return v, true
}

// alignDir handles .align/.balign N[, FILL] (N bytes, a power of two) and
// .p2align P[, FILL] (2^P bytes). Executable sections are padded with nop
// words when the padding is a multiple of 8 and no fill is given.
func (a *assembler) alignDir(op *Op) {
	if len(op.Args) < 1 || len(op.Args) > 2 {
		a.errorf(op.Pos, "%s expects 1 or 2 operands (%s N[, FILL]), got %d", op.Name, op.Name, len(op.Args))
		return
	}
	n, ok := a.sizeArg(op, 0)
	if !ok {
		return
	}
	if op.Name == ".p2align" {
		if n < 0 || n > 12 {
			a.errorf(op.Args[0].Pos, ".p2align %d out of range (0..12)", n)
			return
		}
		n = 1 << n
	}
	if n <= 0 || n&(n-1) != 0 {
		a.errorf(op.Args[0].Pos, "alignment %d is not a power of two", n)
		return
	}
	if n > maxAlign {
		a.errorf(op.Args[0].Pos, "alignment %d too large (at most %d)", n, maxAlign)
		return
	}
	fill, hasFill := int64(0), len(op.Args) == 2
	if hasFill {
		if fill, ok = a.fillArg(op, 1); !ok {
			return
		}
	}
	sec := a.section()
	sec.align = max(sec.align, uint64(n))
	at := sec.size
	pad := (uint64(n) - at%uint64(n)) % uint64(n)
	if pad == 0 {
		return
	}
	if fill != 0 && !a.needBits(op.Pos, "non-zero fill") {
		return
	}
	buf, ok := a.grow(op.Pos, pad)
	if !ok || buf == nil {
		return
	}
	if sec.exec() && !hasFill && at%isa.WordSize == 0 {
		for i := 0; i < len(buf); i += isa.WordSize {
			binary.LittleEndian.PutUint64(buf[i:], isa.Encode(isa.NOP, 0, 0, 0, 0))
		}
		return
	}
	for i := range buf {
		buf[i] = byte(fill)
	}
}
