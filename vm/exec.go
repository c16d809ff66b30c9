package vm

import (
	"encoding/binary"
	"math"
	"math/bits"
	"unsafe"

	"linkvm/vm/isa"
)

// The interpreter is two functions. run, below, is the hot loop: it runs
// instructions until something rare happens and returns why; it calls no
// function (but to copy the registers back when it returns), so the Go
// compiler keeps its state in machine registers instead of spilling it
// around calls on every instruction. exec (exec_slow.go) is the driver
// around it: it serves what run returns (system calls, loads and stores
// outside the cached segments, traps, jumps to code run cannot find,
// pause points) and calls run again.

// execState is the interpreter's state between run and exec: where run
// continues, what it may run, and why it stopped.
type execState struct {
	dec   unsafe.Pointer // the current code segment's decoded form (decode.go)
	raw   unsafe.Pointer // its first word
	cbase uint64         // its address
	nw    uint64         // its number of whole words
	i     uint64         // the index in it of the next word to run
	left  uint64         // how many instructions may run before the next pause point

	stk memCache  // the stack
	rd  memCaches // the last segments loaded from
	wr  memCaches // the last segments stored to
	lit memCaches // the last segments ldpc loaded from (GOT slots, literals)

	from, to uint64 // evFar: the instruction jumping (its address) and its target

	// regs is the register file while run runs (it copies p.regs in and
	// back): 256 entries, so that a decoded register field, a byte, needs
	// no bounds check. Only the first isa.NumRegs are used.
	regs [256]uint64
}

// Why run returned.
const (
	evPause = iota // left is 0: a pause point is due before index i
	evSlow         // the instruction at i-1 needs exec: see slowStep
	evFar          // control goes from `from` to `to`, outside the segment, and run cannot find it
)

