package gen

import (
	"fmt"
	"strings"

	"linkvm/vm/isa"
)

// Halves are how run executes each instruction, in the order of its
// switch (the order changes where the cases fall in the machine code, and
// so the loop's speed: see docs/performance.md). The bodies use run's
// variables: e the decoded entry, r and rf the registers as integers and
// floats, s the execState, m a pointer into host memory, to for the
// jump labels; and the placeholders ePC, eAt and eOp (see
// Half.Body). Every instruction the instruction set defines has a half
// or is in ExecOnly.
var Halves = []Half{
	{Ops: ops(isa.HALT, isa.TRAP, isa.SYS), Decoded: "dSlow", Body: "goto slow"},
	{Ops: ops(isa.NOP), Next: 1},
	{Ops: ops(isa.MOV), Next: 1, Body: "r[e.a] = r[e.b]"},
	{Ops: ops(isa.LI), Next: 1, Body: "r[e.a] = uint64(int64(e.imm))"},
	{Ops: ops(isa.LI64), Next: 2, Note: "decoded as dSlow when no word follows the constant", Body: `
		if directMem {
			r[e.a] = *(*uint64)(unsafe.Add(cs.raw, ePC+isa.WordSize))
		} else {
			r[e.a] = binary.LittleEndian.Uint64((*[8]byte)(unsafe.Add(cs.raw, ePC+isa.WordSize))[:])
		}`},
	{Ops: ops(isa.LEA), Next: 1, Body: "r[e.a] = cs.base + ePC + uint64(int64(e.imm))"},

	{Ops: ops(isa.ADD), Next: 1, Comment: "Arithmetic and logic on the registers as integers.", Body: "r[e.a] = r[e.b] + r[e.c]"},
	{Ops: ops(isa.SUB), Next: 1, Body: "r[e.a] = r[e.b] - r[e.c]"},
	{Ops: ops(isa.MUL), Next: 1, Body: "r[e.a] = r[e.b] * r[e.c]"},
	{Ops: ops(isa.AND), Next: 1, Body: "r[e.a] = r[e.b] & r[e.c]"},
	{Ops: ops(isa.OR), Next: 1, Body: "r[e.a] = r[e.b] | r[e.c]"},
	{Ops: ops(isa.XOR), Next: 1, Body: "r[e.a] = r[e.b] ^ r[e.c]"},
	{Ops: ops(isa.SHL), Next: 1, Body: "r[e.a] = r[e.b] << (r[e.c] & 63)"},
	{Ops: ops(isa.SHR), Next: 1, Body: "r[e.a] = r[e.b] >> (r[e.c] & 63)"},
	{Ops: ops(isa.SAR), Next: 1, Body: "r[e.a] = uint64(int64(r[e.b]) >> (r[e.c] & 63))"},
	{Ops: ops(isa.ADDI), Next: 1, Body: "r[e.a] = r[e.b] + uint64(int64(e.imm))"},
	{Ops: ops(isa.MULI), Next: 1, Body: "r[e.a] = r[e.b] * uint64(int64(e.imm))"},
	{Ops: ops(isa.ANDI), Next: 1, Body: "r[e.a] = r[e.b] & uint64(int64(e.imm))"},
	{Ops: ops(isa.ORI), Next: 1, Body: "r[e.a] = r[e.b] | uint64(int64(e.imm))"},
	{Ops: ops(isa.XORI), Next: 1, Body: "r[e.a] = r[e.b] ^ uint64(int64(e.imm))"},
	{Ops: ops(isa.SHLI), Next: 1, Body: "r[e.a] = r[e.b] << (uint64(int64(e.imm)) & 63)"},
	{Ops: ops(isa.SHRI), Next: 1, Body: "r[e.a] = r[e.b] >> (uint64(int64(e.imm)) & 63)"},
	{Ops: ops(isa.SARI), Next: 1, Body: "r[e.a] = uint64(int64(r[e.b]) >> (uint64(int64(e.imm)) & 63))"},
	{Ops: ops(isa.NOT), Next: 1, Body: "r[e.a] = ^r[e.b]"},
	{Ops: ops(isa.NEG), Next: 1, Body: "r[e.a] = -r[e.b]"},

	{Ops: ops(isa.SEQ), Next: 1, Comment: "Comparisons: 1 if true, else 0.", Body: "r[e.a] = b2u(r[e.b] == r[e.c])"},
	{Ops: ops(isa.SNE), Next: 1, Body: "r[e.a] = b2u(r[e.b] != r[e.c])"},
	{Ops: ops(isa.SLT), Next: 1, Body: "r[e.a] = b2u(int64(r[e.b]) < int64(r[e.c]))"},
	{Ops: ops(isa.SLE), Next: 1, Body: "r[e.a] = b2u(int64(r[e.b]) <= int64(r[e.c]))"},
	{Ops: ops(isa.SLTU), Next: 1, Body: "r[e.a] = b2u(r[e.b] < r[e.c])"},
	{Ops: ops(isa.SLEU), Next: 1, Body: "r[e.a] = b2u(r[e.b] <= r[e.c])"},
	{Ops: ops(isa.SEQI), Next: 1, Body: "r[e.a] = b2u(r[e.b] == uint64(int64(e.imm)))"},
	{Ops: ops(isa.SNEI), Next: 1, Body: "r[e.a] = b2u(r[e.b] != uint64(int64(e.imm)))"},
	{Ops: ops(isa.SLTI), Next: 1, Body: "r[e.a] = b2u(int64(r[e.b]) < int64(uint64(int64(e.imm))))"},
	{Ops: ops(isa.SLEI), Next: 1, Body: "r[e.a] = b2u(int64(r[e.b]) <= int64(uint64(int64(e.imm))))"},
	{Ops: ops(isa.SGTI), Next: 1, Body: "r[e.a] = b2u(int64(r[e.b]) > int64(uint64(int64(e.imm))))"},
	{Ops: ops(isa.SLTUI), Next: 1, Body: "r[e.a] = b2u(r[e.b] < uint64(int64(e.imm)))"},
	{Ops: ops(isa.SLEUI), Next: 1, Body: "r[e.a] = b2u(r[e.b] <= uint64(int64(e.imm)))"},
	{Ops: ops(isa.SGTUI), Next: 1, Body: "r[e.a] = b2u(r[e.b] > uint64(int64(e.imm)))"},

	{Ops: ops(isa.LD8U, isa.LD8S), Next: 1, Comment: "Loads look in the stack, then in the two segments last loaded\nfrom; stores in the stack, then in the two last stored to.",
		Body: lookup("rd") + `
		v := uint64(*(*uint8)(m))
		if eOp == uint8(isa.LD8S) {
			v = uint64(int64(int8(v)))
		}
		r[e.a] = v`},
	{Ops: ops(isa.LD16U, isa.LD16S), Next: 1, Body: lookup("rd") + load(16)},
	{Ops: ops(isa.LD32U, isa.LD32S), Next: 1, Body: lookup("rd") + load(32)},
	{Ops: ops(isa.LD64), Next: 1, Body: lookup("rd") + `
		if directMem {
			r[e.a] = *(*uint64)(m)
		} else {
			r[e.a] = binary.LittleEndian.Uint64((*[8]byte)(m)[:])
		}`},
	{Ops: ops(isa.ST8), Next: 1, Body: lookup("wr") + "*(*uint8)(m) = uint8(r[e.a])"},
	{Ops: ops(isa.ST16), Next: 1, Body: lookup("wr") + store(16)},
	{Ops: ops(isa.ST32), Next: 1, Body: lookup("wr") + store(32)},
	{Ops: ops(isa.ST64), Next: 1, Body: lookup("wr") + `
		if directMem {
			*(*uint64)(m) = r[e.a]
		} else {
			binary.LittleEndian.PutUint64((*[8]byte)(m)[:], r[e.a])
		}`},

	{Ops: ops(isa.PUSH), Next: 1, Comment: "The stack instructions look in the stack alone.", Body: `
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
		r[isa.RegSP] = sp`},
	{Ops: ops(isa.POP), Next: 1, Body: `
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
		r[e.a] = v`},
	{Ops: ops(isa.ENTER), Next: 1, Body: `
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
		r[isa.RegSP] = fp - uint64(int64(e.imm))`},
	{Ops: ops(isa.LEAVE), Next: 1, Body: `
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
		}`},

	{Ops: ops(isa.JMP), Comment: "Jumps, calls and branches: in the segment by their decoded offset\n(a count of entries), out of it by far, or to a register's address\nby goto jump, which the generator expands (expandJumps).", Body: `
		ip = eAt(int(e.imm)<<3)
		goto top`},
	{Ops: ops(isa.CALL), Body: `
		r[isa.RegLR] = cs.base + ePC + isa.WordSize
		ip = eAt(int(e.imm)<<3)
		goto top`},
	{Decoded: "dFarJmp", Body: `
		to = cs.base + ePC + uint64(int64(e.imm))
		goto far`},
	{Decoded: "dFarCall", Body: `
		pc := cs.base + ePC
		to = pc + uint64(int64(e.imm))
		r[isa.RegLR] = pc + isa.WordSize
		goto far`},
	{Decoded: "dEnd", Uncounted: true, Note: "ran off the end of the segment, from the word before", Body: `
		to = cs.base + ePC
		ip = eAt(-isa.WordSize) // far says control comes from the word before
		goto far`},
	{Decoded: "dCallPLT", PLTOf: isa.CALL, Note: "a call of a PLT stub of its section: see linkPLT", Body: `
		r[isa.RegLR] = cs.base + ePC + isa.WordSize
		ip = eAt(int(e.imm)<<3)
` + pltStub},
	{Decoded: "dJmpPLT", PLTOf: isa.JMP, Note: "a jump to a PLT stub of its section: see linkPLT", Body: `
		ip = eAt(int(e.imm)<<3)
` + pltStub},
	{Decoded: "dResync", Uncounted: true, Note: "in a lazy form, an instruction that reads its segment: see decoded.lazy", Body: `
		tab := p.as.code
		k := 0
		for k < len(tab) && (tab[k].lazy == nil || uintptr(ip)-uintptr(tab[k].lazy) > uintptr(tab[k].nw)<<3) {
			k++
		}
		if k == len(tab) { // cannot be: only run's cases take ip there, from p.as.code
			goto slow
		}
		s.alt, cs = cs, &tab[k]
		ip = unsafe.Add(cs.dec, uintptr(ip)-uintptr(tab[k].lazy))
		goto top`},
	{Ops: ops(isa.JR), Body: `
		to = r[e.a]
		goto jump`},
	{Ops: ops(isa.CALLR), Body: `
		to = r[e.a]
		r[isa.RegLR] = cs.base + ePC + isa.WordSize
		goto jump`},
	{Ops: ops(isa.RET), Body: `
		to = r[isa.RegLR]
		goto jump`},
	{Ops: ops(isa.BEQ), Next: 1, Body: branch("r[e.a] == r[e.b]")},
	{Ops: ops(isa.BNE), Next: 1, Body: branch("r[e.a] != r[e.b]")},
	{Ops: ops(isa.BLT), Next: 1, Body: branch("int64(r[e.a]) < int64(r[e.b])")},
	{Ops: ops(isa.BGE), Next: 1, Body: branch("int64(r[e.a]) >= int64(r[e.b])")},
	{Ops: ops(isa.BLTU), Next: 1, Body: branch("r[e.a] < r[e.b]")},
	{Ops: ops(isa.BGEU), Next: 1, Body: branch("r[e.a] >= r[e.b]")},
	{Ops: ops(isa.BEQZ), Next: 1, Body: branch("r[e.a] == 0")},
	{Ops: ops(isa.BNEZ), Next: 1, Body: branch("r[e.a] != 0")},

	{Ops: ops(isa.FADD), Next: 1, Comment: "Floating point, on the registers' bits as float64.", Body: "rf[e.a] = rf[e.b] + rf[e.c]"},
	{Ops: ops(isa.FSUB), Next: 1, Body: "rf[e.a] = rf[e.b] - rf[e.c]"},
	{Ops: ops(isa.FMUL), Next: 1, Body: "rf[e.a] = rf[e.b] * rf[e.c]"},
	{Ops: ops(isa.FDIV), Next: 1, Body: "rf[e.a] = rf[e.b] / rf[e.c]"},
	{Ops: ops(isa.FSQRT), Next: 1, Body: "rf[e.a] = math.Sqrt(rf[e.b])"},
	{Ops: ops(isa.FNEG), Next: 1, Body: "r[e.a] = r[e.b] ^ (1 << 63)"},
	{Ops: ops(isa.FABS), Next: 1, Body: "r[e.a] = r[e.b] &^ (1 << 63)"},
	{Ops: ops(isa.FEQ), Next: 1, Body: "r[e.a] = b2u(rf[e.b] == rf[e.c])"},
	{Ops: ops(isa.FLT), Next: 1, Body: "r[e.a] = b2u(rf[e.b] < rf[e.c])"},
	{Ops: ops(isa.FLE), Next: 1, Body: "r[e.a] = b2u(rf[e.b] <= rf[e.c])"},
	{Ops: ops(isa.ITOF), Next: 1, Body: "rf[e.a] = float64(int64(r[e.b]))"},
	{Ops: ops(isa.UTOF), Next: 1, Body: "rf[e.a] = float64(r[e.b])"},
	{Ops: ops(isa.FTOI), Next: 1, Body: `
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
		}`},

	{Ops: ops(isa.LDPC), Next: 1, Comment: "ldpc looks in the two segments it last read (GOT slots, literals).", Body: `
		addr := cs.base + ePC + uint64(int64(e.imm))
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
		}`},
}

