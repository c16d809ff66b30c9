package asm

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"
)

// item is one unit of work for the passes: a statement, or a syntax or
// include error to report at its place in source order.
type item struct {
	stmt *Stmt
	err  *Error
}

// Bounds on what .include expands to, counting a file each time it is
// included, so that a few small files including one another over and
// over (an include bomb: 10 lines of 10 files make 10^10 lines) fail
// quickly instead of running for hours and exhausting memory.
const (
	maxIncludes      = 1 << 12
	maxIncludedBytes = 1 << 28
)

// parser turns files into the flat item list, expanding .include.
type parser struct {
	opts     Options
	items    []item
	stack    []string // files being parsed, for include-cycle detection
	included int      // inclusions so far; maxIncludes+1 once over a bound
	inclSize int      // bytes included so far
	elideTT  []lexer.TokenType
	nlTT     lexer.TokenType
}

func newParser(opts Options) *parser {
	syms := asmLexer().Symbols()
	p := &parser{opts: opts, nlTT: syms["Newline"]}
	for _, name := range elided {
		p.elideTT = append(p.elideTT, syms[name])
	}
	return p
}

// tokenLexer replays a slice of tokens, ending with EOF.
type tokenLexer struct {
	toks []lexer.Token
	eof  lexer.Position
}

func (l *tokenLexer) Next() (lexer.Token, error) {
	if len(l.toks) == 0 {
		return lexer.EOFToken(l.eof), nil
	}
	t := l.toks[0]
	l.toks = l.toks[1:]
	return t, nil
}

// parseFile lexes a whole file, then parses it line by line so that a
// syntax error on one line does not hide the errors of the next ones. Each
// statement becomes an item; ".include" statements are replaced by the items
// of the included file.
//
// The grammar, in participle's EBNF (lineParser().String(); every line is
// checked by a test):
//
//	File = { Line <newline> } [ Line ] .
//	Line = Stmt? (";" Stmt?)* .
//	Stmt = Label* Body? .
//	Label = (<ident> | <int>) ":" .
//	Body = Assign | Op .
//	Assign = <ident> "=" Expr .
//	Expr = XorExpr ("|" XorExpr)* .
//	XorExpr = AndExpr ("^" AndExpr)* .
//	AndExpr = ShiftExpr ("&" ShiftExpr)* .
//	ShiftExpr = AddExpr ShiftTail* .
//	AddExpr = MulExpr AddTail* .
//	MulExpr = Unary MulTail* .
//	Unary = (("-" | "~" | "+") Unary) | Primary .
//	Primary = (<radix> | <int>) | <char> | <localref> | <ident> | ("(" Expr ")") .
//	MulTail = ("*" | "/" | "%") Unary .
//	AddTail = ("+" | "-") MulExpr .
//	ShiftTail = ("<<" | ">>") AddExpr .
//	Op = <ident> (Operand ("," Operand)*)? .
//	Operand = Mem | <string> | ("@" <ident>) | Float | (Expr Modifier?) .
//	Modifier = "@" <ident> AddTail* .
//	Mem = "[" <ident> (("+" | "-") Expr)? "]" .
//	Float = ("-" | "+")? <float> .
//
// Tokens (tried in this order; comments and blanks are elided):
//
//	comment  = ("#" | "//") { any but newline } .
//	newline  = "\n" .
//	string   = `"` { char | escape } `"` .
//	char     = "'" { char | escape } "'" .
//	float    = digits "." digits [ exponent ] | digits exponent .
//	radix    = "0x" hexdigits | "0b" bindigits | "0o" octdigits .
//	localref = digits ("b" | "f") .
//	int      = digits .
//	ident    = (letter | "_" | "." | "$") { letter | digit | "_" | "." | "$" } .
//	punct    = "<<" | ">>" | one of - + * / % & | ^ ~ ( ) [ ] , : ; = @ .
func (p *parser) parseFile(filename string, src []byte) {
	p.stack = append(p.stack, filename)
	defer func() { p.stack = p.stack[:len(p.stack)-1] }()

	lx, err := asmLexer().LexString(filename, string(src))
	if err == nil {
		var toks []lexer.Token
		toks, err = lexer.ConsumeAll(lx)
		if err == nil {
			p.parseTokens(toks)
			return
		}
	}
	// The lexer has a catch-all rule, so this is not expected.
	pos := lexer.Position{Filename: filename, Line: 1, Column: 1}
	var perr participle.Error
	if errors.As(err, &perr) {
		pos = perr.Position()
	}
	p.items = append(p.items, item{err: &Error{Pos: pos, Msg: err.Error()}})
}

// parseTokens splits a file's tokens into lines and parses each.
func (p *parser) parseTokens(toks []lexer.Token) {
	start := 0
	for i, t := range toks {
		if t.Type == p.nlTT || t.EOF() {
			p.parseLine(toks[start:i], t.Pos)
			start = i + 1
		}
	}
}

