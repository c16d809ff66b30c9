package asm

import (
	"fmt"

	"linkvm/objfmt"
)

// This file handles the position-independent-code operand modifiers
// "sym@got" and "sym@plt" (docs/asm.md, "Position-independent code").

// picModifier describes one modifier: the relocation it makes and the
// instructions whose target operand may carry it.
type picModifier struct {
	kind  objfmt.RelocKind
	ops   map[string]bool
	where string // the ops, for messages
}

var picModifiers = map[string]picModifier{
	"got": {objfmt.RelInsnGot, map[string]bool{"ldpc": true, "lea": true, "la": true}, "ldpc, lea and la"},
	"plt": {objfmt.RelInsnPLT, map[string]bool{"call": true, "jmp": true, "b": true}, "call, jmp and b"},
}

// checkModifier reports whether the modifier of operand o of instruction
// op, which expects an operand of kind k there, is allowed, and reports an
// error if not.
func (a *assembler) checkModifier(op *Op, o *Operand, k argKind) bool {
	m := o.Mod
	pm, known := picModifiers[m.Name]
	if !known {
		a.errorf(m.Pos, "unknown modifier @%s (expected @got or @plt)", m.Name)
		return false
	}
	if _, isReg := operandReg(o); isReg {
		name, _ := bareIdent(o.Expr)
		a.errorf(m.Pos, "@%s needs a symbol, not register %s", m.Name, name)
		return false
	}
	if k != argExpr || !pm.ops[op.Name] {
		a.errorf(m.Pos, "@%s is only allowed on the target of %s", m.Name, pm.where)
		return false
	}
	return true
}

// noModifiers reports an error for the first operand of a directive that
// has a modifier; it reports whether there is none.
func (a *assembler) noModifiers(op *Op) bool {
	for _, o := range op.Args {
		if m := o.Mod; m != nil {
			if pm, known := picModifiers[m.Name]; known {
				a.errorf(m.Pos, "@%s is only allowed on the target of %s, not in %s", m.Name, pm.where, op.Name)
			} else {
				a.errorf(m.Pos, "unknown modifier @%s (expected @got or @plt)", m.Name)
			}
			return false
		}
	}
	return true
}

// target sets the pc-relative target of in from the operand t: with a
// modifier, a GOT or PLT relocation, otherwise as targetArg does.
func (a *assembler) target(in *insn, t arg, pc uint64) bool {
	if t.mod == nil {
		return a.targetArg(in, t.expr, pc)
	}
	return a.picTarget(in, t.expr, t.mod, pc)
}

// picTarget handles "sym@got" and "sym@plt": the operand must be a symbol
// with no addend (an addend written after the modifier must be 0). @got
// relocates against the symbol itself, which must be in the symbol table,
// since its GOT slot holds that symbol's address; @plt against the symbol,
// or the section symbol plus the offset for a local label, as for a plain
// call (the linker calls a local function directly).
func (a *assembler) picTarget(in *insn, e *Expr, m *Modifier, pc uint64) bool {
	pm := picModifiers[m.Name]
	v, ok := a.eval(e, pc) // not a jump target: the symbol is a function or an object
	if !ok {
		return false
	}
	add := int64(0)
	for _, t := range m.Tail {
		ev := &evaluator{a: a, dot: pc}
		y := ev.mul(t.Y)
		if ev.err != nil {
			a.errorf(ev.err.pos, "%s", ev.err.msg)
			return false
		}
		if !y.constant() {
			a.errorf(t.Pos, "the addend after @%s must be a constant, found %s", m.Name, describe(y))
			return false
		}
		if t.Op == "-" {
			y = neg(y)
		}
		add += y.off
	}
	if v.plus == nil || v.minus != nil {
		what := describe(v)
		if v.constant() {
			what = fmt.Sprintf("the constant %d", v.off)
		}
		a.errorf(e.Pos, "@%s needs a symbol, not %s", m.Name, what)
		return false
	}
	if total := v.off + add; total != 0 {
		a.errorf(e.Pos, "%s@%s cannot have an addend (found %d): %s", displayName(v.plus), m.Name, total, addendHint[m.Name])
		return false
	}
	sym := v.plus
	switch {
	case m.Name == "plt":
		sym, add = a.relocBase(sym, 0)
	case sym.temp:
		a.errorf(e.Pos, "@got needs a symbol that is in the symbol table, not the assembler-local label %s", displayName(sym))
		return false
	}
	in.rel = &reloc{kind: pm.kind, sym: sym, addend: add}
	return true
}

// addendHint says, after "cannot have an addend", how to do without one.
var addendHint = map[string]string{
	"got": "load the address from the GOT slot, then add the offset",
	"plt": "a call through the PLT goes to the start of the function",
}
