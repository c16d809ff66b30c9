// Package isa is the single source of truth for linkvm's instruction set:
// the opcode table, the instruction encoding and the operand formats.
//
// The assembler's mnemonics, the disassembler, the interpreter's validation
// and the opcode list in docs/isa.md are all derived from Table, in the
// spirit of Lua's lopcodes.h.
//
// Every instruction is one 64-bit little-endian word (li64 is followed by a
// second word holding its 64-bit constant):
//
//	 63                 32 31     24 23     16 15      8 7       0
//	+---------------------+---------+---------+---------+---------+
//	|     imm (int32)     |   rc    |   rb    |   ra    | opcode  |
//	+---------------------+---------+---------+---------+---------+
//
// Register fields hold 0..31; every other value is invalid. Branch, jump,
// call and lea targets are byte offsets in imm, relative to the address of
// the instruction itself (not the next one).
package isa

import "fmt"

// WordSize is the size in bytes of one instruction word.
const WordSize = 8

// NumRegs is the number of 64-bit registers r0..r31.
const NumRegs = 32

// Registers with fixed roles (see docs/abi.md).
const (
	RegIP = 28 // ip: scratch register clobbered by linker/loader stubs
	RegFP = 29 // fp: frame pointer, maintained by enter/leave
	RegLR = 30 // lr: link register, written by call/callr
	RegSP = 31 // sp: stack pointer
)

// RegName returns the assembler name of register r ("r0".."r27", "ip",
// "fp", "lr", "sp").
func RegName(r uint8) string {
	switch r {
	case RegIP:
		return "ip"
	case RegFP:
		return "fp"
	case RegLR:
		return "lr"
	case RegSP:
		return "sp"
	}
	return fmt.Sprintf("r%d", r)
}

