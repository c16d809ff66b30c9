package asm

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/alecthomas/participle/v2/lexer"

	"linkvm/vm/isa"
)

// value is an evaluated expression: plus - minus + off, where plus and
// minus are labels or undefined symbols (nil when absent). An absolute
// constant has neither.
type value struct {
	plus, minus *symbol
	off         int64
}

func (v value) constant() bool { return v.plus == nil && v.minus == nil }

// regByName recognises register names.
func regByName(name string) (uint8, bool) { return isa.RegByName(name) }

// exprErr is an evaluation error at a position.
type exprErr struct {
	pos lexer.Position
	msg string
}

// evaluator evaluates one expression; dot is the value of ".".
type evaluator struct {
	a   *assembler
	dot uint64
	err *exprErr
}

func (ev *evaluator) fail(pos lexer.Position, format string, args ...any) value {
	if ev.err == nil {
		ev.err = &exprErr{pos, fmt.Sprintf(format, args...)}
	}
	return value{}
}

// eval evaluates e at offset dot of the current section. It reports an
// error (pass 2) and returns false if e is invalid.
func (a *assembler) eval(e *Expr, dot uint64) (value, bool) {
	ev := &evaluator{a: a, dot: dot}
	v := ev.expr(e)
	if ev.err != nil {
		a.errorf(ev.err.pos, "%s", ev.err.msg)
		return value{}, false
	}
	return v, true
}

// evalConst evaluates an expression that must be an absolute constant.
func (a *assembler) evalConst(e *Expr, dot uint64) (int64, bool) {
	v, ok := a.eval(e, dot)
	if !ok {
		return 0, false
	}
	if !v.constant() {
		a.errorf(e.Pos, "constant expression required, found %s", describe(v))
		return 0, false
	}
	return v.off, true
}

// describe renders a non-constant value for messages.
func describe(v value) string {
	var b strings.Builder
	if v.plus != nil {
		b.WriteString(displayName(v.plus))
	}
	if v.minus != nil {
		b.WriteString(" - ")
		b.WriteString(displayName(v.minus))
	}
	if v.off > 0 {
		fmt.Fprintf(&b, " + %d", v.off)
	} else if v.off < 0 {
		fmt.Fprintf(&b, " - %d", -v.off)
	}
	return strings.TrimPrefix(b.String(), " ")
}

// displayName is a symbol's name as the user wrote it.
func displayName(s *symbol) string {
	if i := strings.IndexByte(s.name, ':'); i > 0 {
		return s.name[:i]
	}
	return s.name
}

// normalize folds the difference of two labels of the same section.
func (ev *evaluator) normalize(v value) value {
	if v.plus != nil && v.minus != nil && v.plus.kind == symLabel && v.minus.kind == symLabel && v.plus.sec == v.minus.sec {
		v.off += int64(v.plus.off) - int64(v.minus.off)
		v.plus, v.minus = nil, nil
	}
	return v
}

func (ev *evaluator) add(pos lexer.Position, x, y value) value {
	if x.plus != nil && y.plus != nil {
		return ev.fail(pos, "cannot add two symbols (%s and %s)", displayName(x.plus), displayName(y.plus))
	}
	if x.minus != nil && y.minus != nil {
		return ev.fail(pos, "cannot subtract two symbols (%s and %s)", displayName(x.minus), displayName(y.minus))
	}
	r := value{plus: x.plus, minus: x.minus, off: x.off + y.off}
	if r.plus == nil {
		r.plus = y.plus
	}
	if r.minus == nil {
		r.minus = y.minus
	}
	return ev.normalize(r)
}

func neg(v value) value { return value{plus: v.minus, minus: v.plus, off: -v.off} }

func (ev *evaluator) expr(e *Expr) value {
	v := ev.xor(e.X)
	for _, y := range e.Ys {
		v = ev.arith(y.Pos, "|", v, ev.xor(y))
	}
	return v
}

func (ev *evaluator) xor(e *XorExpr) value {
	v := ev.and(e.X)
	for _, y := range e.Ys {
		v = ev.arith(y.Pos, "^", v, ev.and(y))
	}
	return v
}

func (ev *evaluator) and(e *AndExpr) value {
	v := ev.shift(e.X)
	for _, y := range e.Ys {
		v = ev.arith(y.Pos, "&", v, ev.shift(y))
	}
	return v
}

func (ev *evaluator) shift(e *ShiftExpr) value {
	v := ev.addExpr(e.X)
	for _, t := range e.Ys {
		v = ev.arith(t.Pos, t.Op, v, ev.addExpr(t.Y))
	}
	return v
}

func (ev *evaluator) addExpr(e *AddExpr) value {
	v := ev.mul(e.X)
	for _, t := range e.Ys {
		y := ev.mul(t.Y)
		if t.Op == "-" {
			y = neg(y)
		}
		v = ev.add(t.Pos, v, y)
	}
	return v
}

