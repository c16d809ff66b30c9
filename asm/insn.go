package asm

import (
	"encoding/binary"
	"fmt"
	"math"
	"strconv"

	"github.com/alecthomas/participle/v2/lexer"

	"linkvm/objfmt"
	"linkvm/vm/isa"
)

// argKind is the operand kind an instruction expects.
type argKind uint8

const (
	argReg   argKind = iota // a register name
	argMem                  // [rb], [rb + imm], [rb - imm]
	argExpr                 // an immediate or target expression
	argFloat                // a float literal, inf, nan, or an integer expression
)

var argKindNames = [...]string{
	argReg:   "a register",
	argMem:   "a memory operand [rb+imm]",
	argExpr:  "an expression",
	argFloat: "a floating-point number",
}

// arg is a checked operand.
type arg struct {
	pos  lexer.Position
	reg  uint8
	expr *Expr     // argExpr; argMem offset (nil = 0)
	neg  bool      // argMem: "[rb - imm]"
	op   *Operand  // argFloat
	mod  *Modifier // argExpr: "@got" or "@plt" (pic.go)
}

// bareIdent returns the name if e is a lone identifier.
func bareIdent(e *Expr) (string, bool) {
	if e == nil || len(e.Ys) > 0 {
		return "", false
	}
	x := e.X
	if len(x.Ys) > 0 || len(x.X.Ys) > 0 || len(x.X.X.Ys) > 0 || len(x.X.X.X.Ys) > 0 || len(x.X.X.X.X.Ys) > 0 {
		return "", false
	}
	u := x.X.X.X.X.X
	if u.P == nil || u.P.Ident == nil {
		return "", false
	}
	return *u.P.Ident, true
}

// operandReg returns the register an operand names.
func operandReg(o *Operand) (uint8, bool) {
	if o.Expr == nil {
		return 0, false
	}
	name, ok := bareIdent(o.Expr)
	if !ok {
		return 0, false
	}
	return regByName(name)
}

// args checks an instruction's operands against the expected kinds; usage is
// the instruction's syntax for messages ("add ra, rb, rc").
func (a *assembler) args(op *Op, usage string, kinds ...argKind) ([]arg, bool) {
	if len(op.Args) != len(kinds) {
		a.errorf(op.Pos, "%s expects %s (%s), got %d", op.Name, countOperands(len(kinds)), usage, len(op.Args))
		return nil, false
	}
	out := make([]arg, len(kinds))
	ok := true
	for i, k := range kinds {
		o := op.Args[i]
		r := arg{pos: o.Pos, mod: o.Mod}
		if o.Mod != nil && !a.checkModifier(op, o, k) {
			ok = false
			continue
		}
		good := false
		switch k {
		case argReg:
			r.reg, good = operandReg(o)
		case argMem:
			if o.Mem != nil {
				var isReg bool
				r.reg, isReg = regByName(o.Mem.Base)
				if !isReg {
					a.errorf(o.Pos, "%s: memory base %s is not a register (%s)", op.Name, o.Mem.Base, usage)
					ok = false
					continue
				}
				r.expr, r.neg, good = o.Mem.Off, o.Mem.Sign == "-", true
			}
		case argExpr:
			if o.Expr != nil {
				_, isReg := operandReg(o)
				r.expr, good = o.Expr, !isReg
			}
		case argFloat:
			if o.Float != nil || o.Expr != nil {
				_, isReg := operandReg(o)
				r.op, good = o, !isReg
			}
		}
		if !good {
			a.errorf(o.Pos, "%s operand %d must be %s (%s)", op.Name, i+1, argKindNames[k], usage)
			ok = false
			continue
		}
		out[i] = r
	}
	return out, ok
}

func countOperands(n int) string {
	switch n {
	case 0:
		return "no operands"
	case 1:
		return "1 operand"
	}
	return fmt.Sprintf("%d operands", n)
}

// formatArgs maps an operand format to the operand kinds it takes.
var formatArgs = [...][]argKind{
	isa.FmtN:   nil,
	isa.FmtR:   {argReg},
	isa.FmtRR:  {argReg, argReg},
	isa.FmtRRR: {argReg, argReg, argReg},
	isa.FmtRI:  {argReg, argExpr},
	isa.FmtRRI: {argReg, argReg, argExpr},
	isa.FmtRM:  {argReg, argMem},
	isa.FmtRT:  {argReg, argExpr},
	isa.FmtRRT: {argReg, argReg, argExpr},
	isa.FmtT:   {argExpr},
	isa.FmtI:   {argExpr},
	isa.FmtRK:  {argReg, argExpr},
}

