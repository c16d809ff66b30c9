package isa

import (
	"fmt"
	"strings"
)

// Disasm renders the instruction whose first word is w, located at address
// pc, in assembler syntax; next is the following word, used only by two-word
// instructions (li64). Branch targets are shown as absolute addresses; sym,
// if not nil, names an address (it returns "" for addresses it cannot name)
// and its answer is appended as <name>.
func Disasm(w, next, pc uint64, sym func(addr uint64) string) string {
	in := Decode(w)
	if in.Op >= NumOps {
		return fmt.Sprintf(".quad %#x  # illegal opcode %d", w, uint8(in.Op))
	}
	info := Table[in.Op]
	r := func(x uint8) string { return RegName(x & (NumRegs - 1)) }
	target := func() string {
		t := pc + uint64(int64(in.Imm))
		s := fmt.Sprintf("%#x", t)
		if sym != nil {
			if n := sym(t); n != "" {
				s += " <" + n + ">"
			}
		}
		return s
	}
	var ops string
	switch info.Format {
	case FmtN:
	case FmtR:
		ops = r(in.RA)
	case FmtRR:
		ops = r(in.RA) + ", " + r(in.RB)
	case FmtRRR:
		ops = r(in.RA) + ", " + r(in.RB) + ", " + r(in.RC)
	case FmtRI:
		ops = fmt.Sprintf("%s, %d", r(in.RA), in.Imm)
	case FmtRRI:
		ops = fmt.Sprintf("%s, %s, %d", r(in.RA), r(in.RB), in.Imm)
	case FmtRM:
		switch {
		case in.Imm == 0:
			ops = fmt.Sprintf("%s, [%s]", r(in.RA), r(in.RB))
		case in.Imm < 0:
			ops = fmt.Sprintf("%s, [%s - %d]", r(in.RA), r(in.RB), -int64(in.Imm))
		default:
			ops = fmt.Sprintf("%s, [%s + %d]", r(in.RA), r(in.RB), in.Imm)
		}
	case FmtRT:
		ops = r(in.RA) + ", " + target()
	case FmtRRT:
		ops = r(in.RA) + ", " + r(in.RB) + ", " + target()
	case FmtT:
		ops = target()
	case FmtI:
		ops = fmt.Sprint(in.Imm)
	case FmtRK:
		ops = fmt.Sprintf("%s, %#x", r(in.RA), next)
	}
	if ops == "" {
		return info.Name
	}
	return info.Name + strings.Repeat(" ", max(1, 6-len(info.Name))) + ops
}