func (ev *evaluator) mul(e *MulExpr) value {
	v := ev.unary(e.X)
	for _, t := range e.Ys {
		v = ev.arith(t.Pos, t.Op, v, ev.unary(t.Y))
	}
	return v
}

// arith applies an operator that needs absolute operands.
func (ev *evaluator) arith(pos lexer.Position, op string, x, y value) value {
	if ev.err != nil {
		return value{}
	}
	if !x.constant() || !y.constant() {
		return ev.fail(pos, "operator %s needs constant operands", op)
	}
	a, b := x.off, y.off
	var r int64
	switch op {
	case "|":
		r = a | b
	case "^":
		r = a ^ b
	case "&":
		r = a & b
	case "<<", ">>":
		if b < 0 {
			return ev.fail(pos, "negative shift count %d", b)
		}
		if op == "<<" {
			r = a << uint64(b)
		} else {
			r = a >> uint64(b)
		}
	case "*":
		r = a * b
	case "/", "%":
		if b == 0 {
			return ev.fail(pos, "division by zero")
		}
		if b == -1 {
			// Avoid the MinInt64 / -1 overflow trap; wrap like the VM.
			if op == "/" {
				r = -a
			}
			break
		}
		if op == "/" {
			r = a / b
		} else {
			r = a % b
		}
	}
	return value{off: r}
}

func (ev *evaluator) unary(u *Unary) value {
	if u.P != nil {
		return ev.primary(u.P)
	}
	x := ev.unary(u.X)
	switch u.Op {
	case "-":
		return neg(x)
	case "~":
		if !x.constant() {
			return ev.fail(u.Pos, "operator ~ needs a constant operand")
		}
		return value{off: ^x.off}
	}
	return x
}

func (ev *evaluator) primary(p *Primary) value {
	switch {
	case p.Int != nil:
		n, err := parseInt(*p.Int)
		if err != nil {
			return ev.fail(p.Pos, "integer %s does not fit in 64 bits", *p.Int)
		}
		return value{off: n}
	case p.Char != nil:
		c, at, msg := charValue(*p.Char)
		if msg != "" {
			return ev.fail(advance(p.Pos, at), "%s", msg)
		}
		return value{off: c}
	case p.Local != nil:
		return ev.localRef(p.Pos, *p.Local)
	case p.Ident != nil:
		return ev.ident(p.Pos, *p.Ident)
	case p.Sub != nil:
		return ev.expr(p.Sub)
	}
	return ev.fail(p.Pos, "invalid expression")
}

// parseInt parses a decimal, 0x, 0b or 0o literal as a 64-bit pattern
// (values up to 2^64-1 are accepted and wrap to int64).
func parseInt(s string) (int64, error) {
	base := 10
	if len(s) > 2 && s[0] == '0' {
		switch s[1] {
		case 'x', 'X':
			base = 16
		case 'b', 'B':
			base = 2
		case 'o', 'O':
			base = 8
		}
		if base != 10 {
			s = s[2:]
		}
	}
	u, err := strconv.ParseUint(s, base, 64)
	return int64(u), err
}

// localRef resolves "Nb" (the nearest preceding "N:") and "Nf" (the nearest
// following one).
func (ev *evaluator) localRef(pos lexer.Position, ref string) value {
	a := ev.a
	num, dir := ref[:len(ref)-1], ref[len(ref)-1]
	n := a.numDefs[num]
	if dir == 'b' {
		n--
	}
	if n < 0 || (dir == 'f' && a.pass == 2 && n >= a.numTotal[num]) {
		return ev.fail(pos, "undefined local label %s", ref)
	}
	s := a.lookup(numericName(num, n))
	s.temp = true
	if a.pass == 1 && s.kind != symLabel {
		return ev.fail(pos, "undefined local label %s", ref) // silent in pass 1
	}
	return value{plus: s}
}

// ident resolves a name: ".", an equate, a label, or an undefined symbol.
func (ev *evaluator) ident(pos lexer.Position, name string) value {
	a := ev.a
	if name == "." {
		dot := &symbol{name: ".", kind: symLabel, temp: true, sec: a.section(), off: ev.dot}
		return value{plus: dot}
	}
	if _, ok := regByName(name); ok {
		return ev.fail(pos, "register %s used as a value", name)
	}
	s := a.lookup(name)
	if a.pass == 2 {
		s.referenced = true
		s.called = s.called || !a.jumpTarget
	}
	switch s.kind {
	case symEquate:
		return s.val
	case symUndef:
		if s.temp && a.pass == 2 {
			return ev.fail(pos, "undefined assembler-local label %q", name)
		}
	}
	return value{plus: s}
}

// fitsInt32 reports whether v is a signed 32-bit value.
func fitsInt32(v int64) bool { return v >= math.MinInt32 && v <= math.MaxInt32 }