// pseudo describes a pseudo-instruction.
type pseudo struct {
	syntax string
	kinds  []argKind
}

var pseudos = map[string]pseudo{
	"li":   {"li ra, imm64", []argKind{argReg, argExpr}},
	"la":   {"la ra, symbol", []argKind{argReg, argExpr}},
	"fli":  {"fli ra, float", []argKind{argReg, argFloat}},
	"subi": {"subi ra, rb, imm", []argKind{argReg, argReg, argExpr}},
	"bgt":  {"bgt ra, rb, target", []argKind{argReg, argReg, argExpr}},
	"ble":  {"ble ra, rb, target", []argKind{argReg, argReg, argExpr}},
	"bgtu": {"bgtu ra, rb, target", []argKind{argReg, argReg, argExpr}},
	"bleu": {"bleu ra, rb, target", []argKind{argReg, argReg, argExpr}},
	"b":    {"b target", []argKind{argExpr}},
}

// swapped maps the swapped-operand branch pseudo-instructions to real ones.
var swapped = map[string]isa.Op{"bgt": isa.BLT, "ble": isa.BGE, "bgtu": isa.BLTU, "bleu": isa.BGEU}

// insn is an instruction being encoded at pc in the current section.
type insn struct {
	op     isa.Op
	ra, rb uint8
	rc     uint8
	imm    int32
	rel    *reloc // on the first word (INSN_*), offset filled in by emit
	long   bool   // li64: second word follows
	imm64  uint64
	rel64  *reloc // ABS64 on the second word
}

func (a *assembler) instruction(op *Op) {
	name := op.Name
	p, isPseudo := pseudos[name]
	var info isa.Info
	var code isa.Op
	if !isPseudo {
		var ok bool
		code, ok = isa.Lookup(name)
		if !ok {
			a.errorf(op.Pos, "unknown mnemonic %q", name)
			return
		}
		info = isa.Table[code]
	}
	if !a.needBits(op.Pos, "instruction") {
		return
	}
	sec := a.section()
	pc := sec.size
	if sec.exec() && pc%isa.WordSize != 0 {
		a.errorf(op.Pos, "instruction at offset %d of %s is not 8-byte aligned (use .align 8)", pc, sec.name)
	}
	var in insn
	var ok bool
	if isPseudo {
		in, ok = a.pseudo(op, p, pc)
	} else {
		in, ok = a.real(op, code, info, pc)
	}
	if !ok && a.pass == 2 {
		// Keep the layout of pass 1: reserve the words anyway.
		in.rel, in.rel64 = nil, nil
	}
	a.emit(op.Pos, in)
}

// emit writes an instruction (one or two words) with its relocations and
// line entry.
func (a *assembler) emit(pos lexer.Position, in insn) {
	sec := a.section()
	pc := sec.size
	n := uint64(isa.WordSize)
	if in.long {
		n = 2 * isa.WordSize
	}
	buf, ok := a.grow(pos, n)
	if !ok || buf == nil {
		return
	}
	binary.LittleEndian.PutUint64(buf, isa.Encode(in.op, in.ra, in.rb, in.rc, in.imm))
	if in.long {
		binary.LittleEndian.PutUint64(buf[8:], in.imm64)
	}
	if in.rel != nil {
		r := *in.rel
		r.off = pc
		sec.relocs = append(sec.relocs, r)
	}
	if in.rel64 != nil {
		r := *in.rel64
		r.off = pc + isa.WordSize
		sec.relocs = append(sec.relocs, r)
	}
	if sec.exec() {
		sec.lines = append(sec.lines, objfmt.Line{Offset: pc, File: pos.Filename, Line: uint32(pos.Line), Col: uint32(pos.Column)})
	}
}

