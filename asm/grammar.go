package asm

import (
	"sync"

	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"
)

// asmLexer splits source into tokens. Newline is a token of its own: it ends
// statements. The catch-all Invalid rule makes lexing total, so a stray
// character becomes a positioned syntax error instead of a lexer failure.
//
// It and lineParser are built on first use: compiling the rules and
// checking the grammar cost about 2.7 million x86 instructions, which
// every program linking this package paid at start-up, vmrun among them
// (through stdlib) although it assembles nothing.
var asmLexer = sync.OnceValue(func() *lexer.StatefulDefinition { return lexer.MustSimple(asmRules) })

// asmRules are asmLexer's token rules, tried in this order.
var asmRules = []lexer.SimpleRule{
	{Name: "Comment", Pattern: `(#|//)[^\n]*`},
	{Name: "Whitespace", Pattern: `[ \t\r]+`},
	{Name: "Newline", Pattern: `\n`},
	{Name: "String", Pattern: `"(\\[^\n]|[^\\"\n])*"`},
	{Name: "Char", Pattern: `'(\\[^\n]|[^\\'\n])*'`},
	{Name: "Float", Pattern: `[0-9]+\.[0-9]+([eE][-+]?[0-9]+)?|[0-9]+[eE][-+]?[0-9]+`},
	{Name: "Radix", Pattern: `0[xX][0-9a-fA-F]+|0[bB][01]+|0[oO][0-7]+`},
	{Name: "LocalRef", Pattern: `[0-9]+[bf]`},
	{Name: "Int", Pattern: `[0-9]+`},
	{Name: "Ident", Pattern: `[A-Za-z_.$][A-Za-z0-9_.$]*`},
	{Name: "Punct", Pattern: `<<|>>|[-+*/%&|^~()\[\],:;=@]`},
	{Name: "Invalid", Pattern: `.`},
}

// elided are the token types the parser skips.
var elided = []string{"Comment", "Whitespace"}

// lineParser parses one source line (the tokens up to a Newline).
var lineParser = sync.OnceValue(func() *participle.Parser[Line] {
	return participle.MustBuild[Line](
		participle.Lexer(asmLexer()),
		participle.Elide(elided...),
		participle.UseLookahead(4),
	)
})

// Line is one source line: statements separated by ";".
type Line struct {
	// Pos is where the line starts.
	Pos lexer.Position
	// Stmts are the statements, in order (empty ones included).
	Stmts []*Stmt `parser:"@@? ( \";\" @@? )*"`
}

// Stmt is a statement: labels, then an optional assignment, directive or
// instruction.
type Stmt struct {
	// Pos is where the statement starts.
	Pos lexer.Position
	// Labels are the labels defined at the statement.
	Labels []*Label `parser:"@@*"`
	// Body is the statement proper; nil for labels alone.
	Body *Body `parser:"@@?"`
}

// Label is a label definition "name:" or a numeric local label "1:".
type Label struct {
	// Pos is the label name's position.
	Pos lexer.Position
	// Name is the identifier or the digits of a numeric label.
	Name string `parser:"@(Ident | Int) \":\""`
}

// Body is what follows a statement's labels.
type Body struct {
	// Pos is where the body starts.
	Pos lexer.Position
	// Assign is set for "NAME = EXPR".
	Assign *Assign `parser:"  @@"`
	// Op is set for a directive or an instruction.
	Op *Op `parser:"| @@"`
}

// Assign is "NAME = EXPR", the same as ".set NAME, EXPR".
type Assign struct {
	// Pos is the name's position.
	Pos lexer.Position
	// Name is the symbol being defined.
	Name string `parser:"@Ident \"=\""`
	// Value is its value.
	Value *Expr `parser:"@@"`
}

// Op is a directive (a name starting with ".") or an instruction with its
// comma-separated operands.
type Op struct {
	// Pos is the mnemonic's or directive's position.
	Pos lexer.Position
	// Name is the mnemonic or directive name (with its ".").
	Name string `parser:"@Ident"`
	// Args are the operands.
	Args []*Operand `parser:"( @@ ( \",\" @@ )* )?"`
}

// Operand is one operand of a directive or instruction. Registers are
// expressions that consist of a register name alone.
type Operand struct {
	// Pos is where the operand starts.
	Pos lexer.Position
	// Mem is set for a memory operand.
	Mem *Mem `parser:"  @@"`
	// Str is a string literal, quotes and escapes included.
	Str *string `parser:"| @String"`
	// Tag is the name after "@" (.type and .section).
	Tag *string `parser:"| \"@\" @Ident"`
	// Float is a floating-point literal.
	Float *Float `parser:"| @@"`
	// Expr is any other operand, registers included.
	Expr *Expr `parser:"| @@"`
	// Mod is the relocation modifier after an expression, as in
	// "sym@got" or "sym@plt"; nil if none.
	Mod *Modifier `parser:"@@?"`
}

