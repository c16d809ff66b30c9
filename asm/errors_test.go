package asm

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// assembleErr assembles src as "t.s" and returns the rendered error.
func assembleErr(t *testing.T, src string, opts Options) string {
	t.Helper()
	f, err := Assemble("t.s", []byte(src), opts)
	require.Error(t, err)
	require.Nil(t, f)
	return err.Error()
}

func TestErrorMessages(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"unknown mnemonic", "\tfrob r1\n", `t.s:1:2: error: unknown mnemonic "frob"`},
		{"wrong operand kind", "\tadd r1, r2, 5\n", `t.s:1:14: error: add operand 3 must be a register (add ra, rb, rc)`},
		{"register as immediate", "\taddi r1, r2, r3\n", `t.s:1:15: error: addi operand 3 must be an expression (addi ra, rb, imm)`},
		{"wrong operand count", "\tadd r1, r2\n", `t.s:1:2: error: add expects 3 operands (add ra, rb, rc), got 2`},
		{"one operand", "\tpush\n", `t.s:1:2: error: push expects 1 operand (push ra), got 0`},
		{"pseudo operand count", "\tli r1\n", `t.s:1:2: error: li expects 2 operands (li ra, imm64), got 1`},
		{"immediate out of range", "\taddi r1, r2, 4294967296\n", `t.s:1:15: error: immediate out of range: 4294967296 does not fit in 32 bits`},
		{"negative immediate out of range", "\tld64 r1, [r2 - 0x80000001]\n", `t.s:1:17: error: immediate out of range: -2147483649 does not fit in 32 bits`},
		{"shift out of range", "\tsari r1, r2, -1\n", `t.s:1:15: error: shift amount out of range: -1 is not in 0..63`},
		{"subi out of range", "\tsubi r1, r2, -2147483648\n", `t.s:1:15: error: immediate out of range: subi -2147483648 needs addi 2147483648, which does not fit in 32 bits`},
		{"undefined backward numeric label", "\tjmp 1b\n1:\n", `t.s:1:6: error: undefined local label 1b`},
		{"undefined forward numeric label", "1:\n\tjmp 1f\n", `t.s:2:6: error: undefined local label 1f`},
		{"duplicate label", "a:\n\tnop\na:\n", `t.s:3:1: error: label "a" already defined at t.s:1:1`},
		{"label vs equate", "a = 1\na:\n", `t.s:2:1: error: symbol "a" already defined at t.s:1:1`},
		{"undefined .L label", "\tjmp .Lx\n", `t.s:1:6: error: undefined assembler-local label ".Lx"`},
		{"bad directive", "\t.frob 1\n", `t.s:1:2: error: unknown directive ".frob"`},
		{"bad string escape", "\t.ascii \"ab\\qc\"\n", `t.s:1:12: error: unknown escape sequence \q`},
		{"bad char escape", "\tli r1, '\\z'\n", `t.s:1:10: error: unknown escape sequence \z`},
		{"octal escape range", "\t.ascii \"\\400\"\n", `t.s:1:10: error: octal escape \400 out of range (at most \377)`},
		{"empty hex escape", "\t.ascii \"\\xg\"\n", `t.s:1:10: error: \x escape needs one or two hex digits`},
		{"char literal length", "\tli r1, 'ab'\n", `t.s:1:9: error: character literal must hold exactly one character`},
		{"include not found", "\t.include \"nope.s\"\n", `t.s:1:11: error: cannot find include file "nope.s"`},
		{"syntax error", "\tadd r1, , r2\n", `t.s:1:10: error: unexpected token "," (expected an operand)`},
		{"missing bracket", "\tld64 r1, [r2 + 8\n", `t.s:1:18: error: unexpected end of line (expected "]")`},
		{"missing base", "\tld64 r1, [8]\n", `t.s:1:12: error: unexpected token "8" (expected a base register)`},
		{"production hint dropped", "\tld64 r1, [r2 + (\n", `t.s:1:18: error: unexpected end of line`},
		{"incomplete expression", "\tli r1, 1 +\n", `t.s:1:12: error: unexpected end of line (expected an expression)`},
		{"stray character", "\tnop ?\n", `t.s:1:6: error: unexpected token "?"`},
		{"unterminated string", "\t.ascii \"abc\n", `t.s:1:9: error: unexpected token "\""`},
		{"register in expression", "\tli r1, r2 + 1\n", `t.s:1:9: error: register r2 used as a value`},
		{"register as label", "sp:\n", `t.s:1:1: error: register name sp cannot be a label`},
		{"data in bss", "\t.bss\n\t.quad 1\n", `t.s:2:2: error: data in NOBITS section .bss (only .zero, .space and .align are allowed there)`},
		{"instruction in bss", "\t.bss\n\tnop\n", `t.s:2:2: error: instruction in NOBITS section .bss (only .zero, .space and .align are allowed there)`},
		{"byte range", "\t.byte -129\n", `t.s:1:8: error: value -129 does not fit in .byte (8 bits)`},
		{"half range", "\t.half 65536\n", `t.s:1:8: error: value 65536 does not fit in .half (16 bits)`},
		{"word symbol difference", "\t.data\na:\n\t.word a - x\n", `t.s:3:8: error: .word cannot hold a - x (no such relocation)`},
		{"byte symbol", "\t.data\n\t.byte x\n", `t.s:2:8: error: .byte cannot hold x (no such relocation)`},
		{"add two symbols", "\t.quad a + b\n", `t.s:1:10: error: cannot add two symbols (a and b)`},
		{"non-constant multiply", "\t.quad a * 2\n", `t.s:1:10: error: operator * needs constant operands`},
		{"constant required", "\t.zero x\n", `t.s:1:8: error: constant expression required, found x`},
		{"forward size", "\t.zero N\nN = 4\n", `t.s:1:8: error: .zero operand 1 must be known at this point (it depends on a later definition)`},
		{"align power of two", "\t.align 3\n", `t.s:1:9: error: alignment 3 is not a power of two`},
		{"align too large", "\t.balign 8192\n", `t.s:1:10: error: alignment 8192 too large (at most 4096)`},
		{"misaligned instruction", "\t.byte 1\n\tnop\n", `t.s:2:2: error: instruction at offset 1 of .text is not 8-byte aligned (use .align 8)`},
		{"bad target", "\t.data\nd:\n\t.text\n\tjmp d - f\nf:\n", `t.s:4:6: error: invalid target d - f: must be a symbol plus a constant`},
		{"target out of range", "\tjmp 0x100000000\n", `t.s:1:6: error: target out of range: offset 4294967296 does not fit in 32 bits`},
		{"section flags", "\t.section .foo, \"aq\"\n", `t.s:1:19: error: unknown section flag 'q' (want a, w or x)`},
		{"section redeclared", "\t.section .foo, \"a\"\n\t.section .foo, \"aw\"\n", `t.s:2:2: error: section .foo redeclared with different flags or type`},
		{"bind conflict", "\t.global x\n\t.weak x\nx:\n", `t.s:2:8: error: symbol "x" already declared global at t.s:1:10`},
		{"local never defined", "\t.local x\n", `t.s:1:9: error: local symbol "x" is never defined`},
		{"type tag", "f:\n\t.type f, function\n", `t.s:2:11: error: .type must be @function, @object or @notype`},
		{"negative size", "f:\n\t.size f, -1\n", `t.s:2:11: error: negative size -1`},
		{"global alias of undefined", "\t.global a\na = b + 1\n", `t.s:2:1: error: global symbol "a" must be a constant or a label plus a constant, not b + 1`},
		{"self reference", "a = a + 1\n", `t.s:1:5: error: symbol "a" is defined in terms of itself`},
		{"integer too large", "\t.quad 18446744073709551616\n", `t.s:1:8: error: integer 18446744073709551616 does not fit in 64 bits`},
		{"negative shift", "\t.quad 1 << -1\n", `t.s:1:10: error: negative shift count -1`},
		{"symbol in shift amount", "\tshli r1, r1, x\n", `t.s:1:15: error: constant expression required, found x`},
		{"fli register", "\tfli r1, r2\n", `t.s:1:10: error: fli operand 2 must be a floating-point number (fli ra, float)`},
		{"dot label", ".:\n", `t.s:1:1: error: "." cannot be a label`},
		{"assign dot", ". = 4\n", `t.s:1:1: error: cannot assign to "."`},
		{"global .L", "\t.global .Lx\n", `t.s:1:10: error: assembler-local label .Lx cannot be global`},
		{"fill in bss", "\t.bss\n\t.space 4, 1\n", `t.s:2:2: error: non-zero fill in NOBITS section .bss (only .zero, .space and .align are allowed there)`},
		{"equ operands", "\t.equ x\n", `t.s:1:2: error: .equ expects 2 operands (.equ NAME, EXPR), got 1`},
		{"section type", "\t.section .x, \"a\", @foo\n", `t.s:1:20: error: .section type must be @progbits or @nobits`},
		{"text operands", "\t.text 1\n", `t.s:1:2: error: .text takes no operands`},
		{"fill range", "\t.space 1, 256\n", `t.s:1:12: error: fill value 256 does not fit in a byte`},
		{"p2align range", "\t.p2align 13\n", `t.s:1:11: error: .p2align 13 out of range (0..12)`},
		{"global number", "\t.global 1\n", `t.s:1:10: error: .global expects a symbol name`},
		{"string operand", "\t.ascii 1\n", `t.s:1:9: error: .ascii operand must be a string`},
		{"section too large", "\t.data\n\t.byte 1\n\t.zero 0x10000000\n", `t.s:3:2: error: section .data too large (more than 268435456 bytes)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, assembleErr(t, tt.src, Options{}))
		})
	}
}

func TestAllErrorsReported(t *testing.T) {
	src := "\tfrob\n\tnop\n\tadd r1\n\t.bogus\n"
	assert.Equal(t, `t.s:1:2: error: unknown mnemonic "frob"
t.s:3:2: error: add expects 3 operands (add ra, rb, rc), got 1
t.s:4:2: error: unknown directive ".bogus"`, assembleErr(t, src, Options{}))
}

func TestTooManyErrors(t *testing.T) {
	var src, want strings.Builder
	for i := 1; i <= MaxErrors+2; i++ {
		fmt.Fprintf(&src, "\tbad%d\n", i)
		if i <= MaxErrors {
			fmt.Fprintf(&want, "t.s:%d:2: error: unknown mnemonic \"bad%d\"\n", i, i)
		}
	}
	want.WriteString("too many errors")
	_, err := Assemble("t.s", []byte(src.String()), Options{})
	var list *ErrorList
	require.ErrorAs(t, err, &list)
	assert.Len(t, list.Errors, MaxErrors)
	assert.True(t, list.TooMany)
	assert.Equal(t, want.String(), err.Error())
}

func TestExactlyMaxErrorsIsNotTooMany(t *testing.T) {
	src := strings.Repeat("\tbad\n", MaxErrors)
	_, err := Assemble("t.s", []byte(src), Options{})
	var list *ErrorList
	require.ErrorAs(t, err, &list)
	assert.Len(t, list.Errors, MaxErrors)
	assert.False(t, list.TooMany)
	assert.NotContains(t, err.Error(), "too many errors")
}

func TestErrorsUnwrap(t *testing.T) {
	_, err := Assemble("t.s", []byte("\tbad\n"), Options{})
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, 1, e.Pos.Line)
	assert.Equal(t, `unknown mnemonic "bad"`, e.Msg)
}
