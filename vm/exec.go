package vm

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"math/bits"

	"linkvm/vm/isa"
)

// errExit stops the interpreter when the program exits (sys 0) or halts;
// p.status holds the status. It never leaves the package.
var errExit = errors.New("exit")

// exec is the interpreter loop. It runs from p.pc until the program exits
// or traps, (inside Call) returns to hostReturn, or reaches a pause point
// (monitor.go), and returns errExit, errHostReturn, the *Trap (without
// backtrace) or errPause (with p.pc the next instruction to run).
//
// The loop keeps pc, the current code segment and the memory caches in
// locals and fetches each instruction word in place from the segment's
// bytes. Per instruction it does no allocation and no indirect call: a
// dense switch on the opcode, loads and stores through a fast path (the
// stack, then the last segment used), and a rarely taken call to a slow
// path for everything else (segment lookups, traps, system calls). When
// pc leaves the cached code segment (a call into another module or a PLT
// stub, a return), the loop finds the new one in the process's small
// table of executable segments (addrSpace.code), checking nothing but the
// address; the data caches are kept. A system call may change pc (bind)
// and the address space (the dynamic-loading calls, numbers 10 and up,
// during which modules may be mapped or unmapped): exec stores pc before
// it and reloads pc, its data caches and, after those calls, its code
// segment after it, so that code of an unmapped module is never run from
// the cache.
func (p *Process) exec() error {
	le := binary.LittleEndian
	r := &p.regs
	pc := p.pc
	cur := pc           // address of the instruction being executed
	var n uint64        // instructions run so far
	limit := p.budget() // and how many may run before the next pause point
	var terr error

	var code []byte      // the current code segment's bytes
	var cbase, nw uint64 // its base address and number of whole words

	var stk, rd, wr memCache // the stack; the last segment loaded from; stored to
	stk.set(p.stack)
	rd, wr = stk, stk
	p.running++

	for {
		if n >= limit { // a pause point (monitor.go): stop before pc
			cur = pc
			terr = errPause
			goto stop
		}
		// One compare checks both bounds and alignment: the rotation moves
		// the low three bits of a misaligned offset to the top.
		i := bits.RotateLeft64(pc-cbase, -3)
		if i >= nw {
			// pc left the code segment (a call into another module or
			// its PLT, a return, the first instruction): find the new one
			// in the table of executable segments, in place rather than
			// in a call, which would spill the loop's registers.
			t := p.as.code
			if len(t) > linearCodeSegs {
				t = p.as.codeNear(pc)
			}
			k := 0
			for k < len(t) && bits.RotateLeft64(pc-t[k].base, -3) >= t[k].nw {
				k++
			}
			if k == len(t) {
				terr = p.noCode(cur, pc)
				goto stop
			}
			code, cbase, nw = t[k].code, t[k].base, t[k].nw
			i = (pc - cbase) >> 3
		}
		// i < nw <= len(code)/8, so the word is there. The full slice
		// expression (capacity 8) is checked against cap(code) alone and
		// needs no pointer masking, so len(code) is not kept live: one
		// register more for the loop.
		j := i << 3
		w := le.Uint64(code[j : j+8 : j+8])
		cur = pc
		pc += isa.WordSize
		n++
		a, b, c := (w>>8)&31, (w>>16)&31, (w>>24)&31
		imm := uint64(int64(int32(w >> 32)))

		switch isa.Op(w) {
		case isa.HALT:
			p.status = int(int64(r[0]))
			terr = errExit
			goto stop
		case isa.TRAP:
			terr = &Trap{Kind: ErrUserTrap, PC: cur, Code: int64(imm), Msg: fmt.Sprintf("user trap %d", int64(imm))}
			goto stop
		case isa.NOP:
		case isa.SYS:
			// The steps so far are the process's before the call, which may
			// run guest code (Call) or look at them; the pause points may
			// have changed after it.
			p.pc = pc
			p.steps += n
			n = 0
			if terr = p.syscall(cur, int64(imm)); terr != nil {
				goto stop
			}
			limit = p.budget()
			pc = p.pc             // bind continues at the target
			rd, wr = stk, stk     // the heap may have moved
			if imm >= SysDlopen { // modules may have been mapped or unmapped
				nw = 0
			}
		case isa.MOV:
			r[a] = r[b]
		case isa.LI:
			r[a] = imm
		case isa.LI64:
			if i+1 >= nw {
				terr = &Trap{Kind: ErrIllegalInstruction, PC: cur, Code: int64(isa.LI64), Msg: "illegal instruction: li64 cut off by the end of its section"}
				goto stop
			}
			j += isa.WordSize
			r[a] = le.Uint64(code[j : j+8 : j+8])
			pc += isa.WordSize
		case isa.LEA:
			r[a] = cur + imm

		case isa.ADD:
			r[a] = r[b] + r[c]
		case isa.SUB:
			r[a] = r[b] - r[c]
		case isa.MUL:
			r[a] = r[b] * r[c]
		case isa.DIVS:
			if r[c] == 0 {
				terr = divideByZero(cur)
				goto stop
			}
			r[a] = uint64(int64(r[b]) / int64(r[c])) // MinInt64 / -1 == MinInt64 in Go
		case isa.DIVU:
			if r[c] == 0 {
				terr = divideByZero(cur)
				goto stop
			}
			r[a] = r[b] / r[c]
		case isa.REMS:
			if r[c] == 0 {
				terr = divideByZero(cur)
				goto stop
			}
			r[a] = uint64(int64(r[b]) % int64(r[c])) // MinInt64 % -1 == 0 in Go
		case isa.REMU:
			if r[c] == 0 {
				terr = divideByZero(cur)
				goto stop
			}
			r[a] = r[b] % r[c]
		case isa.AND:
			r[a] = r[b] & r[c]
		case isa.OR:
			r[a] = r[b] | r[c]
		case isa.XOR:
			r[a] = r[b] ^ r[c]
		case isa.SHL:
			r[a] = r[b] << (r[c] & 63)
		case isa.SHR:
			r[a] = r[b] >> (r[c] & 63)
		case isa.SAR:
			r[a] = uint64(int64(r[b]) >> (r[c] & 63))
		case isa.ADDI:
			r[a] = r[b] + imm
		case isa.MULI:
			r[a] = r[b] * imm
		case isa.ANDI:
			r[a] = r[b] & imm
		case isa.ORI:
			r[a] = r[b] | imm
		case isa.XORI:
			r[a] = r[b] ^ imm
		case isa.SHLI:
			r[a] = r[b] << (imm & 63)
		case isa.SHRI:
			r[a] = r[b] >> (imm & 63)
		case isa.SARI:
			r[a] = uint64(int64(r[b]) >> (imm & 63))
		case isa.NOT:
			r[a] = ^r[b]
		case isa.NEG:
			r[a] = -r[b]

		case isa.SEQ:
			r[a] = b2u(r[b] == r[c])
		case isa.SNE:
			r[a] = b2u(r[b] != r[c])
		case isa.SLT:
			r[a] = b2u(int64(r[b]) < int64(r[c]))
		case isa.SLE:
			r[a] = b2u(int64(r[b]) <= int64(r[c]))
		case isa.SLTU:
			r[a] = b2u(r[b] < r[c])
		case isa.SLEU:
			r[a] = b2u(r[b] <= r[c])
		case isa.SEQI:
			r[a] = b2u(r[b] == imm)
		case isa.SNEI:
			r[a] = b2u(r[b] != imm)
		case isa.SLTI:
			r[a] = b2u(int64(r[b]) < int64(imm))
		case isa.SLEI:
			r[a] = b2u(int64(r[b]) <= int64(imm))
		case isa.SGTI:
			r[a] = b2u(int64(r[b]) > int64(imm))
		case isa.SLTUI:
			r[a] = b2u(r[b] < imm)
		case isa.SLEUI:
			r[a] = b2u(r[b] <= imm)
		case isa.SGTUI:
			r[a] = b2u(r[b] > imm)

		case isa.LD8U, isa.LD8S:
			addr := r[b] + imm
			var v uint64
			if o := addr - stk.base; o <= stk.lim {
				v = uint64(stk.mem[o])
			} else if o := addr - rd.base; o <= rd.lim {
				v = uint64(rd.mem[o])
			} else if x, err := p.loadSlow(cur, addr, 1, &rd); err == nil {
				v = x
			} else {
				terr = err
				goto stop
			}
			if isa.Op(w) == isa.LD8S {
				v = uint64(int64(int8(v)))
			}
			r[a] = v
		case isa.LD16U, isa.LD16S:
			addr := r[b] + imm
			var v uint64
			if o := addr - stk.base; o <= stk.lim {
				v = uint64(le.Uint16(stk.mem[o:]))
			} else if o := addr - rd.base; o <= rd.lim {
				v = uint64(le.Uint16(rd.mem[o:]))
			} else if x, err := p.loadSlow(cur, addr, 2, &rd); err == nil {
				v = x
			} else {
				terr = err
				goto stop
			}
			if isa.Op(w) == isa.LD16S {
				v = uint64(int64(int16(v)))
			}
			r[a] = v
		case isa.LD32U, isa.LD32S:
			addr := r[b] + imm
			var v uint64
			if o := addr - stk.base; o <= stk.lim {
				v = uint64(le.Uint32(stk.mem[o:]))
			} else if o := addr - rd.base; o <= rd.lim {
				v = uint64(le.Uint32(rd.mem[o:]))
			} else if x, err := p.loadSlow(cur, addr, 4, &rd); err == nil {
				v = x
			} else {
				terr = err
				goto stop
			}
			if isa.Op(w) == isa.LD32S {
				v = uint64(int64(int32(v)))
			}
			r[a] = v
		case isa.LD64:
			addr := r[b] + imm
			if o := addr - stk.base; o <= stk.lim {
				r[a] = le.Uint64(stk.mem[o:])
			} else if o := addr - rd.base; o <= rd.lim {
				r[a] = le.Uint64(rd.mem[o:])
			} else if x, err := p.loadSlow(cur, addr, 8, &rd); err == nil {
				r[a] = x
			} else {
				terr = err
				goto stop
			}
		case isa.ST8:
			addr := r[b] + imm
			if o := addr - stk.base; o <= stk.lim {
				stk.mem[o] = byte(r[a])
			} else if o := addr - wr.base; o <= wr.lim {
				wr.mem[o] = byte(r[a])
			} else if err := p.storeSlow(cur, addr, 1, r[a], &wr); err != nil {
				terr = err
				goto stop
			}
		case isa.ST16:
			addr := r[b] + imm
			if o := addr - stk.base; o <= stk.lim {
				le.PutUint16(stk.mem[o:], uint16(r[a]))
			} else if o := addr - wr.base; o <= wr.lim {
				le.PutUint16(wr.mem[o:], uint16(r[a]))
			} else if err := p.storeSlow(cur, addr, 2, r[a], &wr); err != nil {
				terr = err
				goto stop
			}
		case isa.ST32:
			addr := r[b] + imm
			if o := addr - stk.base; o <= stk.lim {
				le.PutUint32(stk.mem[o:], uint32(r[a]))
			} else if o := addr - wr.base; o <= wr.lim {
				le.PutUint32(wr.mem[o:], uint32(r[a]))
			} else if err := p.storeSlow(cur, addr, 4, r[a], &wr); err != nil {
				terr = err
				goto stop
			}
		case isa.ST64:
			addr := r[b] + imm
			if o := addr - stk.base; o <= stk.lim {
				le.PutUint64(stk.mem[o:], r[a])
			} else if o := addr - wr.base; o <= wr.lim {
				le.PutUint64(wr.mem[o:], r[a])
			} else if err := p.storeSlow(cur, addr, 8, r[a], &wr); err != nil {
				terr = err
				goto stop
			}

		case isa.PUSH:
			sp := r[isa.RegSP] - 8
			if o := sp - stk.base; o <= stk.lim {
				le.PutUint64(stk.mem[o:], r[a])
			} else if err := p.storeSlow(cur, sp, 8, r[a], &wr); err != nil {
				terr = err
				goto stop
			}
			r[isa.RegSP] = sp
		case isa.POP:
			sp := r[isa.RegSP]
			var v uint64
			if o := sp - stk.base; o <= stk.lim {
				v = le.Uint64(stk.mem[o:])
			} else if x, err := p.loadSlow(cur, sp, 8, &rd); err == nil {
				v = x
			} else {
				terr = err
				goto stop
			}
			r[isa.RegSP] = sp + 8
			r[a] = v
		case isa.ENTER:
			fp := r[isa.RegSP] - 16
			if o := fp - stk.base; o <= stk.lim-8 {
				le.PutUint64(stk.mem[o+8:], r[isa.RegLR])
				le.PutUint64(stk.mem[o:], r[isa.RegFP])
			} else if err := p.storeSlow(cur, fp+8, 8, r[isa.RegLR], &wr); err != nil {
				terr = err
				goto stop
			} else if err := p.storeSlow(cur, fp, 8, r[isa.RegFP], &wr); err != nil {
				terr = err
				goto stop
			}
			r[isa.RegFP] = fp
			r[isa.RegSP] = fp - imm
		case isa.LEAVE:
			fp := r[isa.RegFP]
			var oldFP, lr uint64
			if o := fp - stk.base; o <= stk.lim-8 {
				oldFP = le.Uint64(stk.mem[o:])
				lr = le.Uint64(stk.mem[o+8:])
			} else {
				var err error
				if oldFP, err = p.loadSlow(cur, fp, 8, &rd); err != nil {
					terr = err
					goto stop
				}
				if lr, err = p.loadSlow(cur, fp+8, 8, &rd); err != nil {
					terr = err
					goto stop
				}
			}
			r[isa.RegSP] = fp + 16
			r[isa.RegFP] = oldFP
			r[isa.RegLR] = lr

		case isa.JMP:
			pc = cur + imm
		case isa.JR:
			pc = r[a]
		case isa.CALL:
			r[isa.RegLR] = pc
			pc = cur + imm
		case isa.CALLR:
			t := r[a]
			r[isa.RegLR] = pc
			pc = t
		case isa.RET:
			pc = r[isa.RegLR]
		case isa.BEQ:
			if r[a] == r[b] {
				pc = cur + imm
			}
		case isa.BNE:
			if r[a] != r[b] {
				pc = cur + imm
			}
		case isa.BLT:
			if int64(r[a]) < int64(r[b]) {
				pc = cur + imm
			}
		case isa.BGE:
			if int64(r[a]) >= int64(r[b]) {
				pc = cur + imm
			}
		case isa.BLTU:
			if r[a] < r[b] {
				pc = cur + imm
			}
		case isa.BGEU:
			if r[a] >= r[b] {
				pc = cur + imm
			}
		case isa.BEQZ:
			if r[a] == 0 {
				pc = cur + imm
			}
		case isa.BNEZ:
			if r[a] != 0 {
				pc = cur + imm
			}

		case isa.FADD:
			r[a] = math.Float64bits(f64(r[b]) + f64(r[c]))
		case isa.FSUB:
			r[a] = math.Float64bits(f64(r[b]) - f64(r[c]))
		case isa.FMUL:
			r[a] = math.Float64bits(f64(r[b]) * f64(r[c]))
		case isa.FDIV:
			r[a] = math.Float64bits(f64(r[b]) / f64(r[c]))
		case isa.FSQRT:
			r[a] = math.Float64bits(math.Sqrt(f64(r[b])))
		case isa.FNEG:
			r[a] = r[b] ^ (1 << 63)
		case isa.FABS:
			r[a] = r[b] &^ (1 << 63)
		case isa.FFLOOR:
			r[a] = math.Float64bits(math.Floor(f64(r[b])))
		case isa.FCEIL:
			r[a] = math.Float64bits(math.Ceil(f64(r[b])))
		case isa.FTRUNC:
			r[a] = math.Float64bits(math.Trunc(f64(r[b])))
		case isa.FEQ:
			r[a] = b2u(f64(r[b]) == f64(r[c]))
		case isa.FLT:
			r[a] = b2u(f64(r[b]) < f64(r[c]))
		case isa.FLE:
			r[a] = b2u(f64(r[b]) <= f64(r[c]))
		case isa.ITOF:
			r[a] = math.Float64bits(float64(int64(r[b])))
		case isa.UTOF:
			r[a] = math.Float64bits(float64(r[b]))
		case isa.FTOI:
			r[a] = uint64(ftoi(f64(r[b])))

		case isa.LDPC:
			addr := cur + imm
			if o := addr - rd.base; o <= rd.lim {
				r[a] = le.Uint64(rd.mem[o:])
			} else if x, err := p.loadSlow(cur, addr, 8, &rd); err == nil {
				r[a] = x
			} else {
				terr = err
				goto stop
			}

		default:
			terr = &Trap{Kind: ErrIllegalInstruction, PC: cur, Code: int64(uint8(w)),
				Msg: fmt.Sprintf("illegal instruction: opcode %d (word %#016x)", uint8(w), w)}
			goto stop
		}
	}
stop:
	p.pc = cur
	p.steps += n
	p.running--
	return terr
}

// divideByZero is the trap of a division by zero at pc.
func divideByZero(pc uint64) *Trap {
	return &Trap{Kind: ErrDivideByZero, PC: pc, Msg: "division by zero"}
}

// b2u is 1 for true and 0 for false.
func b2u(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}

// f64 reads a register's bits as a float64.
func f64(x uint64) float64 { return math.Float64frombits(x) }

// ftoi converts like the ftoi instruction: truncation toward zero, NaN
// gives 0, values beyond the int64 range saturate.
func ftoi(f float64) int64 {
	switch {
	case f != f:
		return 0
	case f >= 0x1p63:
		return math.MaxInt64
	case f < -0x1p63:
		return math.MinInt64
	}
	return int64(f)
}
