package vm

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"math/bits"
	"unsafe"

	"linkvm/vm/isa"
)

// errExit stops the interpreter when the program exits (sys 0) or halts;
// p.status holds the status. It never leaves the package.
var errExit = errors.New("exit")

// exec is the interpreter. It runs from p.pc until the program exits or
// traps, (inside Call) returns to hostReturn, or reaches a pause point
// (monitor.go), and returns errExit, errHostReturn, the *Trap (without
// backtrace) or errPause (with p.pc the next instruction to run). It
// leaves p.pc at the instruction that stopped it and p.steps counting
// every instruction run, the one that trapped included.
//
// The instructions run in run (exec.go); exec serves the events run
// returns. A system call may change pc (bind) and the address space (the
// dynamic-loading calls, during which modules may be mapped or unmapped):
// exec stores pc before it, and after it reloads pc, looks up its code
// segment again and drops the data caches, so that code or data of an
// unmapped module is never used from a cache.
func (p *Process) exec() error {
	p.running++
	if p.as.writableCode {
		p.as.redecode() // the host may have written to it since
	}
	s := execState{left: p.budget(), alt: &noCode}
	s.stk.set(p.stack)
	s.rd = memCaches{s.stk, s.stk}
	s.wr, s.lit = s.rd, s.rd
	err := p.jumpTo(&s, p.pc, p.pc)
	for err == nil {
		// run stops when fewer than maxRun steps are left, since a
		// superinstruction counts its steps at once. The steps before a
		// pause point then run one by one from the segment's decoded
		// form without superinstructions, with steps lent to run so
		// that it runs one instruction and stops.
		var lent uint64
		if s.left != 0 && s.left < maxRun {
			if s.i == s.cur.nw { // the sentinel: first find the next segment, as run does
				if err = p.pastEnd(&s); err != nil {
					break
				}
			}
			if s.cur, err = p.as.aloneCode(s.cur.base); err != nil {
				break
			}
			s.left, lent = maxRun, maxRun-s.left
		}
		start := s.left
		ev := p.run(&s)
		p.steps += start - s.left
		s.left -= lent
		switch ev {
		case evPause:
			if s.left != 0 {
				continue // steps left: the next round runs one
			}
			if s.i == s.cur.nw { // as above, before the pause
				if err = p.pastEnd(&s); err != nil {
					break
				}
			}
			p.pc = s.cur.base + s.i<<3
			err = errPause
		case evSlow:
			err = p.slowStep(&s)
		case evFar:
			err = p.jumpTo(&s, s.to, s.from)
		case evLost:
			err = errors.New("vm: internal error: run lost its code segment")
		}
	}
	p.running--
	return err
}

// pastEnd makes s, at its segment's sentinel (control ran off the end of
// the segment's last word), continue in the segment that starts there,
// or returns the trap at that last word, as run does: a process that
// pauses right after the last word traps where it would have without the
// pause, rather than at the address after it when it resumes.
func (p *Process) pastEnd(s *execState) error {
	end := s.cur.base + s.i<<3
	return p.jumpTo(s, end, end-isa.WordSize)
}

// jumpTo makes s continue at pc, reached from the instruction at from
// (from == pc when exec starts): it finds pc's code segment in the
// process's table of executable segments. With no instruction at pc it
// returns the trap (errHostReturn for the return of a function run by
// Call), with p.pc = from: the jump traps, even when a pause point is
// due before the next instruction, so that a process traps at the same
// place whether or not it is paused there.
func (p *Process) jumpTo(s *execState, pc, from uint64) error {
	t := p.as.code
	if len(t) > linearCodeSegs {
		t = p.as.codeNear(pc)
	}
	for k := range t {
		if c := &t[k]; bits.RotateLeft64(pc-c.base, -3) < c.nw {
			s.cur, s.i = c, (pc-c.base)>>3
			return nil
		}
	}
	p.pc = from
	return p.noCode(from, pc)
}

