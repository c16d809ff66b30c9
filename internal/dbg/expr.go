package dbg

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"linkvm/vm/isa"
)

// Expressions, as print, x, break ... if, watch and set take them, in
// the spirit of assembly: a symbol (mod:sym in the module mod) stands
// for its address, $r3 (or r3, sp, pc) for a register, *EXPR for the 8
// bytes at EXPR, with + and -, unary - and &, parentheses and the
// comparisons == != < <= > >= (signed; 1 if true, 0 if false). Numbers
// are decimal, 0x hex or 'c'.

// regPC is the register number expressions give pc (isa numbers 0..31).
const regPC = isa.NumRegs

// node is a parsed expression.
type node struct {
	kind  nodeKind
	val   uint64 // number
	name  string // symbol name, or the register's name
	reg   int    // register
	op    string // operator of unary and binary nodes
	l, r  *node
	text  string // the source text, for messages
	isSym bool   // a bare symbol (print shows what it names)
}

type nodeKind int

const (
	nodeNum nodeKind = iota
	nodeReg
	nodeSym
	nodeUnary
	nodeBinary
)

// env is what evaluating an expression reads.
type env interface {
	// reg returns register r (regPC for pc) of the stopped program.
	reg(r int) (uint64, error)
	// lookup returns the symbol name, or nil.
	lookup(name string) *symbol
	// read reads guest memory.
	read(addr uint64, b []byte) error
}

// parseExpr parses s as a whole expression.
func parseExpr(s string) (*node, error) {
	p := &exprParser{src: s}
	p.next()
	n, err := p.compare()
	if err != nil {
		return nil, err
	}
	if p.tok != "" {
		return nil, fmt.Errorf("unexpected %q in expression %q", p.tok, s)
	}
	return n, nil
}

// exprParser is a recursive-descent parser over tokens of one string.
type exprParser struct {
	src string
	pos int    // where the next token starts
	tok string // the current token, "" at the end
}

// operators, longest first.
var operators = []string{"==", "!=", "<=", ">=", "<", ">", "+", "-", "*", "&", "(", ")"}

// next moves to the next token.
func (p *exprParser) next() {
	for p.pos < len(p.src) && (p.src[p.pos] == ' ' || p.src[p.pos] == '\t') {
		p.pos++
	}
	p.tok = ""
	if p.pos >= len(p.src) {
		return
	}
	rest := p.src[p.pos:]
	for _, op := range operators {
		if strings.HasPrefix(rest, op) {
			p.tok = op
			p.pos += len(op)
			return
		}
	}
	n := 0
	switch c := rest[0]; {
	case c == '\'':
		if end := strings.IndexByte(rest[1:], '\''); end >= 0 {
			n = end + 2
		} else {
			n = len(rest)
		}
	case isWordByte(c) || c == '$':
		// A name may be qualified by its module: libstd.vso:puts.
		n = 1
		for n < len(rest) && (isWordByte(rest[n]) || rest[n] == ':' && n+1 < len(rest) && isNameStart(rest[n+1])) {
			n++
		}
	default:
		n = 1
	}
	p.tok = rest[:n]
	p.pos += n
}