// ExecOnly are the instructions run leaves to exec (its switch's default
// case): the divisions (x86 divides in fixed registers, which would cost
// every instruction register moves) and the roundings (math.Floor and
// friends may be calls).
var ExecOnly = []isa.Op{isa.DIVS, isa.DIVU, isa.REMS, isa.REMU, isa.FFLOOR, isa.FCEIL, isa.FTRUNC}

// lookup is the start of a load's or store's half: it sets m to where the
// access at r[e.b]+imm goes in host memory, found in the stack or in the
// two segments of caches ("rd" for loads, "wr" for stores), and leaves
// the instruction to exec if it is in none of them.
func lookup(caches string) string {
	return strings.ReplaceAll(`
		addr := r[e.b] + uint64(int64(e.imm))
		if o := addr - s.stk.base; o <= s.stk.lim {
			m = unsafe.Add(s.stk.ptr, o)
		} else if o := addr - s.CACHES[0].base; o <= s.CACHES[0].lim {
			m = unsafe.Add(s.CACHES[0].ptr, o)
		} else if o := addr - s.CACHES[1].base; o <= s.CACHES[1].lim {
			m = unsafe.Add(s.CACHES[1].ptr, o)
		} else {
			goto slow
		}
		`, "CACHES", caches)
}

// load reads the little-endian word of bits bits at m into r[e.a],
// sign-extended for the signed load (ld16s, ld32s).
func load(bits int) string {
	return fmt.Sprintf(`
		var v uint64
		if directMem {
			v = uint64(*(*uint%[1]d)(m))
		} else {
			v = uint64(binary.LittleEndian.Uint%[1]d((*[%[2]d]byte)(m)[:]))
		}
		if eOp == uint8(isa.LD%[1]dS) {
			v = uint64(int64(int%[1]d(v)))
		}
		r[e.a] = v`, bits, bits/8)
}

