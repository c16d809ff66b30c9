package dbg

import (
	"fmt"

	"linkvm/vm/isa"
)

// Disassembly: the disassemble command, and the instruction shown at a
// stop without source and by x/i.

// maxDisasm is the most instructions disassemble shows: around the
// address in a longer function.
const maxDisasm = 200

// cmdDisassemble is disassemble [ADDRESS]: the function holding pc (or
// ADDRESS), marking pc.
func (s *Session) cmdDisassemble(args string) error {
	p, perr := s.alive()
	var addr uint64
	if args == "" {
		if perr != nil {
			return perr
		}
		addr = p.PC()
	} else {
		n, err := parseExpr(args)
		if err != nil {
			return err
		}
		if addr, err = n.eval(s.env()); err != nil {
			return err
		}
	}
	sec := s.syms.section(addr)
	if sec == nil || !sec.exec {
		return fmt.Errorf("no code at %#x", addr)
	}
	lo, hi := max(sec.lo, addr-5*isa.WordSize), min(sec.hi, addr+6*isa.WordSize)
	sym := sec.symbolAt(addr)
	if sym != nil && sym.fn {
		lo, hi = s.syms.funcRange(sym)
		s.printf("Dump of assembler code for function %s:\n", s.syms.name(sym.addr))
	} else {
		lo &^= isa.WordSize - 1
		s.printf("Dump of assembler code from %#x to %#x:\n", lo, hi)
	}
	if (hi-lo)/isa.WordSize > maxDisasm {
		lo = max(lo, addr-maxDisasm/2*isa.WordSize)
		hi = min(hi, lo+maxDisasm*isa.WordSize)
	}
	var pc uint64 = 1 // never an instruction address
	if perr == nil {
		pc = p.PC()
	}
	for a := lo; a < hi; {
		text, size := s.disasm(a)
		mark := "   "
		if a == pc {
			mark = "=> "
		}
		off := ""
		if sym != nil && sym.fn {
			off = fmt.Sprintf(" <+%d>", a-sym.addr)
		}
		s.printf("%s%#x%s:\t%s\n", mark, a, off, text)
		a += size
	}
	s.printf("End of assembler dump.\n")
	return nil
}

// disasmLine is one instruction as stops and x/i show it:
// "0x10058 <fib+0x8>:\tblt   r0, r8, 0x100b0 <fib+0x60>", with its size
// so that x/i goes on to the next without disassembling it again.
func (s *Session) disasmLine(pc uint64) (string, uint64) {
	head := fmt.Sprintf("%#x", pc)
	if l := s.syms.label(pc); l != "" {
		head += " <" + l + ">"
	}
	text, size := s.disasm(pc)
	return head + ":\t" + text, size
}

// disasm disassembles the instruction at pc and returns it with its size.
func (s *Session) disasm(pc uint64) (string, uint64) {
	sec := s.syms.section(pc)
	if sec == nil || !sec.exec {
		return "(not code)", isa.WordSize
	}
	w, ok := sec.word(pc)
	if !ok {
		return "(not code)", isa.WordSize
	}
	next, _ := sec.word(pc + isa.WordSize)
	size := uint64(isa.WordSize)
	if isa.Decode(w).Op == isa.LI64 {
		size *= 2
	}
	return isa.Disasm(w, next, pc, s.syms.label), size
}