// isNameStart reports whether c may start a symbol name.
func isNameStart(c byte) bool {
	return c == '_' || c == '.' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// isWordByte reports whether c may be part of a name or number.
func isWordByte(c byte) bool {
	return c == '_' || c == '.' || c == '@' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// compare := sum [cmp sum]
func (p *exprParser) compare() (*node, error) {
	start := p.pos - len(p.tok)
	l, err := p.sum()
	if err != nil {
		return nil, err
	}
	switch op := p.tok; op {
	case "==", "!=", "<", "<=", ">", ">=":
		p.next()
		r, err := p.sum()
		if err != nil {
			return nil, err
		}
		return &node{kind: nodeBinary, op: op, l: l, r: r, text: p.text(start)}, nil
	}
	return l, nil
}

// sum := unary {(+|-) unary}
func (p *exprParser) sum() (*node, error) {
	start := p.pos - len(p.tok)
	l, err := p.unary()
	if err != nil {
		return nil, err
	}
	for p.tok == "+" || p.tok == "-" {
		op := p.tok
		p.next()
		r, err := p.unary()
		if err != nil {
			return nil, err
		}
		l = &node{kind: nodeBinary, op: op, l: l, r: r, text: p.text(start)}
	}
	return l, nil
}

// text is the source from start to the current token.
func (p *exprParser) text(start int) string {
	end := p.pos - len(p.tok)
	return strings.TrimSpace(p.src[start:end])
}

// unary := (-|*|&) unary | primary
func (p *exprParser) unary() (*node, error) {
	start := p.pos - len(p.tok)
	switch op := p.tok; op {
	case "-", "*", "&":
		p.next()
		x, err := p.unary()
		if err != nil {
			return nil, err
		}
		if op == "&" {
			if x.kind != nodeSym {
				return nil, fmt.Errorf("& needs a symbol, not %q", x.text)
			}
			return &node{kind: nodeSym, name: x.name, text: p.text(start)}, nil
		}
		return &node{kind: nodeUnary, op: op, l: x, text: p.text(start)}, nil
	}
	return p.primary()
}

// primary := number | register | symbol | ( compare )
func (p *exprParser) primary() (*node, error) {
	tok := p.tok
	switch {
	case tok == "":
		if p.src == "" {
			return nil, errors.New("an expression is needed")
		}
		return nil, fmt.Errorf("expression %q ends too soon", p.src)
	case tok == "(":
		p.next()
		n, err := p.compare()
		if err != nil {
			return nil, err
		}
		if p.tok != ")" {
			return nil, fmt.Errorf("missing ) in expression %q", p.src)
		}
		p.next()
		return n, nil
	case tok[0] == '\'':
		r := []rune(strings.TrimSuffix(tok[1:], "'"))
		if len(tok) < 3 || tok[len(tok)-1] != '\'' || len(r) != 1 {
			return nil, fmt.Errorf("bad character constant %s", tok)
		}
		p.next()
		return &node{kind: nodeNum, val: uint64(r[0]), text: tok}, nil
	case tok[0] >= '0' && tok[0] <= '9':
		v, err := strconv.ParseUint(tok, 0, 64)
		if err != nil {
			return nil, fmt.Errorf("bad number %s", tok)
		}
		p.next()
		return &node{kind: nodeNum, val: v, text: tok}, nil
	case tok[0] == '$':
		r, ok := regNumber(tok[1:])
		if !ok {
			return nil, fmt.Errorf("no register %s (the registers are $r0..$r27, $ip, $fp, $lr, $sp and $pc)", tok)
		}
		p.next()
		return &node{kind: nodeReg, reg: r, name: tok[1:], text: tok}, nil
	case isWordByte(tok[0]):
		p.next()
		if r, ok := regNumber(tok); ok {
			return &node{kind: nodeReg, reg: r, name: tok, text: tok}, nil
		}
		return &node{kind: nodeSym, name: tok, text: tok, isSym: true}, nil
	}
	return nil, fmt.Errorf("unexpected %q in expression %q", tok, p.src)
}

// regNumber returns the number of register name: r0..r31, ip, fp, lr,
// sp, or pc (regPC).
func regNumber(name string) (int, bool) {
	if name == "pc" {
		return regPC, true
	}
	r, ok := isa.RegByName(name)
	return int(r), ok
}

// regName names register r (regPC is "pc").
func regName(r int) string {
	if r == regPC {
		return "pc"
	}
	return isa.RegName(uint8(r))
}

// eval computes n's value.
func (n *node) eval(e env) (uint64, error) {
	switch n.kind {
	case nodeNum:
		return n.val, nil
	case nodeReg:
		return e.reg(n.reg)
	case nodeSym:
		s := e.lookup(n.name)
		if s == nil {
			return 0, fmt.Errorf("no symbol %s in the loaded modules", n.name)
		}
		return s.addr, nil
	case nodeUnary:
		x, err := n.l.eval(e)
		if err != nil {
			return 0, err
		}
		if n.op == "-" {
			return -x, nil
		}
		var b [8]byte
		if err := e.read(x, b[:]); err != nil {
			return 0, fmt.Errorf("cannot read memory at %#x: %v", x, err)
		}
		return binary.LittleEndian.Uint64(b[:]), nil
	}
	l, err := n.l.eval(e)
	if err != nil {
		return 0, err
	}
	r, err := n.r.eval(e)
	if err != nil {
		return 0, err
	}
	switch n.op {
	case "+":
		return l + r, nil
	case "-":
		return l - r, nil
	case "==":
		return b2u(l == r), nil
	case "!=":
		return b2u(l != r), nil
	case "<":
		return b2u(int64(l) < int64(r)), nil
	case "<=":
		return b2u(int64(l) <= int64(r)), nil
	case ">":
		return b2u(int64(l) > int64(r)), nil
	}
	return b2u(int64(l) >= int64(r)), nil
}

// b2u is 1 for true, 0 for false.
func b2u(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}