// RegByName maps an assembler register name to its number; every register
// also answers to its plain rN name.
func RegByName(name string) (uint8, bool) {
	switch name {
	case "ip":
		return RegIP, true
	case "fp":
		return RegFP, true
	case "lr":
		return RegLR, true
	case "sp":
		return RegSP, true
	}
	if len(name) < 2 || len(name) > 3 || name[0] != 'r' {
		return 0, false
	}
	n := 0
	for _, c := range name[1:] {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	if n >= NumRegs || (len(name) == 3 && name[1] == '0') {
		return 0, false
	}
	return uint8(n), true
}

// Format is an instruction's operand syntax and which fields it uses.
type Format uint8

// Operand formats. In the syntax column, ra/rb/rc are registers, imm is a
// signed 32-bit expression, target is a pc-relative code address (label),
// and imm64 is any 64-bit expression.
const (
	FmtN   Format = iota // (no operands)
	FmtR                 // ra
	FmtRR                // ra, rb
	FmtRRR               // ra, rb, rc
	FmtRI                // ra, imm
	FmtRRI               // ra, rb, imm
	FmtRM                // ra, [rb + imm]
	FmtRT                // ra, target
	FmtRRT               // ra, rb, target
	FmtT                 // target
	FmtI                 // imm
	FmtRK                // ra, imm64   (two words)
)

// Syntax returns the operand syntax of a format as written in docs/isa.md.
func (f Format) Syntax() string {
	return [...]string{"", "ra", "ra, rb", "ra, rb, rc", "ra, imm", "ra, rb, imm",
		"ra, [rb+imm]", "ra, target", "ra, rb, target", "target", "imm", "ra, imm64"}[f]
}

// Words returns how many 64-bit words an instruction of this format occupies.
func (f Format) Words() int {
	if f == FmtRK {
		return 2
	}
	return 1
}

// Op is an opcode: the low byte of an instruction word.
type Op uint8

// Opcodes. The numbering is dense so that the interpreter's switch compiles
// to a jump table; it is part of the object format and stable.
const (
	HALT Op = iota
	TRAP
	NOP
	SYS
	MOV
	LI
	LI64
	LEA
	ADD
	SUB
	MUL
	DIVS
	DIVU
	REMS
	REMU
	AND
	OR
	XOR
	SHL
	SHR
	SAR
	ADDI
	MULI
	ANDI
	ORI
	XORI
	SHLI
	SHRI
	SARI
	NOT
	NEG
	SEQ
	SNE
	SLT
	SLE
	SLTU
	SLEU
	SEQI
	SNEI
	SLTI
	SLEI
	SGTI
	SLTUI
	SLEUI
	SGTUI
	LD8U
	LD8S
	LD16U
	LD16S
	LD32U
	LD32S
	LD64
	ST8
	ST16
	ST32
	ST64
	PUSH
	POP
	ENTER
	LEAVE
	JMP
	JR
	CALL
	CALLR
	RET
	BEQ
	BNE
	BLT
	BGE
	BLTU
	BGEU
	BEQZ
	BNEZ
	FADD
	FSUB
	FMUL
	FDIV
	FSQRT
	FNEG
	FABS
	FFLOOR
	FCEIL
	FTRUNC
	FEQ
	FLT
	FLE
	ITOF
	UTOF
	FTOI
	LDPC
	NumOps // number of defined opcodes; every byte >= NumOps is illegal
)

// Info describes one opcode.
type Info struct {
	Name    string // assembler mnemonic
	Format  Format // operand syntax and encoding
	Meaning string // one-line register-transfer meaning
}

// Table is the opcode table, indexed by Op. Meanings use: sext = sign
// extension, zext = zero extension, mem_N[a] = N-bit memory at address a,
// pc = address of this instruction, f(x) = x as IEEE-754 binary64.
var Table = [NumOps]Info{
	HALT:   {"halt", FmtN, "stop the process with exit status r0"},
	TRAP:   {"trap", FmtI, "stop with a user trap carrying code imm"},
	NOP:    {"nop", FmtN, "do nothing"},
	SYS:    {"sys", FmtI, "system call number imm: arguments r0..r5, result r0"},
	MOV:    {"mov", FmtRR, "ra = rb"},
	LI:     {"li", FmtRI, "ra = sext(imm)"},
	LI64:   {"li64", FmtRK, "ra = imm64 (the next word); pc += 16"},
	LEA:    {"lea", FmtRT, "ra = pc + imm"},
	ADD:    {"add", FmtRRR, "ra = rb + rc"},
	SUB:    {"sub", FmtRRR, "ra = rb - rc"},
	MUL:    {"mul", FmtRRR, "ra = rb * rc"},
	DIVS:   {"divs", FmtRRR, "ra = rb / rc, signed, truncated; rc == 0 traps"},
	DIVU:   {"divu", FmtRRR, "ra = rb / rc, unsigned; rc == 0 traps"},
	REMS:   {"rems", FmtRRR, "ra = rb % rc, signed, sign of rb; rc == 0 traps"},
	REMU:   {"remu", FmtRRR, "ra = rb % rc, unsigned; rc == 0 traps"},
	AND:    {"and", FmtRRR, "ra = rb & rc"},
	OR:     {"or", FmtRRR, "ra = rb | rc"},
	XOR:    {"xor", FmtRRR, "ra = rb ^ rc"},
	SHL:    {"shl", FmtRRR, "ra = rb << (rc & 63)"},
	SHR:    {"shr", FmtRRR, "ra = rb >> (rc & 63), logical"},
	SAR:    {"sar", FmtRRR, "ra = rb >> (rc & 63), arithmetic"},
	ADDI:   {"addi", FmtRRI, "ra = rb + sext(imm)"},
	MULI:   {"muli", FmtRRI, "ra = rb * sext(imm)"},
	ANDI:   {"andi", FmtRRI, "ra = rb & sext(imm)"},
	ORI:    {"ori", FmtRRI, "ra = rb | sext(imm)"},
	XORI:   {"xori", FmtRRI, "ra = rb ^ sext(imm)"},
	SHLI:   {"shli", FmtRRI, "ra = rb << (imm & 63)"},
	SHRI:   {"shri", FmtRRI, "ra = rb >> (imm & 63), logical"},
	SARI:   {"sari", FmtRRI, "ra = rb >> (imm & 63), arithmetic"},
	NOT:    {"not", FmtRR, "ra = ^rb"},
	NEG:    {"neg", FmtRR, "ra = -rb"},
	SEQ:    {"seq", FmtRRR, "ra = rb == rc ? 1 : 0"},
	SNE:    {"sne", FmtRRR, "ra = rb != rc ? 1 : 0"},
	SLT:    {"slt", FmtRRR, "ra = rb < rc ? 1 : 0, signed"},
	SLE:    {"sle", FmtRRR, "ra = rb <= rc ? 1 : 0, signed"},
	SLTU:   {"sltu", FmtRRR, "ra = rb < rc ? 1 : 0, unsigned"},
	SLEU:   {"sleu", FmtRRR, "ra = rb <= rc ? 1 : 0, unsigned"},
	SEQI:   {"seqi", FmtRRI, "ra = rb == sext(imm) ? 1 : 0"},
	SNEI:   {"snei", FmtRRI, "ra = rb != sext(imm) ? 1 : 0"},
	SLTI:   {"slti", FmtRRI, "ra = rb < sext(imm) ? 1 : 0, signed"},
	SLEI:   {"slei", FmtRRI, "ra = rb <= sext(imm) ? 1 : 0, signed"},
	SGTI:   {"sgti", FmtRRI, "ra = rb > sext(imm) ? 1 : 0, signed"},
	SLTUI:  {"sltui", FmtRRI, "ra = rb < sext(imm) ? 1 : 0, unsigned"},
	SLEUI:  {"sleui", FmtRRI, "ra = rb <= sext(imm) ? 1 : 0, unsigned"},
	SGTUI:  {"sgtui", FmtRRI, "ra = rb > sext(imm) ? 1 : 0, unsigned"},
	LD8U:   {"ld8u", FmtRM, "ra = zext(mem_8[rb + sext(imm)])"},
	LD8S:   {"ld8s", FmtRM, "ra = sext(mem_8[rb + sext(imm)])"},
	LD16U:  {"ld16u", FmtRM, "ra = zext(mem_16[rb + sext(imm)])"},
	LD16S:  {"ld16s", FmtRM, "ra = sext(mem_16[rb + sext(imm)])"},
	LD32U:  {"ld32u", FmtRM, "ra = zext(mem_32[rb + sext(imm)])"},
	LD32S:  {"ld32s", FmtRM, "ra = sext(mem_32[rb + sext(imm)])"},
	LD64:   {"ld64", FmtRM, "ra = mem_64[rb + sext(imm)]"},
	ST8:    {"st8", FmtRM, "mem_8[rb + sext(imm)] = ra"},
	ST16:   {"st16", FmtRM, "mem_16[rb + sext(imm)] = ra"},
	ST32:   {"st32", FmtRM, "mem_32[rb + sext(imm)] = ra"},
	ST64:   {"st64", FmtRM, "mem_64[rb + sext(imm)] = ra"},
	PUSH:   {"push", FmtR, "sp = sp - 8; mem_64[sp] = ra"},
	POP:    {"pop", FmtR, "ra = mem_64[sp]; sp = sp + 8"},
	ENTER:  {"enter", FmtI, "push lr; push fp; fp = sp; sp = sp - imm"},
	LEAVE:  {"leave", FmtN, "sp = fp; pop fp; pop lr"},
	JMP:    {"jmp", FmtT, "pc = pc + imm"},
	JR:     {"jr", FmtR, "pc = ra"},
	CALL:   {"call", FmtT, "lr = pc + 8; pc = pc + imm"},
	CALLR:  {"callr", FmtR, "lr = pc + 8; pc = ra"},
	RET:    {"ret", FmtN, "pc = lr"},
	BEQ:    {"beq", FmtRRT, "if ra == rb: pc = pc + imm"},
	BNE:    {"bne", FmtRRT, "if ra != rb: pc = pc + imm"},
	BLT:    {"blt", FmtRRT, "if ra < rb (signed): pc = pc + imm"},
	BGE:    {"bge", FmtRRT, "if ra >= rb (signed): pc = pc + imm"},
	BLTU:   {"bltu", FmtRRT, "if ra < rb (unsigned): pc = pc + imm"},
	BGEU:   {"bgeu", FmtRRT, "if ra >= rb (unsigned): pc = pc + imm"},
	BEQZ:   {"beqz", FmtRT, "if ra == 0: pc = pc + imm"},
	BNEZ:   {"bnez", FmtRT, "if ra != 0: pc = pc + imm"},
	FADD:   {"fadd", FmtRRR, "f(ra) = f(rb) + f(rc)"},
	FSUB:   {"fsub", FmtRRR, "f(ra) = f(rb) - f(rc)"},
	FMUL:   {"fmul", FmtRRR, "f(ra) = f(rb) * f(rc)"},
	FDIV:   {"fdiv", FmtRRR, "f(ra) = f(rb) / f(rc)"},
	FSQRT:  {"fsqrt", FmtRR, "f(ra) = sqrt(f(rb))"},
	FNEG:   {"fneg", FmtRR, "f(ra) = -f(rb) (flips the sign bit)"},
	FABS:   {"fabs", FmtRR, "f(ra) = |f(rb)| (clears the sign bit)"},
	FFLOOR: {"ffloor", FmtRR, "f(ra) = floor(f(rb))"},
	FCEIL:  {"fceil", FmtRR, "f(ra) = ceil(f(rb))"},
	FTRUNC: {"ftrunc", FmtRR, "f(ra) = trunc(f(rb)) (rounds toward zero)"},
	FEQ:    {"feq", FmtRRR, "ra = f(rb) == f(rc) ? 1 : 0 (0 if either is NaN)"},
	FLT:    {"flt", FmtRRR, "ra = f(rb) < f(rc) ? 1 : 0 (0 if either is NaN)"},
	FLE:    {"fle", FmtRRR, "ra = f(rb) <= f(rc) ? 1 : 0 (0 if either is NaN)"},
	ITOF:   {"itof", FmtRR, "f(ra) = float(int64(rb)), rounded to nearest even"},
	UTOF:   {"utof", FmtRR, "f(ra) = float(uint64(rb)), rounded to nearest even"},
	FTOI:   {"ftoi", FmtRR, "ra = int64(trunc(f(rb))); NaN gives 0, out of range saturates"},
	LDPC:   {"ldpc", FmtRT, "ra = mem_64[pc + imm] (loads a GOT slot or a literal)"},
}

var byName = func() map[string]Op {
	m := make(map[string]Op, NumOps)
	for i, in := range Table {
		m[in.Name] = Op(i)
	}
	return m
}()

// Lookup returns the opcode with the given mnemonic.
func Lookup(mnemonic string) (Op, bool) {
	op, ok := byName[mnemonic]
	return op, ok
}

// String returns the opcode's mnemonic, or "op(N)" for an illegal opcode.
func (op Op) String() string {
	if op < NumOps {
		return Table[op].Name
	}
	return fmt.Sprintf("op(%d)", uint8(op))
}

// Encode packs one instruction word. Register fields must be < NumRegs.
func Encode(op Op, ra, rb, rc uint8, imm int32) uint64 {
	return uint64(op) | uint64(ra)<<8 | uint64(rb)<<16 | uint64(rc)<<24 | uint64(uint32(imm))<<32
}

// Inst is one decoded instruction word.
type Inst struct {
	Op         Op
	RA, RB, RC uint8
	Imm        int32
}

// Decode unpacks one instruction word without validating it.
func Decode(w uint64) Inst {
	return Inst{Op: Op(w), RA: uint8(w >> 8), RB: uint8(w >> 16), RC: uint8(w >> 24), Imm: int32(w >> 32)}
}

// ImmOffset is the byte offset of the imm field inside an instruction word;
// relocations that patch an instruction's imm point at the instruction
// itself, not at this field.
const ImmOffset = 4

// Validate reports why w is not a well-formed first word of an
// instruction, or nil. Fields a format does not use must be zero, so that
// every valid program has exactly one encoding.
func Validate(w uint64) error {
	in := Decode(w)
	if in.Op >= NumOps {
		return fmt.Errorf("illegal opcode %d", uint8(in.Op))
	}
	uses := Table[in.Op].Format.Uses()
	check := func(name string, used bool, v uint8) error {
		if used && v >= NumRegs {
			return fmt.Errorf("%s: register field %s = %d out of range", in.Op, name, v)
		}
		if !used && v != 0 {
			return fmt.Errorf("%s: unused field %s is %d, not 0", in.Op, name, v)
		}
		return nil
	}
	if err := check("ra", uses.RA, in.RA); err != nil {
		return err
	}
	if err := check("rb", uses.RB, in.RB); err != nil {
		return err
	}
	if err := check("rc", uses.RC, in.RC); err != nil {
		return err
	}
	if !uses.Imm && in.Imm != 0 {
		return fmt.Errorf("%s: unused imm field is %d, not 0", in.Op, in.Imm)
	}
	return nil
}

// Fields tells which fields of the first word a format uses.
type Fields struct {
	RA, RB, RC, Imm bool
}

// Uses returns the fields a format uses.
func (f Format) Uses() Fields {
	switch f {
	case FmtN:
		return Fields{}
	case FmtR:
		return Fields{RA: true}
	case FmtRR:
		return Fields{RA: true, RB: true}
	case FmtRRR:
		return Fields{RA: true, RB: true, RC: true}
	case FmtRI, FmtRT:
		return Fields{RA: true, Imm: true}
	case FmtRRI, FmtRM, FmtRRT:
		return Fields{RA: true, RB: true, Imm: true}
	case FmtT, FmtI:
		return Fields{Imm: true}
	case FmtRK:
		return Fields{RA: true}
	}
	return Fields{}
}
