package vmtrace

import (
	"encoding/binary"

	"linkvm/vm"
	"linkvm/vm/isa"
)

// insn is one instruction read from a process's code.
type insn struct {
	pc    uint64
	w     uint64 // its first word
	next  uint64 // the second word of a li64
	in    isa.Inst
	words int // 2 for li64, else 1
}

// readInsn reads the instruction at pc; ok is false if pc holds none (the
// process traps there, as a bad jump or an illegal instruction).
func readInsn(p *vm.Process, pc uint64) (in insn, ok bool) {
	var b [2 * isa.WordSize]byte
	if pc%isa.WordSize != 0 || p.ReadMemory(pc, b[:isa.WordSize]) != nil {
		return insn{}, false
	}
	in = insn{pc: pc, w: binary.LittleEndian.Uint64(b[:]), words: 1}
	in.in = isa.Decode(in.w)
	if in.in.Op >= isa.NumOps {
		return insn{}, false
	}
	if in.in.Op == isa.LI64 {
		if p.ReadMemory(pc+isa.WordSize, b[isa.WordSize:]) != nil {
			return insn{}, false
		}
		in.next = binary.LittleEndian.Uint64(b[isa.WordSize:])
		in.words = 2
	}
	return in, true
}

// end returns the address after the instruction.
func (in insn) end() uint64 { return in.pc + uint64(in.words)*isa.WordSize }

// regSet is a set of registers, bit r for register r.
type regSet uint32

// has reports whether r is in the set.
func (s regSet) has(r uint8) bool { return s&(1<<r) != 0 }

// writes returns the registers the instruction sets (docs/isa.md), but
// for sys, whose result in r0 depends on the call.
func (in insn) writes() regSet {
	ra := regSet(1) << (in.in.RA & (isa.NumRegs - 1))
	const sp, fp, lr = regSet(1) << isa.RegSP, regSet(1) << isa.RegFP, regSet(1) << isa.RegLR
	switch op := in.in.Op; op {
	case isa.PUSH:
		return sp
	case isa.POP:
		return ra | sp
	case isa.ENTER:
		return fp | sp
	case isa.LEAVE:
		return fp | lr | sp
	case isa.CALL, isa.CALLR:
		return lr
	case isa.ST8, isa.ST16, isa.ST32, isa.ST64:
		return 0
	case isa.LEA, isa.LDPC:
		return ra
	}
	switch isa.Table[in.in.Op].Format {
	case isa.FmtRR, isa.FmtRRR, isa.FmtRI, isa.FmtRRI, isa.FmtRM, isa.FmtRK:
		return ra
	}
	return 0
}

// storeSize returns the bytes a store instruction writes, 0 for other
// instructions.
func (in insn) storeSize() uint64 {
	switch in.in.Op {
	case isa.ST8:
		return 1
	case isa.ST16:
		return 2
	case isa.ST32:
		return 4
	case isa.ST64:
		return 8
	}
	return 0
}

// transfers reports whether the instruction may send control anywhere
// but the next instruction, or end the process: a jump, branch, call,
// return, system call, halt or trap. It ends a basic block.
func (in insn) transfers() bool {
	switch in.in.Op {
	case isa.HALT, isa.TRAP, isa.SYS, isa.JMP, isa.JR, isa.CALL, isa.CALLR, isa.RET:
		return true
	}
	f := isa.Table[in.in.Op].Format
	return f == isa.FmtRRT || (f == isa.FmtRT && in.in.Op != isa.LEA && in.in.Op != isa.LDPC)
}

// alone reports whether the instruction gets a basic block of its own, so
// that the registers at the block's pause are those it runs with: the
// transfers whose effect depends on registers (ret, jr, callr: the
// target; sys: the call and its arguments; halt: the status).
func (in insn) alone() bool {
	switch in.in.Op {
	case isa.RET, isa.JR, isa.CALLR, isa.SYS, isa.HALT:
		return true
	}
	return false
}

// spDelta returns how the instruction moves sp, when it does so by a
// constant (push, pop, enter, addi sp, sp, imm), and whether it does: an
// instruction that sets sp otherwise (leave, mov sp, ...) has no known
// delta and ends a basic block, so that sp is known again at the next.
func (in insn) spDelta() (delta int64, known bool) {
	i := in.in
	switch i.Op {
	case isa.PUSH:
		return -8, true
	case isa.POP:
		return 8, i.RA != isa.RegSP
	case isa.ENTER:
		return -16 - int64(i.Imm), true
	case isa.ADDI:
		if i.RA == isa.RegSP && i.RB == isa.RegSP {
			return int64(i.Imm), true
		}
	}
	if in.writes().has(isa.RegSP) {
		return 0, false
	}
	return 0, true
}