// Modifier is "@got" or "@plt" after an operand, with an optional addend
// after it ("sym@got+0"), which must be 0.
type Modifier struct {
	// Pos is the position of "@".
	Pos lexer.Position
	// Name is the modifier's name without "@".
	Name string `parser:"\"@\" @Ident"`
	// Tail is the addend written after the modifier.
	Tail []*AddTail `parser:"@@*"`
}

// Float is a floating-point literal with an optional sign.
type Float struct {
	// Pos is where the literal starts (its sign, if any).
	Pos lexer.Position
	// Sign is "-", "+" or empty.
	Sign string `parser:"@(\"-\" | \"+\")?"`
	// Value is the literal's text.
	Value string `parser:"@Float"`
}

// Mem is a memory operand "[rb]", "[rb + imm]" or "[rb - imm]".
type Mem struct {
	// Pos is the position of "[".
	Pos lexer.Position
	// Base is the base register's name.
	Base string `parser:"\"[\" @Ident"`
	// Sign is "+" or "-" before the offset, empty without one.
	Sign string `parser:"( @(\"+\" | \"-\")"`
	// Off is the offset; nil means 0.
	Off *Expr `parser:"  @@ )? \"]\""`
}

// Expr is an expression; this level is "|".
type Expr struct {
	// Pos is where the node starts.
	Pos lexer.Position
	// X is the first operand.
	X *XorExpr `parser:"@@"`
	// Ys are the following operands or operator-operand pairs.
	Ys []*XorExpr `parser:"( \"|\" @@ )*"`
}

// XorExpr is the "^" level.
type XorExpr struct {
	// Pos is where the node starts.
	Pos lexer.Position
	// X is the first operand.
	X *AndExpr `parser:"@@"`
	// Ys are the following operands or operator-operand pairs.
	Ys []*AndExpr `parser:"( \"^\" @@ )*"`
}

// AndExpr is the "&" level.
type AndExpr struct {
	// Pos is where the node starts.
	Pos lexer.Position
	// X is the first operand.
	X *ShiftExpr `parser:"@@"`
	// Ys are the following operands or operator-operand pairs.
	Ys []*ShiftExpr `parser:"( \"&\" @@ )*"`
}

// ShiftExpr is the "<<", ">>" level.
type ShiftExpr struct {
	// Pos is where the node starts.
	Pos lexer.Position
	// X is the first operand.
	X *AddExpr `parser:"@@"`
	// Ys are the following operands or operator-operand pairs.
	Ys []*ShiftTail `parser:"@@*"`
}

// ShiftTail is one "<< y" or ">> y".
type ShiftTail struct {
	// Pos is where the node starts.
	Pos lexer.Position
	// Op is the operator.
	Op string `parser:"@(\"<<\" | \">>\")"`
	// Y is the right operand.
	Y *AddExpr `parser:"@@"`
}

// AddExpr is the "+", "-" level.
type AddExpr struct {
	// Pos is where the node starts.
	Pos lexer.Position
	// X is the first operand.
	X *MulExpr `parser:"@@"`
	// Ys are the following operands or operator-operand pairs.
	Ys []*AddTail `parser:"@@*"`
}

// AddTail is one "+ y" or "- y".
type AddTail struct {
	// Pos is where the node starts.
	Pos lexer.Position
	// Op is the operator.
	Op string `parser:"@(\"+\" | \"-\")"`
	// Y is the right operand.
	Y *MulExpr `parser:"@@"`
}

// MulExpr is the "*", "/", "%" level.
type MulExpr struct {
	// Pos is where the node starts.
	Pos lexer.Position
	// X is the first operand.
	X *Unary `parser:"@@"`
	// Ys are the following operands or operator-operand pairs.
	Ys []*MulTail `parser:"@@*"`
}

// MulTail is one "* y", "/ y" or "% y".
type MulTail struct {
	// Pos is where the node starts.
	Pos lexer.Position
	// Op is the operator.
	Op string `parser:"@(\"*\" | \"/\" | \"%\")"`
	// Y is the right operand.
	Y *Unary `parser:"@@"`
}

// Unary is a prefix operator applied to an operand, or a primary.
type Unary struct {
	// Pos is where the operand starts.
	Pos lexer.Position
	// Op is the prefix operator, empty for a primary.
	Op string `parser:"( @(\"-\" | \"~\" | \"+\")"`
	// X is the operand of Op.
	X *Unary `parser:"  @@ )"`
	// P is set when there is no operator.
	P *Primary `parser:"| @@"`
}

// Primary is a literal, a name, a local label reference or a parenthesized
// expression.
type Primary struct {
	// Pos is where the primary starts.
	Pos lexer.Position
	// Int is an integer literal (decimal, 0x, 0b or 0o).
	Int *string `parser:"  @(Radix | Int)"`
	// Char is a character literal, quotes included.
	Char *string `parser:"| @Char"`
	// Local is a numeric local label reference such as "1b".
	Local *string `parser:"| @LocalRef"`
	// Ident is a symbol name, a register name or ".".
	Ident *string `parser:"| @Ident"`
	// Sub is a parenthesized expression.
	Sub *Expr `parser:"| \"(\" @@ \")\""`
}