// slowStep runs the instruction run left to exec (the word at index
// s.i-1): a system call, halt, a trap, a load or store outside the cached
// segments (through the checked path, which caches the segment it finds),
// one of the few instructions run leaves out because they would cost it
// more than they gain, or one decoded as dSlow. It returns nil to continue
// at s.i (or wherever the instruction goes), or what stops exec, with p.pc
// the instruction's address.
func (p *Process) slowStep(s *execState) error {
	k := s.i - 1
	w := binary.LittleEndian.Uint64(unsafe.Slice((*byte)(unsafe.Add(s.cur.raw, k<<3)), isa.WordSize))
	cur := s.cur.base + k<<3
	r := &p.regs
	a, b, c := (w>>8)&31, (w>>16)&31, (w>>24)&31
	imm := uint64(int64(int32(w >> 32)))
	var err error
	switch op := isa.Op(w); op {
	case isa.HALT:
		p.status = int(int64(r[0]))
		err = errExit
	case isa.TRAP:
		err = &Trap{Kind: ErrUserTrap, PC: cur, Code: int64(imm), Msg: fmt.Sprintf("user trap %d", int64(imm))}
	case isa.SYS:
		// The steps so far are the process's before the call, which may
		// run guest code (Call) or look at them; the pause points may have
		// changed after it.
		p.pc = s.cur.base + s.i<<3
		if err = p.syscall(cur, int64(imm)); err != nil {
			break
		}
		s.left = p.budget()
		s.rd = memCaches{s.stk, s.stk} // the heap may have moved, modules gone
		s.wr, s.lit = s.rd, s.rd
		s.alt = &noCode // its module may be gone too
		if s.btbUsed {
			s.btb, s.btbUsed = [btbSize]btbEntry{}, false
		}
		if p.as.writableCode {
			p.as.redecode() // the call may have written to it
		}
		return p.jumpTo(s, p.pc, cur)
	case isa.LI64: // its constant is the section's last word, or cut off
		if k+1 >= s.cur.nw {
			err = &Trap{Kind: ErrIllegalInstruction, PC: cur, Code: int64(isa.LI64), Msg: "illegal instruction: li64 cut off by the end of its section"}
			break
		}
		r[a] = binary.LittleEndian.Uint64(unsafe.Slice((*byte)(unsafe.Add(s.cur.raw, (k+1)<<3)), isa.WordSize))
		return p.jumpTo(s, cur+2*isa.WordSize, cur)
	case isa.BEQ, isa.BNE, isa.BLT, isa.BGE, isa.BLTU, isa.BGEU, isa.BEQZ, isa.BNEZ:
		// A branch out of its section (decoded as dSlow).
		if taken(op, r[a], r[b]) {
			return p.jumpTo(s, cur+imm, cur)
		}
	case isa.DIVS, isa.DIVU, isa.REMS, isa.REMU:
		// In run, x86's division in fixed registers would cost every
		// instruction register moves.
		x, y := r[b], r[c]
		switch {
		case y == 0:
			err = divideByZero(cur)
		case op == isa.DIVS:
			r[a] = uint64(int64(x) / int64(y)) // MinInt64 / -1 == MinInt64 in Go
		case op == isa.DIVU:
			r[a] = x / y
		case op == isa.REMS:
			r[a] = uint64(int64(x) % int64(y)) // MinInt64 % -1 == 0 in Go
		default:
			r[a] = x % y
		}
	case isa.FFLOOR:
		r[a] = math.Float64bits(math.Floor(f64(r[b])))
	case isa.FCEIL:
		r[a] = math.Float64bits(math.Ceil(f64(r[b])))
	case isa.FTRUNC:
		r[a] = math.Float64bits(math.Trunc(f64(r[b])))

	case isa.LD8U, isa.LD8S, isa.LD16U, isa.LD16S, isa.LD32U, isa.LD32S, isa.LD64:
		size := loadSize[op-isa.LD8U]
		var v uint64
		if v, err = p.loadSlow(cur, r[b]+imm, size, &s.rd); err == nil {
			switch op {
			case isa.LD8S:
				v = uint64(int64(int8(v)))
			case isa.LD16S:
				v = uint64(int64(int16(v)))
			case isa.LD32S:
				v = uint64(int64(int32(v)))
			}
			r[a] = v
		}
	case isa.ST8, isa.ST16, isa.ST32, isa.ST64:
		err = p.storeSlow(cur, r[b]+imm, 1<<(op-isa.ST8), r[a], &s.wr)
	case isa.LDPC:
		var v uint64
		if v, err = p.loadSlow(cur, cur+imm, 8, &s.lit); err == nil {
			r[a] = v
		}
	case isa.PUSH:
		sp := r[isa.RegSP] - 8
		if err = p.storeSlow(cur, sp, 8, r[a], &s.wr); err == nil {
			r[isa.RegSP] = sp
		}
	case isa.POP:
		sp := r[isa.RegSP]
		var v uint64
		if v, err = p.loadSlow(cur, sp, 8, &s.rd); err == nil {
			r[isa.RegSP] = sp + 8
			r[a] = v
		}
	case isa.ENTER:
		fp := r[isa.RegSP] - 16
		if err = p.storeSlow(cur, fp+8, 8, r[isa.RegLR], &s.wr); err != nil {
			break
		}
		if err = p.storeSlow(cur, fp, 8, r[isa.RegFP], &s.wr); err != nil {
			break
		}
		r[isa.RegFP] = fp
		r[isa.RegSP] = fp - imm
	case isa.LEAVE:
		fp := r[isa.RegFP]
		var oldFP, lr uint64
		if oldFP, err = p.loadSlow(cur, fp, 8, &s.rd); err != nil {
			break
		}
		if lr, err = p.loadSlow(cur, fp+8, 8, &s.rd); err != nil {
			break
		}
		r[isa.RegSP] = fp + 16
		r[isa.RegFP] = oldFP
		r[isa.RegLR] = lr

	default:
		if op < isa.NumOps { // run leaves no other instruction here
			return fmt.Errorf("vm: internal error: run left %s to slowStep", op)
		}
		err = &Trap{Kind: ErrIllegalInstruction, PC: cur, Code: int64(uint8(w)),
			Msg: fmt.Sprintf("illegal instruction: opcode %d (word %#016x)", uint8(w), w)}
	}
	if err != nil {
		p.pc = cur
	}
	return err
}

// taken reports whether the conditional branch op goes to its target
// with x in ra and y in rb.
func taken(op isa.Op, x, y uint64) bool {
	switch op {
	case isa.BEQ:
		return x == y
	case isa.BNE:
		return x != y
	case isa.BLT:
		return int64(x) < int64(y)
	case isa.BGE:
		return int64(x) >= int64(y)
	case isa.BLTU:
		return x < y
	case isa.BGEU:
		return x >= y
	case isa.BEQZ:
		return x == 0
	}
	return x != 0
}

// loadSize is the access size of ld8u..ld64, by opcode from LD8U.
var loadSize = [...]uint64{1, 1, 2, 2, 4, 4, 8}

// divideByZero is the trap of a division by zero at pc.
func divideByZero(pc uint64) *Trap {
	return &Trap{Kind: ErrDivideByZero, PC: pc, Msg: "division by zero"}
}
