package vmtrace

import (
	"fmt"
	"strings"

	"linkvm/vm"
	"linkvm/vm/isa"
)

// Tracer is a Monitor that writes a line for each instruction the process
// runs (vmrun --trace), once it has run, so that the line can show what
// the instruction did:
//
//	_start+0x8                   hello.s:10     lea   r1, 0x11000 <msg>            r1=0x11000
//
// where it is ([module:]function+offset), its source line, the
// instruction disassembled (targets named), then the registers it set,
// the memory a store wrote, or for a lazy binding (sys 14) the symbol and
// the function it was bound to. The lines go to the process's standard error
// through Process.Debugf, in order with the program's own output to it:
// what an instruction writes comes before its line. The lines of any
// process but the first start with "[pid N] ".
type Tracer struct {
	p      *vm.Process
	prefix string
	cache  map[uint64]*traced // by address; emptied when modules are mapped or unmapped
	gen    uint64             // the process's MapGeneration when cache was filled
	pend   *traced            // the instruction that is running, if any
	before [isa.NumRegs]uint64
}

// traced is what the Tracer shows of an instruction at an address.
type traced struct {
	insn
	head string // location, source line and disassembly, padded
}

// NewTracer returns a Tracer for one process.
func NewTracer() *Tracer { return &Tracer{} }

// Pause writes the line of the instruction that has just run and notes
// the next one.
func (t *Tracer) Pause(p *vm.Process) (uint64, error) {
	if t.p == nil {
		t.p, t.prefix, t.cache = p, pidPrefix(p), map[uint64]*traced{}
	}
	pc, regs := p.PC(), p.Regs()
	if t.pend != nil {
		t.emit(p, t.effects(pc, &regs))
	}
	// An address holding no instruction is where a function run by the
	// host returns to it (Process.Call), or a bad jump about to trap.
	if x := t.at(p, pc); x != nil {
		t.pend, t.before = x, regs
	}
	return 1, nil
}

// Finish writes the line of the last instruction: with what it did if
// it ran to its end (the process then stopped at the step limit, before
// the next), without if it exited or trapped, which leaves the process
// at it.
func (t *Tracer) Finish(p *vm.Process) {
	if t.pend == nil {
		return
	}
	effects := ""
	if pc := p.PC(); pc != t.pend.pc {
		regs := p.Regs()
		effects = t.effects(pc, &regs)
	}
	t.emit(p, effects)
}

// emit writes the pending instruction's line with its effects.
func (t *Tracer) emit(p *vm.Process, effects string) {
	in := t.pend
	t.pend = nil
	p.Debugf("%s", strings.TrimRight(t.prefix+in.head+effects, " "))
}

// effects describes what the pending instruction did, now that the
// process is at pc with registers regs: "r0=0x2a [0x7fffffe0]=0x5".
func (t *Tracer) effects(pc uint64, regs *[isa.NumRegs]uint64) string {
	in := t.pend
	if in.in.Op == isa.SYS && in.in.Imm == vm.SysBind {
		return fmt.Sprintf("bind %s -> %s", bindSymbol(t.p, in.pc, t.before[isa.RegIP]), Callee(t.p.Frame(pc)))
	}
	var parts []string
	set := in.writes()
	if in.in.Op == isa.SYS && pc == in.end() {
		// A system call's result; after bind, or when the call ran guest
		// code (an init function from dlopen), these are not its registers.
		set = 1
	}
	for r := range uint8(isa.NumRegs) {
		if set.has(r) {
			parts = append(parts, fmt.Sprintf("%s=%#x", isa.RegName(r), regs[r]))
		}
	}
	if n := in.storeSize(); n > 0 {
		addr := t.before[in.in.RB&(isa.NumRegs-1)] + uint64(int64(in.in.Imm))
		v := t.before[in.in.RA&(isa.NumRegs-1)]
		if n < 8 {
			v &= 1<<(8*n) - 1
		}
		parts = append(parts, fmt.Sprintf("[%#x]=%#x", addr, v))
	}
	return strings.Join(parts, " ")
}

// at returns what the Tracer shows of the instruction at pc, or nil if
// pc holds none.
func (t *Tracer) at(p *vm.Process, pc uint64) *traced {
	if g := p.MapGeneration(); g != t.gen {
		clear(t.cache)
		t.gen = g
	}
	if x := t.cache[pc]; x != nil {
		return x
	}
	in, ok := readInsn(p, pc)
	if !ok {
		return nil // not cached: code may be mapped there later
	}
	f := t.p.Frame(pc)
	x := &traced{insn: in}
	text := isa.Disasm(x.w, x.next, pc, t.target)
	x.head = fmt.Sprintf("%-28s %-14s %-34s ", f.Symbol(), Source(f), text)
	t.cache[pc] = x
	return x
}

// target names an address an instruction refers to, for Disasm.
func (t *Tracer) target(addr uint64) string {
	f := t.p.Frame(addr)
	if f.Func == "" {
		return ""
	}
	return Callee(f)
}

// pidPrefix is what starts the lines about process p: nothing for the
// first process, "[pid N] " for the others.
func pidPrefix(p *vm.Process) string {
	if p.ID() == 1 {
		return ""
	}
	return fmt.Sprintf("[pid %d] ", p.ID())
}