// real encodes an instruction of isa.Table.
func (a *assembler) real(op *Op, code isa.Op, info isa.Info, pc uint64) (insn, bool) {
	in := insn{op: code, long: info.Format == isa.FmtRK}
	usage := info.Name
	if s := info.Format.Syntax(); s != "" {
		usage += " " + s
	}
	args, ok := a.args(op, usage, formatArgs[info.Format]...)
	if !ok {
		return in, false
	}
	switch info.Format {
	case isa.FmtN:
	case isa.FmtR:
		in.ra = args[0].reg
	case isa.FmtRR:
		in.ra, in.rb = args[0].reg, args[1].reg
	case isa.FmtRRR:
		in.ra, in.rb, in.rc = args[0].reg, args[1].reg, args[2].reg
	case isa.FmtRI:
		in.ra = args[0].reg
		ok = a.immArg(&in, args[1].expr, false, pc)
	case isa.FmtRRI:
		in.ra, in.rb = args[0].reg, args[1].reg
		if code == isa.SHLI || code == isa.SHRI || code == isa.SARI {
			ok = a.shiftArg(&in, args[2].expr, pc)
		} else {
			ok = a.immArg(&in, args[2].expr, false, pc)
		}
	case isa.FmtRM:
		in.ra, in.rb = args[0].reg, args[1].reg
		if args[1].expr != nil {
			ok = a.immArg(&in, args[1].expr, args[1].neg, pc)
		}
	case isa.FmtRT:
		in.ra = args[0].reg
		ok = a.target(&in, args[1], pc)
	case isa.FmtRRT:
		in.ra, in.rb = args[0].reg, args[1].reg
		ok = a.targetArg(&in, args[2].expr, pc)
	case isa.FmtT:
		ok = a.target(&in, args[0], pc)
	case isa.FmtI:
		ok = a.immArg(&in, args[0].expr, false, pc)
	case isa.FmtRK:
		in.ra = args[0].reg
		ok = a.imm64Arg(&in, args[1].expr, pc)
	}
	return in, ok
}

// pseudo expands a pseudo-instruction.
func (a *assembler) pseudo(op *Op, p pseudo, pc uint64) (insn, bool) {
	name := op.Name
	var in insn
	long := false
	if name == "li" {
		// The size is decided once, in pass 1: the short form when the
		// value is a constant known at this point that fits in 32 bits.
		key := decisionKey{a.item, 0}
		if a.pass == 1 {
			d := decision{val: 1, ok: true}
			if len(op.Args) == 2 && op.Args[1].Expr != nil {
				if _, isReg := operandReg(op.Args[1]); !isReg {
					if v, ok := a.eval(op.Args[1].Expr, pc); ok && v.constant() && fitsInt32(v.off) {
						d.val = 0
					}
				}
			}
			a.pass1[key] = d
		}
		long = a.pass1[key].val == 1
	}
	if name == "fli" {
		long = true
	}
	in.long = long
	args, ok := a.args(op, p.syntax, p.kinds...)
	if !ok {
		if long {
			in.op = isa.LI64
		}
		return in, false
	}
	switch name {
	case "li":
		in.ra = args[0].reg
		if long {
			in.op = isa.LI64
			return in, a.imm64Arg(&in, args[1].expr, pc)
		}
		in.op = isa.LI
		return in, a.immArg(&in, args[1].expr, false, pc)
	case "la":
		in.op, in.ra = isa.LEA, args[0].reg
		return in, a.target(&in, args[1], pc)
	case "fli":
		in.op, in.ra = isa.LI64, args[0].reg
		f, ok := a.floatArg(args[1].op, pc)
		in.imm64 = math.Float64bits(f)
		return in, ok
	case "subi":
		in.op, in.ra, in.rb = isa.ADDI, args[0].reg, args[1].reg
		v, ok := a.evalConst(args[2].expr, pc)
		if !ok {
			return in, false
		}
		if !fitsInt32(-v) || v == math.MinInt64 {
			a.errorf(args[2].pos, "immediate out of range: subi %d needs addi %d, which does not fit in 32 bits", v, -v)
			return in, false
		}
		in.imm = int32(-v)
		return in, true
	case "b":
		in.op = isa.JMP
		return in, a.target(&in, args[0], pc)
	}
	// bgt, ble, bgtu, bleu: swap the registers.
	in.op, in.ra, in.rb = swapped[name], args[1].reg, args[0].reg
	return in, a.targetArg(&in, args[2].expr, pc)
}

// immArg sets a signed 32-bit immediate; a symbol gives an INSN_ABS
// relocation.
func (a *assembler) immArg(in *insn, e *Expr, negate bool, pc uint64) bool {
	v, ok := a.eval(e, pc)
	if !ok {
		return false
	}
	if negate {
		v = neg(v)
	}
	if v.constant() {
		if !fitsInt32(v.off) {
			a.errorf(e.Pos, "immediate out of range: %d does not fit in 32 bits", v.off)
			return false
		}
		in.imm = int32(v.off)
		return true
	}
	if v.minus != nil {
		a.errorf(e.Pos, "%s is neither a constant nor a symbol plus a constant", describe(v))
		return false
	}
	sym, add := a.relocBase(v.plus, v.off)
	in.rel = &reloc{kind: objfmt.RelInsnAbs, sym: sym, addend: add}
	return true
}

