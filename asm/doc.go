// Package asm is linkvm's assembler: it turns GNU-as-like assembly source
// into a relocatable module (an *objfmt.File of type objfmt.TypeRel).
//
// The source syntax, the directives, the pseudo-instructions and the
// relocations the assembler emits are documented in docs/asm.md. The
// grammar is the AST: the participle-tagged structs of grammar.go are both
// the parser and the syntax tree, and the EBNF is in the doc comment of
// parseFile.
//
// Assembly runs in two passes over the parsed statements. Pass 1 lays out
// the sections (every statement's size is decided there, once) and defines
// labels; pass 2 evaluates every expression with all labels known, encodes
// instructions and data, records relocations and line entries, and reports
// errors in source order.
package asm