// run interprets the current segment's decoded form (decode.go) from
// index s.i until an event (evPause, evSlow, evFar) and returns it, with
// s updated. It keeps ip, a pointer to the decoded entry to run, and per
// instruction tests the step budget, loads the entry's opcode and
// dispatches on a dense switch (a jump table); the case reads the
// register fields as bytes at fixed offsets from ip, counts the
// instruction and moves ip. A superinstruction runs two. Loads and stores
// use the cached segments; anything else (a system call, an access
// outside the caches, a trap) returns evSlow without running the
// instruction, which exec then runs. A jump out of the segment looks for
// the new one in the small table of executable segments, in the loop.
//
// Why the cases repeat themselves (the cached-segment test in every load
// and store, both halves in every superinstruction): a helper would be a
// call, because Go inlines nothing costlier than 20 into a function this
// big (a three-cache lookup costs 77). Generating the cases from the
// opcode and pair tables is the way to shorten this file, not helpers.
//
// ip stands for pc = cbase + (ip - dec): entries are 8 bytes like words.
// The decoder has checked relative targets; a register's target t is in
// the segment when bits.RotateLeft64(t-cbase, -3) < nw: the rotation
// moves the low bits of a misaligned offset to the top, so one compare
// checks both bounds and alignment.
func (p *Process) run(s *execState) uint8 {
	copy(s.regs[:isa.NumRegs], p.regs[:])
	r := &s.regs
	rf := (*[256]float64)(unsafe.Pointer(r)) // the registers as floats
	ip := unsafe.Add(s.dec, s.i<<3)          // the next instruction
	left := s.left
	var e *dinst
	var m unsafe.Pointer // where a load or store goes in host memory
	var from, to uint64  // a jump out of the segment: its address and its target

top:
	{
		if left == 0 {
			goto pause
		}
		e = (*dinst)(ip)

		// Every case counts its instruction and ends by moving ip, rather
		// than sharing that before or after the switch: the compiler then
		// updates both in place and jumps back with no register moves.
		switch e.op {
		case uint8(isa.HALT), uint8(isa.TRAP), uint8(isa.SYS), dSlow:
			left--
			goto slow
		case uint8(isa.NOP):
			left--
			ip = unsafe.Add(ip, isa.WordSize)
			goto top
		case uint8(isa.MOV):
			left--
			r[e.a] = r[e.b]
			ip = unsafe.Add(ip, isa.WordSize)
			goto top
		case uint8(isa.LI):
			left--
			r[e.a] = uint64(int64(e.imm))
			ip = unsafe.Add(ip, isa.WordSize)
			goto top
		case uint8(isa.LI64): // decoded as dSlow when no word follows the constant
			left--
			if directMem {
				r[e.a] = *(*uint64)(unsafe.Add(s.raw, pcOff(ip, s)+isa.WordSize))
			} else {
				r[e.a] = binary.LittleEndian.Uint64((*[8]byte)(unsafe.Add(s.raw, pcOff(ip, s)+isa.WordSize))[:])
			}
			ip = unsafe.Add(ip, 2*isa.WordSize)
			goto top
		case uint8(isa.LEA):
			left--
			r[e.a] = s.cbase + pcOff(ip, s) + uint64(int64(e.imm))
			ip = unsafe.Add(ip, isa.WordSize)
			goto top

		case uint8(isa.ADD):
			left--
			r[e.a] = r[e.b] + r[e.c]
			ip = unsafe.Add(ip, isa.WordSize)
			goto top
		case uint8(isa.SUB):
			left--
			r[e.a] = r[e.b] - r[e.c]
			ip = unsafe.Add(ip, isa.WordSize)
			goto top
		case uint8(isa.MUL):
			left--
			r[e.a] = r[e.b] * r[e.c]
			ip = unsafe.Add(ip, isa.WordSize)
			goto top
		case uint8(isa.AND):
			left--
			r[e.a] = r[e.b] & r[e.c]
			ip = unsafe.Add(ip, isa.WordSize)
			goto top
		case uint8(isa.OR):
			left--
			r[e.a] = r[e.b] | r[e.c]
			ip = unsafe.Add(ip, isa.WordSize)
			goto top
		case uint8(isa.XOR):
			left--
			r[e.a] = r[e.b] ^ r[e.c]
			ip = unsafe.Add(ip, isa.WordSize)
			goto top
		case uint8(isa.SHL):
			left--
			r[e.a] = r[e.b] << (r[e.c] & 63)
			ip = unsafe.Add(ip, isa.WordSize)
			goto top
		case uint8(isa.SHR):
			left--
			r[e.a] = r[e.b] >> (r[e.c] & 63)
			ip = unsafe.Add(ip, isa.WordSize)
			goto top
		case uint8(isa.SAR):
			left--
			r[e.a] = uint64(int64(r[e.b]) >> (r[e.c] & 63))
			ip = unsafe.Add(ip, isa.WordSize)
			goto top
		case uint8(isa.ADDI):
			left--
			r[e.a] = r[e.b] + uint64(int64(e.imm))
			ip = unsafe.Add(ip, isa.WordSize)
			goto top
		case uint8(isa.MULI):
			left--
			r[e.a] = r[e.b] * uint64(int64(e.imm))
			ip = unsafe.Add(ip, isa.WordSize)
			goto top
		case uint8(isa.ANDI):
			left--
			r[e.a] = r[e.b] & uint64(int64(e.imm))
			ip = unsafe.Add(ip, isa.WordSize)
			goto top
		case uint8(isa.ORI):
			left--
			r[e.a] = r[e.b] | uint64(int64(e.imm))
			ip = unsafe.Add(ip, isa.WordSize)
			goto top
		case uint8(isa.XORI):
			left--
			r[e.a] = r[e.b] ^ uint64(int64(e.imm))
			ip = unsafe.Add(ip, isa.WordSize)
			goto top
		case uint8(isa.SHLI):
			left--
			r[e.a] = r[e.b] << (uint64(int64(e.imm)) & 63)
			ip = unsafe.Add(ip, isa.WordSize)
			goto top
		case uint8(isa.SHRI):
			left--
			r[e.a] = r[e.b] >> (uint64(int64(e.imm)) & 63)
			ip = unsafe.Add(ip, isa.WordSize)
			goto top
		case uint8(isa.SARI):
			left--
			r[e.a] = uint64(int64(r[e.b]) >> (uint64(int64(e.imm)) & 63))
			ip = unsafe.Add(ip, isa.WordSize)
			goto top
		case uint8(isa.NOT):
			left--
			r[e.a] = ^r[e.b]
			ip = unsafe.Add(ip, isa.WordSize)
			goto top
		case uint8(isa.NEG):
			left--
			r[e.a] = -r[e.b]
			ip = unsafe.Add(ip, isa.WordSize)
			goto top

		case uint8(isa.SEQ):
			left--
			r[e.a] = b2u(r[e.b] == r[e.c])
			ip = unsafe.Add(ip, isa.WordSize)
			goto top
		case uint8(isa.SNE):
			left--
			r[e.a] = b2u(r[e.b] != r[e.c])
			ip = unsafe.Add(ip, isa.WordSize)
			goto top
		case uint8(isa.SLT):
			left--
			r[e.a] = b2u(int64(r[e.b]) < int64(r[e.c]))
			ip = unsafe.Add(ip, isa.WordSize)
			goto top
		case uint8(isa.SLE):
			left--
			r[e.a] = b2u(int64(r[e.b]) <= int64(r[e.c]))
			ip = unsafe.Add(ip, isa.WordSize)
			goto top
		case uint8(isa.SLTU):
			left--
			r[e.a] = b2u(r[e.b] < r[e.c])
			ip = unsafe.Add(ip, isa.WordSize)
			goto top
		case uint8(isa.SLEU):
			left--
			r[e.a] = b2u(r[e.b] <= r[e.c])
			ip = unsafe.Add(ip, isa.WordSize)
			goto top
		case uint8(isa.SEQI):
			left--
			r[e.a] = b2u(r[e.b] == uint64(int64(e.imm)))
			ip = unsafe.Add(ip, isa.WordSize)
			goto top
		case uint8(isa.SNEI):
			left--
			r[e.a] = b2u(r[e.b] != uint64(int64(e.imm)))
			ip = unsafe.Add(ip, isa.WordSize)
			goto top
		case uint8(isa.SLTI):
			left--
			r[e.a] = b2u(int64(r[e.b]) < int64(uint64(int64(e.imm))))
			ip = unsafe.Add(ip, isa.WordSize)
			goto top
		case uint8(isa.SLEI):
			left--
			r[e.a] = b2u(int64(r[e.b]) <= int64(uint64(int64(e.imm))))
			ip = unsafe.Add(ip, isa.WordSize)
			goto top
		case uint8(isa.SGTI):
			left--
			r[e.a] = b2u(int64(r[e.b]) > int64(uint64(int64(e.imm))))
			ip = unsafe.Add(ip, isa.WordSize)
			goto top
		case uint8(isa.SLTUI):
			left--
			r[e.a] = b2u(r[e.b] < uint64(int64(e.imm)))
			ip = unsafe.Add(ip, isa.WordSize)
			goto top
		case uint8(isa.SLEUI):
			left--
			r[e.a] = b2u(r[e.b] <= uint64(int64(e.imm)))
			ip = unsafe.Add(ip, isa.WordSize)
			goto top
		case uint8(isa.SGTUI):
			left--
			r[e.a] = b2u(r[e.b] > uint64(int64(e.imm)))
			ip = unsafe.Add(ip, isa.WordSize)
			goto top

		// Loads look in the stack, then in the two segments last loaded
		// from; stores in the stack, then in the two last stored to.
		case uint8(isa.LD8U), uint8(isa.LD8S):
			left--
			addr := r[e.b] + uint64(int64(e.imm))
			if o := addr - s.stk.base; o <= s.stk.lim {
				m = unsafe.Add(s.stk.ptr, o)
			} else if o := addr - s.rd[0].base; o <= s.rd[0].lim {
				m = unsafe.Add(s.rd[0].ptr, o)
			} else if o := addr - s.rd[1].base; o <= s.rd[1].lim {
				m = unsafe.Add(s.rd[1].ptr, o)
			} else {
				goto slow
			}
			v := uint64(*(*uint8)(m))
			if e.op == uint8(isa.LD8S) {
				v = uint64(int64(int8(v)))
			}
			r[e.a] = v
			ip = unsafe.Add(ip, isa.WordSize)
			goto top
		case uint8(isa.LD16U), uint8(isa.LD16S):
			left--
			addr := r[e.b] + uint64(int64(e.imm))
			if o := addr - s.stk.base; o <= s.stk.lim {
				m = unsafe.Add(s.stk.ptr, o)
			} else if o := addr - s.rd[0].base; o <= s.rd[0].lim {
				m = unsafe.Add(s.rd[0].ptr, o)
			} else if o := addr - s.rd[1].base; o <= s.rd[1].lim {
				m = unsafe.Add(s.rd[1].ptr, o)
			} else {
				goto slow
			}
			var v uint64
			if directMem {
				v = uint64(*(*uint16)(m))
			} else {
				v = uint64(binary.LittleEndian.Uint16((*[2]byte)(m)[:]))
			}
			if e.op == uint8(isa.LD16S) {
				v = uint64(int64(int16(v)))
			}
			r[e.a] = v
			ip = unsafe.Add(ip, isa.WordSize)
			goto top
		case uint8(isa.LD32U), uint8(isa.LD32S):
			left--
			addr := r[e.b] + uint64(int64(e.imm))
			if o := addr - s.stk.base; o <= s.stk.lim {
				m = unsafe.Add(s.stk.ptr, o)
			} else if o := addr - s.rd[0].base; o <= s.rd[0].lim {
				m = unsafe.Add(s.rd[0].ptr, o)
			} else if o := addr - s.rd[1].base; o <= s.rd[1].lim {
				m = unsafe.Add(s.rd[1].ptr, o)
			} else {
				goto slow
			}
			var v uint64
			if directMem {
				v = uint64(*(*uint32)(m))
			} else {
				v = uint64(binary.LittleEndian.Uint32((*[4]byte)(m)[:]))
			}
			if e.op == uint8(isa.LD32S) {
				v = uint64(int64(int32(v)))
			}
			r[e.a] = v
			ip = unsafe.Add(ip, isa.WordSize)
			goto top
		case uint8(isa.LD64):
			left--
			addr := r[e.b] + uint64(int64(e.imm))
			if o := addr - s.stk.base; o <= s.stk.lim {
				m = unsafe.Add(s.stk.ptr, o)
			} else if o := addr - s.rd[0].base; o <= s.rd[0].lim {
				m = unsafe.Add(s.rd[0].ptr, o)
			} else if o := addr - s.rd[1].base; o <= s.rd[1].lim {
				m = unsafe.Add(s.rd[1].ptr, o)
			} else {
				goto slow
			}
			if directMem {
				r[e.a] = *(*uint64)(m)
			} else {
				r[e.a] = binary.LittleEndian.Uint64((*[8]byte)(m)[:])
			}
			ip = unsafe.Add(ip, isa.WordSize)
			goto top
		case uint8(isa.ST8):
			left--
			addr := r[e.b] + uint64(int64(e.imm))
			if o := addr - s.stk.base; o <= s.stk.lim {
				m = unsafe.Add(s.stk.ptr, o)
			} else if o := addr - s.wr[0].base; o <= s.wr[0].lim {
				m = unsafe.Add(s.wr[0].ptr, o)
			} else if o := addr - s.wr[1].base; o <= s.wr[1].lim {
				m = unsafe.Add(s.wr[1].ptr, o)
			} else {
				goto slow
			}
			*(*uint8)(m) = uint8(r[e.a])
			ip = unsafe.Add(ip, isa.WordSize)
			goto top
		case uint8(isa.ST16):
			left--
			addr := r[e.b] + uint64(int64(e.imm))
			if o := addr - s.stk.base; o <= s.stk.lim {
				m = unsafe.Add(s.stk.ptr, o)
			} else if o := addr - s.wr[0].base; o <= s.wr[0].lim {
				m = unsafe.Add(s.wr[0].ptr, o)
			} else if o := addr - s.wr[1].base; o <= s.wr[1].lim {
				m = unsafe.Add(s.wr[1].ptr, o)
			} else {
				goto slow
			}
			if directMem {
				*(*uint16)(m) = uint16(r[e.a])
			} else {
				binary.LittleEndian.PutUint16((*[2]byte)(m)[:], uint16(r[e.a]))
			}
			ip = unsafe.Add(ip, isa.WordSize)
			goto top
		case uint8(isa.ST32):
			left--
			addr := r[e.b] + uint64(int64(e.imm))
			if o := addr - s.stk.base; o <= s.stk.lim {
				m = unsafe.Add(s.stk.ptr, o)
			} else if o := addr - s.wr[0].base; o <= s.wr[0].lim {
				m = unsafe.Add(s.wr[0].ptr, o)
			} else if o := addr - s.wr[1].base; o <= s.wr[1].lim {
				m = unsafe.Add(s.wr[1].ptr, o)
			} else {
				goto slow
			}
			if directMem {
				*(*uint32)(m) = uint32(r[e.a])
			} else {
				binary.LittleEndian.PutUint32((*[4]byte)(m)[:], uint32(r[e.a]))
			}
			ip = unsafe.Add(ip, isa.WordSize)
			goto top
		case uint8(isa.ST64):
			left--
			addr := r[e.b] + uint64(int64(e.imm))
			if o := addr - s.stk.base; o <= s.stk.lim {
				m = unsafe.Add(s.stk.ptr, o)
			} else if o := addr - s.wr[0].base; o <= s.wr[0].lim {
				m = unsafe.Add(s.wr[0].ptr, o)
			} else if o := addr - s.wr[1].base; o <= s.wr[1].lim {
				m = unsafe.Add(s.wr[1].ptr, o)
			} else {
				goto slow
			}
			if directMem {
				*(*uint64)(m) = r[e.a]
			} else {
				binary.LittleEndian.PutUint64((*[8]byte)(m)[:], r[e.a])
			}
			ip = unsafe.Add(ip, isa.WordSize)
			goto top

		// The stack instructions look in the stack alone.
		case uint8(isa.PUSH):
			left--
			sp := r[isa.RegSP] - 8
			o := sp - s.stk.base
			if o > s.stk.lim {
				goto slow
			}
			m = unsafe.Add(s.stk.ptr, o)
			if directMem {
				*(*uint64)(m) = r[e.a]
			} else {
				binary.LittleEndian.PutUint64((*[8]byte)(m)[:], r[e.a])
			}
			r[isa.RegSP] = sp
			ip = unsafe.Add(ip, isa.WordSize)
			goto top
		case uint8(isa.POP):
			left--
			sp := r[isa.RegSP]
			o := sp - s.stk.base
			if o > s.stk.lim {
				goto slow
			}
			m = unsafe.Add(s.stk.ptr, o)
			var v uint64
			if directMem {
				v = *(*uint64)(m)
			} else {
				v = binary.LittleEndian.Uint64((*[8]byte)(m)[:])
			}
			r[isa.RegSP] = sp + 8
			r[e.a] = v
			ip = unsafe.Add(ip, isa.WordSize)
			goto top
		case uint8(isa.ENTER):
			left--
			fp := r[isa.RegSP] - 16
			o := fp - s.stk.base
			if o > s.stk.lim-8 {
				goto slow
			}
			m = unsafe.Add(s.stk.ptr, o)
			if directMem {
				(*[2]uint64)(m)[1] = r[isa.RegLR]
				(*[2]uint64)(m)[0] = r[isa.RegFP]
			} else {
				binary.LittleEndian.PutUint64((*[16]byte)(m)[8:], r[isa.RegLR])
				binary.LittleEndian.PutUint64((*[16]byte)(m)[:], r[isa.RegFP])
			}
			r[isa.RegFP] = fp
			r[isa.RegSP] = fp - uint64(int64(e.imm))
			ip = unsafe.Add(ip, isa.WordSize)
			goto top
		case uint8(isa.LEAVE):
			left--
			fp := r[isa.RegFP]
			o := fp - s.stk.base
			if o > s.stk.lim-8 {
				goto slow
			}
			m = unsafe.Add(s.stk.ptr, o)
			r[isa.RegSP] = fp + 16
			if directMem {
				r[isa.RegFP] = (*[2]uint64)(m)[0]
				r[isa.RegLR] = (*[2]uint64)(m)[1]
			} else {
				r[isa.RegFP] = binary.LittleEndian.Uint64((*[16]byte)(m)[:])
				r[isa.RegLR] = binary.LittleEndian.Uint64((*[16]byte)(m)[8:])
			}
			ip = unsafe.Add(ip, isa.WordSize)
			goto top

		case uint8(isa.JMP):
			left--
			ip = unsafe.Add(ip, int(e.imm)<<3)
			goto top
		case uint8(isa.CALL):
			left--
			r[isa.RegLR] = s.cbase + pcOff(ip, s) + isa.WordSize
			ip = unsafe.Add(ip, int(e.imm)<<3)
			goto top
		case dFarJmp:
			left--
			from = s.cbase + pcOff(ip, s)
			to = from + uint64(int64(e.imm))
			goto far
		case dFarCall:
			left--
			from = s.cbase + pcOff(ip, s)
			to = from + uint64(int64(e.imm))
			r[isa.RegLR] = from + isa.WordSize
			goto far
		case dEnd: // ran off the end of the segment, from the word before
			to = s.cbase + pcOff(ip, s)
			from = to - isa.WordSize
			goto far
		case uint8(isa.JR):
			left--
			to = r[e.a]
			goto jump
		case uint8(isa.CALLR):
			left--
			to = r[e.a]
			r[isa.RegLR] = s.cbase + pcOff(ip, s) + isa.WordSize
			goto jump
		case uint8(isa.RET):
			left--
			to = r[isa.RegLR]
			goto jump
		case uint8(isa.BEQ):
			left--
			if r[e.a] == r[e.b] {
				goto branch
			}
			ip = unsafe.Add(ip, isa.WordSize)
			goto top
		case uint8(isa.BNE):
			left--
			if r[e.a] != r[e.b] {
				goto branch
			}
			ip = unsafe.Add(ip, isa.WordSize)
			goto top
		case uint8(isa.BLT):
			left--
			if int64(r[e.a]) < int64(r[e.b]) {
				goto branch
			}
			ip = unsafe.Add(ip, isa.WordSize)
			goto top
		case uint8(isa.BGE):
			left--
			if int64(r[e.a]) >= int64(r[e.b]) {
				goto branch
			}
			ip = unsafe.Add(ip, isa.WordSize)
			goto top
		case uint8(isa.BLTU):
			left--
			if r[e.a] < r[e.b] {
				goto branch
			}
			ip = unsafe.Add(ip, isa.WordSize)
			goto top
		case uint8(isa.BGEU):
			left--
			if r[e.a] >= r[e.b] {
				goto branch
			}
			ip = unsafe.Add(ip, isa.WordSize)
			goto top
		case uint8(isa.BEQZ):
			left--
			if r[e.a] == 0 {
				goto branch
			}
			ip = unsafe.Add(ip, isa.WordSize)
			goto top
		case uint8(isa.BNEZ):
			left--
			if r[e.a] != 0 {
				goto branch
			}
			ip = unsafe.Add(ip, isa.WordSize)
			goto top

		case uint8(isa.FADD):
			left--
			rf[e.a] = rf[e.b] + rf[e.c]
			ip = unsafe.Add(ip, isa.WordSize)
			goto top
		case uint8(isa.FSUB):
			left--
			rf[e.a] = rf[e.b] - rf[e.c]
			ip = unsafe.Add(ip, isa.WordSize)
			goto top
		case uint8(isa.FMUL):
			left--
			rf[e.a] = rf[e.b] * rf[e.c]
			ip = unsafe.Add(ip, isa.WordSize)
			goto top
		case uint8(isa.FDIV):
			left--
			rf[e.a] = rf[e.b] / rf[e.c]
			ip = unsafe.Add(ip, isa.WordSize)
			goto top
		case uint8(isa.FSQRT):
			left--
			rf[e.a] = math.Sqrt(rf[e.b])
			ip = unsafe.Add(ip, isa.WordSize)
			goto top
		case uint8(isa.FNEG):
			left--
			r[e.a] = r[e.b] ^ (1 << 63)
			ip = unsafe.Add(ip, isa.WordSize)
			goto top
		case uint8(isa.FABS):
			left--
			r[e.a] = r[e.b] &^ (1 << 63)
			ip = unsafe.Add(ip, isa.WordSize)
			goto top
		case uint8(isa.FEQ):
			left--
			r[e.a] = b2u(rf[e.b] == rf[e.c])
			ip = unsafe.Add(ip, isa.WordSize)
			goto top
		case uint8(isa.FLT):
			left--
			r[e.a] = b2u(rf[e.b] < rf[e.c])
			ip = unsafe.Add(ip, isa.WordSize)
			goto top
		case uint8(isa.FLE):
			left--
			r[e.a] = b2u(rf[e.b] <= rf[e.c])
			ip = unsafe.Add(ip, isa.WordSize)
			goto top
		case uint8(isa.ITOF):
			left--
			rf[e.a] = float64(int64(r[e.b]))
			ip = unsafe.Add(ip, isa.WordSize)
			goto top
		case uint8(isa.UTOF):
			left--
			rf[e.a] = float64(r[e.b])
			ip = unsafe.Add(ip, isa.WordSize)
			goto top
		case uint8(isa.FTOI):
			left--
			// ftoi, inline: a call here would make the compiler save
			// run's registers around it.
			switch f := rf[e.b]; {
			case f != f:
				r[e.a] = 0
			case f >= 0x1p63:
				r[e.a] = math.MaxInt64
			case f < -0x1p63:
				r[e.a] = 1 << 63 // MinInt64
			default:
				r[e.a] = uint64(int64(f))
			}
			ip = unsafe.Add(ip, isa.WordSize)
			goto top

		case uint8(isa.LDPC):
			left--
			addr := s.cbase + pcOff(ip, s) + uint64(int64(e.imm))
			if o := addr - s.lit[0].base; o <= s.lit[0].lim {
				m = unsafe.Add(s.lit[0].ptr, o)
			} else if o := addr - s.lit[1].base; o <= s.lit[1].lim {
				m = unsafe.Add(s.lit[1].ptr, o)
			} else {
				goto slow
			}
			if directMem {
				r[e.a] = *(*uint64)(m)
			} else {
				r[e.a] = binary.LittleEndian.Uint64((*[8]byte)(m)[:])
			}
			ip = unsafe.Add(ip, isa.WordSize)
			goto top

		// Superinstructions (decode.go): the first instruction's fields in
		// e, the second's in the next entry, e2. Each runs the second only
		// if the budget allows, and counts it; a second instruction that
		// needs exec leaves ip at it. A taken branch's offset is from its
		// own entry.
		case fAddiBltu:
			left--
			r[e.a] = r[e.b] + uint64(int64(e.imm))
			if left == 0 { // a pause point comes before the second
				ip = unsafe.Add(ip, isa.WordSize)
				goto top
			}
			left--
			e2 := (*dinst)(unsafe.Add(ip, isa.WordSize))
			if r[e2.a] < r[e2.b] {
				ip = unsafe.Add(ip, isa.WordSize+int(e2.imm)<<3)
				goto top
			}
			ip = unsafe.Add(ip, 2*isa.WordSize)
			goto top
		case fAddiBlt:
			left--
			r[e.a] = r[e.b] + uint64(int64(e.imm))
			if left == 0 { // a pause point comes before the second
				ip = unsafe.Add(ip, isa.WordSize)
				goto top
			}
			left--
			e2 := (*dinst)(unsafe.Add(ip, isa.WordSize))
			if int64(r[e2.a]) < int64(r[e2.b]) {
				ip = unsafe.Add(ip, isa.WordSize+int(e2.imm)<<3)
				goto top
			}
			ip = unsafe.Add(ip, 2*isa.WordSize)
			goto top
		case fAddiBne:
			left--
			r[e.a] = r[e.b] + uint64(int64(e.imm))
			if left == 0 { // a pause point comes before the second
				ip = unsafe.Add(ip, isa.WordSize)
				goto top
			}
			left--
			e2 := (*dinst)(unsafe.Add(ip, isa.WordSize))
			if r[e2.a] != r[e2.b] {
				ip = unsafe.Add(ip, isa.WordSize+int(e2.imm)<<3)
				goto top
			}
			ip = unsafe.Add(ip, 2*isa.WordSize)
			goto top
		case fAddiBnez:
			left--
			r[e.a] = r[e.b] + uint64(int64(e.imm))
			if left == 0 { // a pause point comes before the second
				ip = unsafe.Add(ip, isa.WordSize)
				goto top
			}
			left--
			e2 := (*dinst)(unsafe.Add(ip, isa.WordSize))
			if r[e2.a] != 0 {
				ip = unsafe.Add(ip, isa.WordSize+int(e2.imm)<<3)
				goto top
			}
			ip = unsafe.Add(ip, 2*isa.WordSize)
			goto top
		case fAddBltu:
			left--
			r[e.a] = r[e.b] + r[e.c]
			if left == 0 { // a pause point comes before the second
				ip = unsafe.Add(ip, isa.WordSize)
				goto top
			}
			left--
			e2 := (*dinst)(unsafe.Add(ip, isa.WordSize))
			if r[e2.a] < r[e2.b] {
				ip = unsafe.Add(ip, isa.WordSize+int(e2.imm)<<3)
				goto top
			}
			ip = unsafe.Add(ip, 2*isa.WordSize)
			goto top
		case fLiBlt:
			left--
			r[e.a] = uint64(int64(e.imm))
			if left == 0 { // a pause point comes before the second
				ip = unsafe.Add(ip, isa.WordSize)
				goto top
			}
			left--
			e2 := (*dinst)(unsafe.Add(ip, isa.WordSize))
			if int64(r[e2.a]) < int64(r[e2.b]) {
				ip = unsafe.Add(ip, isa.WordSize+int(e2.imm)<<3)
				goto top
			}
			ip = unsafe.Add(ip, 2*isa.WordSize)
			goto top
		case fLiBge:
			left--
			r[e.a] = uint64(int64(e.imm))
			if left == 0 { // a pause point comes before the second
				ip = unsafe.Add(ip, isa.WordSize)
				goto top
			}
			left--
			e2 := (*dinst)(unsafe.Add(ip, isa.WordSize))
			if int64(r[e2.a]) >= int64(r[e2.b]) {
				ip = unsafe.Add(ip, isa.WordSize+int(e2.imm)<<3)
				goto top
			}
			ip = unsafe.Add(ip, 2*isa.WordSize)
			goto top
		case fLiBeq:
			left--
			r[e.a] = uint64(int64(e.imm))
			if left == 0 { // a pause point comes before the second
				ip = unsafe.Add(ip, isa.WordSize)
				goto top
			}
			left--
			e2 := (*dinst)(unsafe.Add(ip, isa.WordSize))
			if r[e2.a] == r[e2.b] {
				ip = unsafe.Add(ip, isa.WordSize+int(e2.imm)<<3)
				goto top
			}
			ip = unsafe.Add(ip, 2*isa.WordSize)
			goto top
		case fLiBne:
			left--
			r[e.a] = uint64(int64(e.imm))
			if left == 0 { // a pause point comes before the second
				ip = unsafe.Add(ip, isa.WordSize)
				goto top
			}
			left--
			e2 := (*dinst)(unsafe.Add(ip, isa.WordSize))
			if r[e2.a] != r[e2.b] {
				ip = unsafe.Add(ip, isa.WordSize+int(e2.imm)<<3)
				goto top
			}
			ip = unsafe.Add(ip, 2*isa.WordSize)
			goto top
		case fMovAddi:
			left--
			r[e.a] = r[e.b]
			if left == 0 { // a pause point comes before the second
				ip = unsafe.Add(ip, isa.WordSize)
				goto top
			}
			left--
			e2 := (*dinst)(unsafe.Add(ip, isa.WordSize))
			r[e2.a] = r[e2.b] + uint64(int64(e2.imm))
			ip = unsafe.Add(ip, 2*isa.WordSize)
			goto top
		case fAddiAddi:
			left--
			r[e.a] = r[e.b] + uint64(int64(e.imm))
			if left == 0 { // a pause point comes before the second
				ip = unsafe.Add(ip, isa.WordSize)
				goto top
			}
			left--
			e2 := (*dinst)(unsafe.Add(ip, isa.WordSize))
			r[e2.a] = r[e2.b] + uint64(int64(e2.imm))
			ip = unsafe.Add(ip, 2*isa.WordSize)
			goto top
		case fAddiCall:
			left--
			r[e.a] = r[e.b] + uint64(int64(e.imm))
			if left == 0 { // a pause point comes before the second
				ip = unsafe.Add(ip, isa.WordSize)
				goto top
			}
			left--
			e2 := (*dinst)(unsafe.Add(ip, isa.WordSize))
			r[isa.RegLR] = s.cbase + pcOff(ip, s) + 2*isa.WordSize
			ip = unsafe.Add(ip, isa.WordSize+int(e2.imm)<<3)
			goto top
		case fMovCall:
			left--
			r[e.a] = r[e.b]
			if left == 0 { // a pause point comes before the second
				ip = unsafe.Add(ip, isa.WordSize)
				goto top
			}
			left--
			e2 := (*dinst)(unsafe.Add(ip, isa.WordSize))
			r[isa.RegLR] = s.cbase + pcOff(ip, s) + 2*isa.WordSize
			ip = unsafe.Add(ip, isa.WordSize+int(e2.imm)<<3)
			goto top
		case fFmulFmul:
			left--
			rf[e.a] = rf[e.b] * rf[e.c]
			if left == 0 { // a pause point comes before the second
				ip = unsafe.Add(ip, isa.WordSize)
				goto top
			}
			left--
			e2 := (*dinst)(unsafe.Add(ip, isa.WordSize))
			rf[e2.a] = rf[e2.b] * rf[e2.c]
			ip = unsafe.Add(ip, 2*isa.WordSize)
			goto top
		case fFmulFadd:
			left--
			rf[e.a] = rf[e.b] * rf[e.c]
			if left == 0 { // a pause point comes before the second
				ip = unsafe.Add(ip, isa.WordSize)
				goto top
			}
			left--
			e2 := (*dinst)(unsafe.Add(ip, isa.WordSize))
			rf[e2.a] = rf[e2.b] + rf[e2.c]
			ip = unsafe.Add(ip, 2*isa.WordSize)
			goto top
		case fLeaveRet:
			left--
			fp := r[isa.RegFP]
			o := fp - s.stk.base
			if o > s.stk.lim-8 {
				goto slow
			}
			m = unsafe.Add(s.stk.ptr, o)
			r[isa.RegSP] = fp + 16
			if directMem {
				r[isa.RegFP] = (*[2]uint64)(m)[0]
				r[isa.RegLR] = (*[2]uint64)(m)[1]
			} else {
				r[isa.RegFP] = binary.LittleEndian.Uint64((*[16]byte)(m)[:])
				r[isa.RegLR] = binary.LittleEndian.Uint64((*[16]byte)(m)[8:])
			}
			if left == 0 { // a pause point comes before the second
				ip = unsafe.Add(ip, isa.WordSize)
				goto top
			}
			left--
			ip = unsafe.Add(ip, isa.WordSize)
			to = r[isa.RegLR]
			goto jump
		case fLd64Ld64:
			left--
			addr := r[e.b] + uint64(int64(e.imm))
			if o := addr - s.stk.base; o <= s.stk.lim {
				m = unsafe.Add(s.stk.ptr, o)
			} else if o := addr - s.rd[0].base; o <= s.rd[0].lim {
				m = unsafe.Add(s.rd[0].ptr, o)
			} else if o := addr - s.rd[1].base; o <= s.rd[1].lim {
				m = unsafe.Add(s.rd[1].ptr, o)
			} else {
				goto slow
			}
			if directMem {
				r[e.a] = *(*uint64)(m)
			} else {
				r[e.a] = binary.LittleEndian.Uint64((*[8]byte)(m)[:])
			}
			if left == 0 { // a pause point comes before the second
				ip = unsafe.Add(ip, isa.WordSize)
				goto top
			}
			left--
			ip = unsafe.Add(ip, isa.WordSize)
			e = (*dinst)(ip)
			addr = r[e.b] + uint64(int64(e.imm))
			if o := addr - s.stk.base; o <= s.stk.lim {
				m = unsafe.Add(s.stk.ptr, o)
			} else if o := addr - s.rd[0].base; o <= s.rd[0].lim {
				m = unsafe.Add(s.rd[0].ptr, o)
			} else if o := addr - s.rd[1].base; o <= s.rd[1].lim {
				m = unsafe.Add(s.rd[1].ptr, o)
			} else {
				goto slow
			}
			if directMem {
				r[e.a] = *(*uint64)(m)
			} else {
				r[e.a] = binary.LittleEndian.Uint64((*[8]byte)(m)[:])
			}
			ip = unsafe.Add(ip, isa.WordSize)
			goto top
		case fSt64St64:
			left--
			addr := r[e.b] + uint64(int64(e.imm))
			if o := addr - s.stk.base; o <= s.stk.lim {
				m = unsafe.Add(s.stk.ptr, o)
			} else if o := addr - s.wr[0].base; o <= s.wr[0].lim {
				m = unsafe.Add(s.wr[0].ptr, o)
			} else if o := addr - s.wr[1].base; o <= s.wr[1].lim {
				m = unsafe.Add(s.wr[1].ptr, o)
			} else {
				goto slow
			}
			if directMem {
				*(*uint64)(m) = r[e.a]
			} else {
				binary.LittleEndian.PutUint64((*[8]byte)(m)[:], r[e.a])
			}
			if left == 0 { // a pause point comes before the second
				ip = unsafe.Add(ip, isa.WordSize)
				goto top
			}
			left--
			ip = unsafe.Add(ip, isa.WordSize)
			e = (*dinst)(ip)
			addr = r[e.b] + uint64(int64(e.imm))
			if o := addr - s.stk.base; o <= s.stk.lim {
				m = unsafe.Add(s.stk.ptr, o)
			} else if o := addr - s.wr[0].base; o <= s.wr[0].lim {
				m = unsafe.Add(s.wr[0].ptr, o)
			} else if o := addr - s.wr[1].base; o <= s.wr[1].lim {
				m = unsafe.Add(s.wr[1].ptr, o)
			} else {
				goto slow
			}
			if directMem {
				*(*uint64)(m) = r[e.a]
			} else {
				binary.LittleEndian.PutUint64((*[8]byte)(m)[:], r[e.a])
			}
			ip = unsafe.Add(ip, isa.WordSize)
			goto top
		case fSt8Add:
			left--
			addr := r[e.b] + uint64(int64(e.imm))
			if o := addr - s.stk.base; o <= s.stk.lim {
				m = unsafe.Add(s.stk.ptr, o)
			} else if o := addr - s.wr[0].base; o <= s.wr[0].lim {
				m = unsafe.Add(s.wr[0].ptr, o)
			} else if o := addr - s.wr[1].base; o <= s.wr[1].lim {
				m = unsafe.Add(s.wr[1].ptr, o)
			} else {
				goto slow
			}
			*(*uint8)(m) = uint8(r[e.a])
			if left == 0 { // a pause point comes before the second
				ip = unsafe.Add(ip, isa.WordSize)
				goto top
			}
			left--
			e2 := (*dinst)(unsafe.Add(ip, isa.WordSize))
			r[e2.a] = r[e2.b] + r[e2.c]
			ip = unsafe.Add(ip, 2*isa.WordSize)
			goto top
		case fSt8Addi:
			left--
			addr := r[e.b] + uint64(int64(e.imm))
			if o := addr - s.stk.base; o <= s.stk.lim {
				m = unsafe.Add(s.stk.ptr, o)
			} else if o := addr - s.wr[0].base; o <= s.wr[0].lim {
				m = unsafe.Add(s.wr[0].ptr, o)
			} else if o := addr - s.wr[1].base; o <= s.wr[1].lim {
				m = unsafe.Add(s.wr[1].ptr, o)
			} else {
				goto slow
			}
			*(*uint8)(m) = uint8(r[e.a])
			if left == 0 { // a pause point comes before the second
				ip = unsafe.Add(ip, isa.WordSize)
				goto top
			}
			left--
			e2 := (*dinst)(unsafe.Add(ip, isa.WordSize))
			r[e2.a] = r[e2.b] + uint64(int64(e2.imm))
			ip = unsafe.Add(ip, 2*isa.WordSize)
			goto top
		case fLd64Fmul:
			left--
			addr := r[e.b] + uint64(int64(e.imm))
			if o := addr - s.stk.base; o <= s.stk.lim {
				m = unsafe.Add(s.stk.ptr, o)
			} else if o := addr - s.rd[0].base; o <= s.rd[0].lim {
				m = unsafe.Add(s.rd[0].ptr, o)
			} else if o := addr - s.rd[1].base; o <= s.rd[1].lim {
				m = unsafe.Add(s.rd[1].ptr, o)
			} else {
				goto slow
			}
			if directMem {
				r[e.a] = *(*uint64)(m)
			} else {
				r[e.a] = binary.LittleEndian.Uint64((*[8]byte)(m)[:])
			}
			if left == 0 { // a pause point comes before the second
				ip = unsafe.Add(ip, isa.WordSize)
				goto top
			}
			left--
			e2 := (*dinst)(unsafe.Add(ip, isa.WordSize))
			rf[e2.a] = rf[e2.b] * rf[e2.c]
			ip = unsafe.Add(ip, 2*isa.WordSize)
			goto top

		case fLdpcJr:
			left--
			addr := s.cbase + pcOff(ip, s) + uint64(int64(e.imm))
			if o := addr - s.lit[0].base; o <= s.lit[0].lim {
				m = unsafe.Add(s.lit[0].ptr, o)
			} else if o := addr - s.lit[1].base; o <= s.lit[1].lim {
				m = unsafe.Add(s.lit[1].ptr, o)
			} else {
				goto slow
			}
			if directMem {
				r[e.a] = *(*uint64)(m)
			} else {
				r[e.a] = binary.LittleEndian.Uint64((*[8]byte)(m)[:])
			}
			if left == 0 { // a pause point comes before the second
				ip = unsafe.Add(ip, isa.WordSize)
				goto top
			}
			left--
			e2 := (*dinst)(unsafe.Add(ip, isa.WordSize))
			to = r[e2.a]
			ip = unsafe.Add(ip, isa.WordSize)
			goto jump
		case fItofFdiv:
			left--
			rf[e.a] = float64(int64(r[e.b]))
			if left == 0 { // a pause point comes before the second
				ip = unsafe.Add(ip, isa.WordSize)
				goto top
			}
			left--
			e2 := (*dinst)(unsafe.Add(ip, isa.WordSize))
			rf[e2.a] = rf[e2.b] / rf[e2.c]
			ip = unsafe.Add(ip, 2*isa.WordSize)
			goto top
		case fAddAddi:
			left--
			r[e.a] = r[e.b] + r[e.c]
			if left == 0 { // a pause point comes before the second
				ip = unsafe.Add(ip, isa.WordSize)
				goto top
			}
			left--
			e2 := (*dinst)(unsafe.Add(ip, isa.WordSize))
			r[e2.a] = r[e2.b] + uint64(int64(e2.imm))
			ip = unsafe.Add(ip, 2*isa.WordSize)
			goto top
		case fFaddAdd:
			left--
			rf[e.a] = rf[e.b] + rf[e.c]
			if left == 0 { // a pause point comes before the second
				ip = unsafe.Add(ip, isa.WordSize)
				goto top
			}
			left--
			e2 := (*dinst)(unsafe.Add(ip, isa.WordSize))
			r[e2.a] = r[e2.b] + r[e2.c]
			ip = unsafe.Add(ip, 2*isa.WordSize)
			goto top
		case fFsubFmul:
			left--
			rf[e.a] = rf[e.b] - rf[e.c]
			if left == 0 { // a pause point comes before the second
				ip = unsafe.Add(ip, isa.WordSize)
				goto top
			}
			left--
			e2 := (*dinst)(unsafe.Add(ip, isa.WordSize))
			rf[e2.a] = rf[e2.b] * rf[e2.c]
			ip = unsafe.Add(ip, 2*isa.WordSize)
			goto top
		case fFaddFmul:
			left--
			rf[e.a] = rf[e.b] + rf[e.c]
			if left == 0 { // a pause point comes before the second
				ip = unsafe.Add(ip, isa.WordSize)
				goto top
			}
			left--
			e2 := (*dinst)(unsafe.Add(ip, isa.WordSize))
			rf[e2.a] = rf[e2.b] * rf[e2.c]
			ip = unsafe.Add(ip, 2*isa.WordSize)
			goto top
		case fLd64Fsub:
			left--
			addr := r[e.b] + uint64(int64(e.imm))
			if o := addr - s.stk.base; o <= s.stk.lim {
				m = unsafe.Add(s.stk.ptr, o)
			} else if o := addr - s.rd[0].base; o <= s.rd[0].lim {
				m = unsafe.Add(s.rd[0].ptr, o)
			} else if o := addr - s.rd[1].base; o <= s.rd[1].lim {
				m = unsafe.Add(s.rd[1].ptr, o)
			} else {
				goto slow
			}
			if directMem {
				r[e.a] = *(*uint64)(m)
			} else {
				r[e.a] = binary.LittleEndian.Uint64((*[8]byte)(m)[:])
			}
			if left == 0 { // a pause point comes before the second
				ip = unsafe.Add(ip, isa.WordSize)
				goto top
			}
			left--
			e2 := (*dinst)(unsafe.Add(ip, isa.WordSize))
			rf[e2.a] = rf[e2.b] - rf[e2.c]
			ip = unsafe.Add(ip, 2*isa.WordSize)
			goto top
		case fFaddSt64:
			left--
			rf[e.a] = rf[e.b] + rf[e.c]
			if left == 0 { // a pause point comes before the second
				ip = unsafe.Add(ip, isa.WordSize)
				goto top
			}
			left--
			e = (*dinst)(unsafe.Add(ip, isa.WordSize))
			addr := r[e.b] + uint64(int64(e.imm))
			if o := addr - s.stk.base; o <= s.stk.lim {
				m = unsafe.Add(s.stk.ptr, o)
			} else if o := addr - s.wr[0].base; o <= s.wr[0].lim {
				m = unsafe.Add(s.wr[0].ptr, o)
			} else if o := addr - s.wr[1].base; o <= s.wr[1].lim {
				m = unsafe.Add(s.wr[1].ptr, o)
			} else {
				ip = unsafe.Add(ip, isa.WordSize)
				goto slow
			}
			if directMem {
				*(*uint64)(m) = r[e.a]
			} else {
				binary.LittleEndian.PutUint64((*[8]byte)(m)[:], r[e.a])
			}
			ip = unsafe.Add(ip, 2*isa.WordSize)
			goto top
		case fEnterSt64:
			left--
			fp := r[isa.RegSP] - 16
			o := fp - s.stk.base
			if o > s.stk.lim-8 {
				goto slow
			}
			m = unsafe.Add(s.stk.ptr, o)
			if directMem {
				(*[2]uint64)(m)[1] = r[isa.RegLR]
				(*[2]uint64)(m)[0] = r[isa.RegFP]
			} else {
				binary.LittleEndian.PutUint64((*[16]byte)(m)[8:], r[isa.RegLR])
				binary.LittleEndian.PutUint64((*[16]byte)(m)[:], r[isa.RegFP])
			}
			r[isa.RegFP] = fp
			r[isa.RegSP] = fp - uint64(int64(e.imm))
			if left == 0 { // a pause point comes before the second
				ip = unsafe.Add(ip, isa.WordSize)
				goto top
			}
			left--
			e = (*dinst)(unsafe.Add(ip, isa.WordSize))
			addr := r[e.b] + uint64(int64(e.imm))
			if o := addr - s.stk.base; o <= s.stk.lim {
				m = unsafe.Add(s.stk.ptr, o)
			} else if o := addr - s.wr[0].base; o <= s.wr[0].lim {
				m = unsafe.Add(s.wr[0].ptr, o)
			} else if o := addr - s.wr[1].base; o <= s.wr[1].lim {
				m = unsafe.Add(s.wr[1].ptr, o)
			} else {
				ip = unsafe.Add(ip, isa.WordSize)
				goto slow
			}
			if directMem {
				*(*uint64)(m) = r[e.a]
			} else {
				binary.LittleEndian.PutUint64((*[8]byte)(m)[:], r[e.a])
			}
			ip = unsafe.Add(ip, 2*isa.WordSize)
			goto top
		case fLd8uSt8:
			left--
			addr := r[e.b] + uint64(int64(e.imm))
			if o := addr - s.stk.base; o <= s.stk.lim {
				m = unsafe.Add(s.stk.ptr, o)
			} else if o := addr - s.rd[0].base; o <= s.rd[0].lim {
				m = unsafe.Add(s.rd[0].ptr, o)
			} else if o := addr - s.rd[1].base; o <= s.rd[1].lim {
				m = unsafe.Add(s.rd[1].ptr, o)
			} else {
				goto slow
			}
			r[e.a] = uint64(*(*uint8)(m))
			if left == 0 { // a pause point comes before the second
				ip = unsafe.Add(ip, isa.WordSize)
				goto top
			}
			left--
			e = (*dinst)(unsafe.Add(ip, isa.WordSize))
			addr = r[e.b] + uint64(int64(e.imm))
			if o := addr - s.stk.base; o <= s.stk.lim {
				m = unsafe.Add(s.stk.ptr, o)
			} else if o := addr - s.wr[0].base; o <= s.wr[0].lim {
				m = unsafe.Add(s.wr[0].ptr, o)
			} else if o := addr - s.wr[1].base; o <= s.wr[1].lim {
				m = unsafe.Add(s.wr[1].ptr, o)
			} else {
				ip = unsafe.Add(ip, isa.WordSize)
				goto slow
			}
			*(*uint8)(m) = uint8(r[e.a])
			ip = unsafe.Add(ip, 2*isa.WordSize)
			goto top
		case fLd8uLd8u:
			left--
			addr := r[e.b] + uint64(int64(e.imm))
			if o := addr - s.stk.base; o <= s.stk.lim {
				m = unsafe.Add(s.stk.ptr, o)
			} else if o := addr - s.rd[0].base; o <= s.rd[0].lim {
				m = unsafe.Add(s.rd[0].ptr, o)
			} else if o := addr - s.rd[1].base; o <= s.rd[1].lim {
				m = unsafe.Add(s.rd[1].ptr, o)
			} else {
				goto slow
			}
			r[e.a] = uint64(*(*uint8)(m))
			if left == 0 { // a pause point comes before the second
				ip = unsafe.Add(ip, isa.WordSize)
				goto top
			}
			left--
			e = (*dinst)(unsafe.Add(ip, isa.WordSize))
			addr = r[e.b] + uint64(int64(e.imm))
			if o := addr - s.stk.base; o <= s.stk.lim {
				m = unsafe.Add(s.stk.ptr, o)
			} else if o := addr - s.rd[0].base; o <= s.rd[0].lim {
				m = unsafe.Add(s.rd[0].ptr, o)
			} else if o := addr - s.rd[1].base; o <= s.rd[1].lim {
				m = unsafe.Add(s.rd[1].ptr, o)
			} else {
				ip = unsafe.Add(ip, isa.WordSize)
				goto slow
			}
			r[e.a] = uint64(*(*uint8)(m))
			ip = unsafe.Add(ip, 2*isa.WordSize)
			goto top
		case fSt8St8:
			left--
			addr := r[e.b] + uint64(int64(e.imm))
			if o := addr - s.stk.base; o <= s.stk.lim {
				m = unsafe.Add(s.stk.ptr, o)
			} else if o := addr - s.wr[0].base; o <= s.wr[0].lim {
				m = unsafe.Add(s.wr[0].ptr, o)
			} else if o := addr - s.wr[1].base; o <= s.wr[1].lim {
				m = unsafe.Add(s.wr[1].ptr, o)
			} else {
				goto slow
			}
			*(*uint8)(m) = uint8(r[e.a])
			if left == 0 { // a pause point comes before the second
				ip = unsafe.Add(ip, isa.WordSize)
				goto top
			}
			left--
			e = (*dinst)(unsafe.Add(ip, isa.WordSize))
			addr = r[e.b] + uint64(int64(e.imm))
			if o := addr - s.stk.base; o <= s.stk.lim {
				m = unsafe.Add(s.stk.ptr, o)
			} else if o := addr - s.wr[0].base; o <= s.wr[0].lim {
				m = unsafe.Add(s.wr[0].ptr, o)
			} else if o := addr - s.wr[1].base; o <= s.wr[1].lim {
				m = unsafe.Add(s.wr[1].ptr, o)
			} else {
				ip = unsafe.Add(ip, isa.WordSize)
				goto slow
			}
			*(*uint8)(m) = uint8(r[e.a])
			ip = unsafe.Add(ip, 2*isa.WordSize)
			goto top

		case fSt64Mov:
			left--
			addr := r[e.b] + uint64(int64(e.imm))
			if o := addr - s.stk.base; o <= s.stk.lim {
				m = unsafe.Add(s.stk.ptr, o)
			} else if o := addr - s.wr[0].base; o <= s.wr[0].lim {
				m = unsafe.Add(s.wr[0].ptr, o)
			} else if o := addr - s.wr[1].base; o <= s.wr[1].lim {
				m = unsafe.Add(s.wr[1].ptr, o)
			} else {
				goto slow
			}
			if directMem {
				*(*uint64)(m) = r[e.a]
			} else {
				binary.LittleEndian.PutUint64((*[8]byte)(m)[:], r[e.a])
			}
			if left == 0 { // a pause point comes before the second
				ip = unsafe.Add(ip, isa.WordSize)
				goto top
			}
			left--
			e = (*dinst)(unsafe.Add(ip, isa.WordSize))
			r[e.a] = r[e.b]
			ip = unsafe.Add(ip, 2*isa.WordSize)
			goto top
		case fAddLd64:
			left--
			r[e.a] = r[e.b] + r[e.c]
			if left == 0 { // a pause point comes before the second
				ip = unsafe.Add(ip, isa.WordSize)
				goto top
			}
			left--
			e = (*dinst)(unsafe.Add(ip, isa.WordSize))
			addr := r[e.b] + uint64(int64(e.imm))
			if o := addr - s.stk.base; o <= s.stk.lim {
				m = unsafe.Add(s.stk.ptr, o)
			} else if o := addr - s.rd[0].base; o <= s.rd[0].lim {
				m = unsafe.Add(s.rd[0].ptr, o)
			} else if o := addr - s.rd[1].base; o <= s.rd[1].lim {
				m = unsafe.Add(s.rd[1].ptr, o)
			} else {
				ip = unsafe.Add(ip, isa.WordSize)
				goto slow
			}
			if directMem {
				r[e.a] = *(*uint64)(m)
			} else {
				r[e.a] = binary.LittleEndian.Uint64((*[8]byte)(m)[:])
			}
			ip = unsafe.Add(ip, 2*isa.WordSize)
			goto top
		case fLd64Beqz:
			left--
			addr := r[e.b] + uint64(int64(e.imm))
			if o := addr - s.stk.base; o <= s.stk.lim {
				m = unsafe.Add(s.stk.ptr, o)
			} else if o := addr - s.rd[0].base; o <= s.rd[0].lim {
				m = unsafe.Add(s.rd[0].ptr, o)
			} else if o := addr - s.rd[1].base; o <= s.rd[1].lim {
				m = unsafe.Add(s.rd[1].ptr, o)
			} else {
				goto slow
			}
			if directMem {
				r[e.a] = *(*uint64)(m)
			} else {
				r[e.a] = binary.LittleEndian.Uint64((*[8]byte)(m)[:])
			}
			if left == 0 { // a pause point comes before the second
				ip = unsafe.Add(ip, isa.WordSize)
				goto top
			}
			left--
			e = (*dinst)(unsafe.Add(ip, isa.WordSize))
			if r[e.a] == 0 {
				ip = unsafe.Add(ip, isa.WordSize+int(e.imm)<<3)
				goto top
			}
			ip = unsafe.Add(ip, 2*isa.WordSize)
			goto top
		case fLd64St64:
			left--
			addr := r[e.b] + uint64(int64(e.imm))
			if o := addr - s.stk.base; o <= s.stk.lim {
				m = unsafe.Add(s.stk.ptr, o)
			} else if o := addr - s.rd[0].base; o <= s.rd[0].lim {
				m = unsafe.Add(s.rd[0].ptr, o)
			} else if o := addr - s.rd[1].base; o <= s.rd[1].lim {
				m = unsafe.Add(s.rd[1].ptr, o)
			} else {
				goto slow
			}
			if directMem {
				r[e.a] = *(*uint64)(m)
			} else {
				r[e.a] = binary.LittleEndian.Uint64((*[8]byte)(m)[:])
			}
			if left == 0 { // a pause point comes before the second
				ip = unsafe.Add(ip, isa.WordSize)
				goto top
			}
			left--
			e = (*dinst)(unsafe.Add(ip, isa.WordSize))
			addr = r[e.b] + uint64(int64(e.imm))
			if o := addr - s.stk.base; o <= s.stk.lim {
				m = unsafe.Add(s.stk.ptr, o)
			} else if o := addr - s.wr[0].base; o <= s.wr[0].lim {
				m = unsafe.Add(s.wr[0].ptr, o)
			} else if o := addr - s.wr[1].base; o <= s.wr[1].lim {
				m = unsafe.Add(s.wr[1].ptr, o)
			} else {
				ip = unsafe.Add(ip, isa.WordSize)
				goto slow
			}
			if directMem {
				*(*uint64)(m) = r[e.a]
			} else {
				binary.LittleEndian.PutUint64((*[8]byte)(m)[:], r[e.a])
			}
			ip = unsafe.Add(ip, 2*isa.WordSize)
			goto top
		case fMovLd64:
			left--
			r[e.a] = r[e.b]
			if left == 0 { // a pause point comes before the second
				ip = unsafe.Add(ip, isa.WordSize)
				goto top
			}
			left--
			e = (*dinst)(unsafe.Add(ip, isa.WordSize))
			addr := r[e.b] + uint64(int64(e.imm))
			if o := addr - s.stk.base; o <= s.stk.lim {
				m = unsafe.Add(s.stk.ptr, o)
			} else if o := addr - s.rd[0].base; o <= s.rd[0].lim {
				m = unsafe.Add(s.rd[0].ptr, o)
			} else if o := addr - s.rd[1].base; o <= s.rd[1].lim {
				m = unsafe.Add(s.rd[1].ptr, o)
			} else {
				ip = unsafe.Add(ip, isa.WordSize)
				goto slow
			}
			if directMem {
				r[e.a] = *(*uint64)(m)
			} else {
				r[e.a] = binary.LittleEndian.Uint64((*[8]byte)(m)[:])
			}
			ip = unsafe.Add(ip, 2*isa.WordSize)
			goto top
		case fLiMov:
			left--
			r[e.a] = uint64(int64(e.imm))
			if left == 0 { // a pause point comes before the second
				ip = unsafe.Add(ip, isa.WordSize)
				goto top
			}
			left--
			e = (*dinst)(unsafe.Add(ip, isa.WordSize))
			r[e.a] = r[e.b]
			ip = unsafe.Add(ip, 2*isa.WordSize)
			goto top
		case fShliAdd:
			left--
			r[e.a] = r[e.b] << (uint64(int64(e.imm)) & 63)
			if left == 0 { // a pause point comes before the second
				ip = unsafe.Add(ip, isa.WordSize)
				goto top
			}
			left--
			e = (*dinst)(unsafe.Add(ip, isa.WordSize))
			r[e.a] = r[e.b] + r[e.c]
			ip = unsafe.Add(ip, 2*isa.WordSize)
			goto top
		case fLd64Add:
			left--
			addr := r[e.b] + uint64(int64(e.imm))
			if o := addr - s.stk.base; o <= s.stk.lim {
				m = unsafe.Add(s.stk.ptr, o)
			} else if o := addr - s.rd[0].base; o <= s.rd[0].lim {
				m = unsafe.Add(s.rd[0].ptr, o)
			} else if o := addr - s.rd[1].base; o <= s.rd[1].lim {
				m = unsafe.Add(s.rd[1].ptr, o)
			} else {
				goto slow
			}
			if directMem {
				r[e.a] = *(*uint64)(m)
			} else {
				r[e.a] = binary.LittleEndian.Uint64((*[8]byte)(m)[:])
			}
			if left == 0 { // a pause point comes before the second
				ip = unsafe.Add(ip, isa.WordSize)
				goto top
			}
			left--
			e = (*dinst)(unsafe.Add(ip, isa.WordSize))
			r[e.a] = r[e.b] + r[e.c]
			ip = unsafe.Add(ip, 2*isa.WordSize)
			goto top

		case fFmulFsub:
			left--
			rf[e.a] = rf[e.b] * rf[e.c]
			if left == 0 { // a pause point comes before the second
				ip = unsafe.Add(ip, isa.WordSize)
				goto top
			}
			left--
			e = (*dinst)(unsafe.Add(ip, isa.WordSize))
			rf[e.a] = rf[e.b] - rf[e.c]
			ip = unsafe.Add(ip, 2*isa.WordSize)
			goto top
		case fLd64Fadd:
			left--
			addr := r[e.b] + uint64(int64(e.imm))
			if o := addr - s.stk.base; o <= s.stk.lim {
				m = unsafe.Add(s.stk.ptr, o)
			} else if o := addr - s.rd[0].base; o <= s.rd[0].lim {
				m = unsafe.Add(s.rd[0].ptr, o)
			} else if o := addr - s.rd[1].base; o <= s.rd[1].lim {
				m = unsafe.Add(s.rd[1].ptr, o)
			} else {
				goto slow
			}
			if directMem {
				r[e.a] = *(*uint64)(m)
			} else {
				r[e.a] = binary.LittleEndian.Uint64((*[8]byte)(m)[:])
			}
			if left == 0 { // a pause point comes before the second
				ip = unsafe.Add(ip, isa.WordSize)
				goto top
			}
			left--
			e = (*dinst)(unsafe.Add(ip, isa.WordSize))
			rf[e.a] = rf[e.b] + rf[e.c]
			ip = unsafe.Add(ip, 2*isa.WordSize)
			goto top
		case fSt64Addi:
			left--
			addr := r[e.b] + uint64(int64(e.imm))
			if o := addr - s.stk.base; o <= s.stk.lim {
				m = unsafe.Add(s.stk.ptr, o)
			} else if o := addr - s.wr[0].base; o <= s.wr[0].lim {
				m = unsafe.Add(s.wr[0].ptr, o)
			} else if o := addr - s.wr[1].base; o <= s.wr[1].lim {
				m = unsafe.Add(s.wr[1].ptr, o)
			} else {
				goto slow
			}
			if directMem {
				*(*uint64)(m) = r[e.a]
			} else {
				binary.LittleEndian.PutUint64((*[8]byte)(m)[:], r[e.a])
			}
			if left == 0 { // a pause point comes before the second
				ip = unsafe.Add(ip, isa.WordSize)
				goto top
			}
			left--
			e = (*dinst)(unsafe.Add(ip, isa.WordSize))
			r[e.a] = r[e.b] + uint64(int64(e.imm))
			ip = unsafe.Add(ip, 2*isa.WordSize)
			goto top
		case fAddLd8u:
			left--
			r[e.a] = r[e.b] + r[e.c]
			if left == 0 { // a pause point comes before the second
				ip = unsafe.Add(ip, isa.WordSize)
				goto top
			}
			left--
			e = (*dinst)(unsafe.Add(ip, isa.WordSize))
			addr := r[e.b] + uint64(int64(e.imm))
			if o := addr - s.stk.base; o <= s.stk.lim {
				m = unsafe.Add(s.stk.ptr, o)
			} else if o := addr - s.rd[0].base; o <= s.rd[0].lim {
				m = unsafe.Add(s.rd[0].ptr, o)
			} else if o := addr - s.rd[1].base; o <= s.rd[1].lim {
				m = unsafe.Add(s.rd[1].ptr, o)
			} else {
				ip = unsafe.Add(ip, isa.WordSize)
				goto slow
			}
			r[e.a] = uint64(*(*uint8)(m))
			ip = unsafe.Add(ip, 2*isa.WordSize)
			goto top
		case fMovAdd:
			left--
			r[e.a] = r[e.b]
			if left == 0 { // a pause point comes before the second
				ip = unsafe.Add(ip, isa.WordSize)
				goto top
			}
			left--
			e = (*dinst)(unsafe.Add(ip, isa.WordSize))
			r[e.a] = r[e.b] + r[e.c]
			ip = unsafe.Add(ip, 2*isa.WordSize)
			goto top
		case fLiOr:
			left--
			r[e.a] = uint64(int64(e.imm))
			if left == 0 { // a pause point comes before the second
				ip = unsafe.Add(ip, isa.WordSize)
				goto top
			}
			left--
			e = (*dinst)(unsafe.Add(ip, isa.WordSize))
			r[e.a] = r[e.b] | r[e.c]
			ip = unsafe.Add(ip, 2*isa.WordSize)
			goto top

		default:
			left--
			// exec runs halt, trap, sys and the illegal opcodes, and the
			// instructions that would cost run more than they gain: the
			// divisions (x86 divides in fixed registers, which would cost
			// every instruction register moves) and the roundings
			// (math.Floor and friends may be calls).
			goto slow
		}

	branch: // a conditional branch is taken, to its own segment
		ip = unsafe.Add(ip, int(e.imm)<<3)
		goto top

	jump: // to the address to, from the instruction at ip
		if k := bits.RotateLeft64(to-s.cbase, -3); k < s.nw {
			ip = unsafe.Add(s.dec, k<<3)
			goto top
		}
		from = s.cbase + pcOff(ip, s)

	far: // control goes from the instruction at from to the address to
		{
			// Another segment: a call into another module or its PLT, a
			// return. The table is short (exec narrows long ones down).
			tab := p.as.code
			k := 0
			if len(tab) > linearCodeSegs {
				k = len(tab)
			}
			for k < len(tab) && bits.RotateLeft64(to-tab[k].base, -3) >= tab[k].nw {
				k++
			}
			if k == len(tab) {
				s.from, s.to, s.left = from, to, left
				copy(p.regs[:], r[:isa.NumRegs])
				return evFar
			}
			c := &tab[k]
			s.dec, s.raw, s.cbase, s.nw = c.dec, c.raw, c.base, c.nw
			ip = unsafe.Add(c.dec, (to-c.base)&^(isa.WordSize-1))
			goto top
		}

	slow: // exec runs the instruction at ip
		s.i, s.left = pcOff(ip, s)/isa.WordSize+1, left
		copy(p.regs[:], r[:isa.NumRegs])
		return evSlow

	pause: // before the instruction at ip
		s.i, s.left = pcOff(ip, s)/isa.WordSize, 0
		copy(p.regs[:], r[:isa.NumRegs])
		return evPause
	}
}

// pcOff is the offset in its segment of the instruction at ip in the
// segment's decoded form s.dec: the same as in the decoded form, which
// has one 8-byte entry per word.
func pcOff(ip unsafe.Pointer, s *execState) uint64 {
	return uint64(uintptr(ip) - uintptr(s.dec))
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