func (p *parser) parseLine(toks []lexer.Token, end lexer.Position) {
	significant := false
	for _, t := range toks {
		if !p.isElided(t.Type) {
			significant = true
			break
		}
	}
	if !significant {
		return
	}
	peek, err := lexer.Upgrade(&tokenLexer{toks: toks, eof: end}, p.elideTT...)
	if err != nil {
		p.items = append(p.items, item{err: &Error{Pos: end, Msg: err.Error()}})
		return
	}
	line, err := lineParser().ParseFromLexer(peek)
	if err != nil {
		e := &Error{Pos: end, Msg: err.Error()}
		var perr participle.Error
		if errors.As(err, &perr) {
			e = &Error{Pos: perr.Position(), Msg: syntaxMessage(perr.Message())}
		}
		p.items = append(p.items, item{err: e})
		return
	}
	for _, s := range line.Stmts {
		if len(s.Labels) == 0 && s.Body == nil {
			continue
		}
		if s.Body != nil && s.Body.Op != nil && s.Body.Op.Name == ".include" {
			if len(s.Labels) > 0 {
				p.items = append(p.items, item{stmt: &Stmt{Pos: s.Pos, Labels: s.Labels}})
			}
			p.include(s.Body.Op)
			continue
		}
		p.items = append(p.items, item{stmt: s})
	}
}

func (p *parser) isElided(tt lexer.TokenType) bool {
	for _, e := range p.elideTT {
		if e == tt {
			return true
		}
	}
	return false
}

func (p *parser) errorf(pos lexer.Position, format string, args ...any) {
	p.items = append(p.items, item{err: &Error{Pos: pos, Msg: fmt.Sprintf(format, args...)}})
}

// include handles `.include "file"`: the file is looked up relative to the
// including file's directory, then in each Options.IncludeDirs.
func (p *parser) include(op *Op) {
	if len(op.Args) != 1 || op.Args[0].Str == nil {
		p.errorf(op.Pos, `.include expects one string operand: .include "file"`)
		return
	}
	nameb, errPos, msg := unquote(*op.Args[0].Str)
	if msg != "" {
		p.errorf(advance(op.Args[0].Pos, errPos), "%s", msg)
		return
	}
	name := string(nameb)
	cur := p.stack[len(p.stack)-1]
	var cands []string
	if filepath.IsAbs(name) {
		cands = []string{name}
	} else {
		cands = append(cands, filepath.Join(filepath.Dir(cur), name))
		for _, d := range p.opts.IncludeDirs {
			cands = append(cands, filepath.Join(d, name))
		}
	}
	read := p.opts.ReadFile
	if read == nil {
		read = os.ReadFile
	}
	for _, c := range cands {
		data, err := read(c)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				continue
			}
			p.errorf(op.Args[0].Pos, "cannot read include file %q: %v", name, err)
			return
		}
		for _, f := range p.stack {
			if filepath.Clean(f) == filepath.Clean(c) {
				chain := append(p.stack[:len(p.stack):len(p.stack)], c)
				p.errorf(op.Args[0].Pos, "include cycle: %s", strings.Join(chain, " -> "))
				return
			}
		}
		if p.included >= maxIncludes || p.inclSize+len(data) > maxIncludedBytes {
			if p.included <= maxIncludes { // report the first one only
				p.errorf(op.Args[0].Pos, "too much included source (more than %d inclusions or %d bytes in all); is a file included over and over?", maxIncludes, maxIncludedBytes)
			}
			p.included = maxIncludes + 1
			return
		}
		p.included++
		p.inclSize += len(data)
		p.parseFile(c, data)
		return
	}
	p.errorf(op.Args[0].Pos, "cannot find include file %q", name)
}

// hintNames replaces participle's expectation hints that name grammar
// internals by words.
var hintNames = strings.NewReplacer(
	`"<EOF>"`, "end of line",
	`(expected <float>)`, "(expected an operand)",
	`(expected <ident> (("+" | "-") Expr)? "]")`, "(expected a base register)",
	`(expected Expr)`, "(expected an expression)",
	`(expected MulExpr)`, "(expected an expression)",
	`(expected Unary)`, "(expected an expression)",
	`(expected AddExpr)`, "(expected an expression)",
	`(expected XorExpr)`, "(expected an expression)",
	`(expected AndExpr)`, "(expected an expression)",
	`(expected ShiftExpr)`, "(expected an expression)",
)

// syntaxMessage makes a participle message read well.
func syntaxMessage(msg string) string {
	msg = hintNames.Replace(msg)
	msg = strings.Replace(msg, "unexpected token end of line", "unexpected end of line", 1)
	// Any other hint naming a production is dropped.
	if i := strings.Index(msg, " (expected "); i >= 0 && productionRE.MatchString(msg[i:]) {
		msg = msg[:i]
	}
	return msg
}

// productionRE matches a grammar production name in a hint.
var productionRE = regexp.MustCompile(`\b[A-Z][A-Za-z]*\b`)