// store writes the low bits bits of r[e.a] at m, little-endian.
func store(bits int) string {
	return fmt.Sprintf(`
		if directMem {
			*(*uint%[1]d)(m) = uint%[1]d(r[e.a])
		} else {
			binary.LittleEndian.PutUint%[1]d((*[%[2]d]byte)(m)[:], uint%[1]d(r[e.a]))
		}`, bits, bits/8)
}

// branch is the half of a conditional branch taken when cond holds: to
// run's branch label, which jumps by e.imm words from ip.
func branch(cond string) string {
	return "if " + cond + " {\ngoto branch\n}"
}

// ops is its arguments, for a table that reads well.
func ops(op ...isa.Op) []isa.Op { return op }

// pltStub runs, after a dCallPLT or dJmpPLT has moved ip to the stub
// (e still the call's or jump's entry), the stub's ldpc and jr too when
// no pause point comes before the jr; else the stub runs by itself. The
// call site's entry in s.btb, when it has one, says where the jr goes
// and where the GOT slot is in host memory: if the slot still holds that
// address, run goes there without decoding the stub or looking for the
// slot's and the target's segments (see btbEntry). Else the stub runs
// here when its GOT slot is in a cached segment, and when its target is
// in this segment or the one run came from, run enters it in s.btb. A
// target in the segment run came from, another module's code, runs from
// that segment's lazy form when it has one, without making it current
// (see decoded.lazy): its return then comes back to a segment that still
// is.
const pltStub = `
		if left < 2 {
			goto top
		}
		site := unsafe.Pointer(e)
		if h := &s.btb[uintptr(site)>>3&(btbSize-1)]; h.site == site {
			if directMem {
				to = *(*uint64)(h.slot)
			} else {
				to = binary.LittleEndian.Uint64((*[8]byte)(h.slot)[:])
			}
			if to == h.to {
				left -= 2
				r[h.reg] = to
				if h.seg != cs {
					s.alt, cs = cs, h.seg
				}
				ip = h.ip
				goto top
			}
		}
		e = (*dinst)(ip)
		addr := cs.base + pcOff(ip, cs) + uint64(int64(e.imm))
		if o := addr - s.lit[0].base; o <= s.lit[0].lim {
			m = unsafe.Add(s.lit[0].ptr, o)
		} else if o := addr - s.lit[1].base; o <= s.lit[1].lim {
			m = unsafe.Add(s.lit[1].ptr, o)
		} else {
			goto top
		}
		left -= 2
		if directMem {
			to = *(*uint64)(m)
		} else {
			to = binary.LittleEndian.Uint64((*[8]byte)(m)[:])
		}
		r[e.a] = to
		ip = unsafe.Add(ip, isa.WordSize) // the jr: where far says control comes from
		if k := bits.RotateLeft64(to-cs.base, -3); k < cs.nw {
			ip = unsafe.Add(cs.dec, k<<3)
		} else if k := bits.RotateLeft64(to-s.alt.base, -3); k < s.alt.nw {
			if s.alt.lazy != nil { // another module's: its lazy form, with cs as it is
				ip = unsafe.Add(s.alt.lazy, k<<3)
			} else {
				s.alt, cs = cs, s.alt
				ip = unsafe.Add(cs.dec, k<<3)
			}
		} else {
			goto far
		}
		s.btb[uintptr(site)>>3&(btbSize-1)] = btbEntry{site: site, slot: m, ip: ip, seg: cs, to: to, reg: e.a}
		s.btbUsed = true
		goto top`