// shiftArg sets a shift amount, a constant 0..63.
func (a *assembler) shiftArg(in *insn, e *Expr, pc uint64) bool {
	v, ok := a.evalConst(e, pc)
	if !ok {
		return false
	}
	if v < 0 || v > 63 {
		a.errorf(e.Pos, "shift amount out of range: %d is not in 0..63", v)
		return false
	}
	in.imm = int32(v)
	return true
}

// targetArg sets a pc-relative target. A label of this section that is not
// global or weak is resolved now; other symbols get an INSN_PC relocation.
// A constant is an offset in the current section.
func (a *assembler) targetArg(in *insn, e *Expr, pc uint64) bool {
	a.jumpTarget = in.op != isa.CALL && in.op != isa.LEA
	v, ok := a.eval(e, pc)
	a.jumpTarget = false
	if !ok {
		return false
	}
	if v.minus != nil {
		a.errorf(e.Pos, "invalid target %s: must be a symbol plus a constant", describe(v))
		return false
	}
	var d int64
	switch {
	case v.plus == nil:
		d = int64(uint64(v.off) - pc)
	case v.plus.kind == symLabel && !v.plus.global() && v.plus.sec == a.section():
		d = int64(v.plus.off) + v.off - int64(pc)
	default:
		sym, add := a.relocBase(v.plus, v.off)
		in.rel = &reloc{kind: objfmt.RelInsnPC, sym: sym, addend: add}
		return true
	}
	if !fitsInt32(d) {
		a.errorf(e.Pos, "target out of range: offset %d does not fit in 32 bits", d)
		return false
	}
	in.imm = int32(d)
	return true
}

// imm64Arg sets li64's second word; a symbol gives an ABS64 relocation.
func (a *assembler) imm64Arg(in *insn, e *Expr, pc uint64) bool {
	v, ok := a.eval(e, pc)
	if !ok {
		return false
	}
	if v.constant() {
		in.imm64 = uint64(v.off)
		return true
	}
	if v.minus != nil {
		a.errorf(e.Pos, "%s is neither a constant nor a symbol plus a constant", describe(v))
		return false
	}
	sym, add := a.relocBase(v.plus, v.off)
	in.rel64 = &reloc{kind: objfmt.RelAbs64, sym: sym, addend: add}
	return true
}

// floatArg evaluates a float operand: a float literal, inf or nan with an
// optional sign, or a constant integer expression.
func (a *assembler) floatArg(o *Operand, dot uint64) (float64, bool) {
	if o.Float != nil {
		f, err := strconv.ParseFloat(o.Float.Value, 64)
		if err != nil && !isRangeErr(err) {
			a.errorf(o.Pos, "invalid floating-point number %s", o.Float.Value)
			return 0, false
		}
		if o.Float.Sign == "-" {
			f = -f
		}
		return f, true
	}
	if f, ok := specialFloat(o.Expr); ok {
		return f, true
	}
	v, ok := a.evalConst(o.Expr, dot)
	return float64(v), ok
}

func isRangeErr(err error) bool {
	ne, ok := err.(*strconv.NumError)
	return ok && ne.Err == strconv.ErrRange
}

// specialFloat recognises inf and nan, with optional signs.
func specialFloat(e *Expr) (float64, bool) {
	if e == nil || len(e.Ys) > 0 || len(e.X.Ys) > 0 || len(e.X.X.Ys) > 0 || len(e.X.X.X.Ys) > 0 || len(e.X.X.X.X.Ys) > 0 || len(e.X.X.X.X.X.Ys) > 0 {
		return 0, false
	}
	u := e.X.X.X.X.X.X
	sign := 1.0
	for u.P == nil {
		switch u.Op {
		case "-":
			sign = -sign
		case "+":
		default:
			return 0, false
		}
		u = u.X
	}
	if u.P.Ident == nil {
		return 0, false
	}
	switch *u.P.Ident {
	case "inf":
		return math.Inf(int(sign)), true
	case "nan":
		return math.NaN(), true
	}
	return 0, false
}

// relocBase returns the symbol and addend a relocation against sym+off
// uses: a local label becomes its section's symbol plus the label offset.
func (a *assembler) relocBase(sym *symbol, off int64) (*symbol, int64) {
	if sym.kind == symLabel && !sym.global() {
		return a.sectionSymbol(sym.sec), int64(sym.off) + off
	}
	return sym, off
}

// sectionSymbol returns the section symbol of sec.
func (a *assembler) sectionSymbol(sec *section) *symbol {
	if sec.secSym == nil {
		sec.secSym = &symbol{name: sec.name, kind: symLabel, sec: sec, section: true, temp: true}
	}
	return sec.secSym
}
