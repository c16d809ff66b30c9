package vmtrace

import (
	"fmt"
	"strings"

	"linkvm/vm"
	"linkvm/vm/isa"
)

// CallTracer is a Monitor that writes a line for each call and return
// the process makes (vmrun --trace=calls), indented by call depth:
//
//	call main(0x1, 0x7fffffe8, 0x0)
//	  bind puts -> libstd.vso:puts
//	  call libstd.vso:puts(0x11000, 0x7fffffe8, 0x0) via puts@plt
//	  ret libstd.vso:puts: r0=0xd
//
// A call shows the callee's first three arguments (r0, r1, r2); a return
// the result, r0. A call through a PLT stub is shown once control reaches
// the function the stub leads to, with "via" and the stub; when it is
// the stub's first call, the lazy binding (sys 14) comes first, as
// "bind SYMBOL -> FUNCTION". Functions the host calls (the program's
// entry, and init and fini functions run by the dynamic loader) appear as
// calls too, and exit as "exit STATUS". Lines go where Tracer's go.
//
// It pauses at each basic block, not at each instruction.
type CallTracer struct {
	blocks *blocks
	prefix string
	gen    uint64 // the process's MapGeneration when blocks was filled

	frames []callFrame
	prev   arrival  // what the last block's final instruction was
	pend   *pending // a call on its way through a PLT
}

// callFrame is a call that has not returned.
type callFrame struct {
	name string
	ret  uint64 // the return address
	// host is set for a function the host called: the return goes back to
	// the host, and then the process continues at resume (0 if not in a
	// system call).
	host   bool
	resume uint64
}

// arrival is how control reaches the next block.
type arrival struct {
	kind   arrivalKind
	pc     uint64 // the instruction that transferred control
	sym    string // for a bind: the symbol bound
	resume uint64 // for a return to the host: where its caller resumes
}

// arrivalKind is the kind of an arrival.
type arrivalKind uint8

const (
	fallThrough  arrivalKind = iota // or a jump or branch
	start                           // the first pause
	byCall                          // call or callr
	bySys                           // a system call, which returns after it
	byBind                          // sys 14, which goes on at the function bound
	byExit                          // exit or halt: what follows is a fini function
	byHostReturn                    // a return to the host (end of an init or fini function)
)

// pending is a call whose callee is not known yet: it went to a PLT stub.
type pending struct {
	args [3]uint64
	ret  uint64
	via  string // the stub
}

// NewCallTracer returns a CallTracer for one process.
func NewCallTracer() *CallTracer { return &CallTracer{} }

// Pause handles the transfer of control that led to this block, then
// looks at the block's end.
func (c *CallTracer) Pause(p *vm.Process) (uint64, error) {
	if c.blocks == nil {
		c.prefix, c.blocks = pidPrefix(p), newBlocks(p, false)
		c.prev.kind = start
	}
	if g := p.MapGeneration(); g != c.gen {
		c.blocks.flush() // modules were mapped or unmapped
		c.gen = g
	}
	pc, regs := p.PC(), p.Regs()
	b := c.blocks.at(pc)
	if b == nil { // no instruction here: control arrives at the next pause
		return 1, nil
	}
	c.arrive(p, pc, &regs)
	c.prev = arrival{}
	if b.term {
		c.leave(p, b.last, &regs)
	}
	return b.steps(), nil
}

// Finish shows a call still on its way through a PLT stub: its lazy
// binding failed.
func (c *CallTracer) Finish(p *vm.Process) {
	if c.pend != nil {
		c.line(p, "call %s(%s)", c.pend.via, args(c.pend.args))
		c.pend = nil
	}
}

// arrive handles the arrival at pc.
func (c *CallTracer) arrive(p *vm.Process, pc uint64, regs *[isa.NumRegs]uint64) {
	switch a := c.prev; a.kind {
	case start:
		c.hostCall(p, pc, regs, 0)
	case byCall:
		c.pend = &pending{args: [3]uint64{regs[0], regs[1], regs[2]}, ret: a.pc + isa.WordSize}
	case bySys:
		if pc != a.pc+isa.WordSize { // the host calls guest code (dlopen's init functions)
			c.hostCall(p, pc, regs, a.pc+isa.WordSize)
		}
	case byExit:
		c.hostCall(p, pc, regs, 0)
	case byHostReturn:
		if a.resume == 0 || pc != a.resume { // the host's next call
			c.hostCall(p, pc, regs, a.resume)
		}
	}
	if c.pend == nil {
		return
	}
	if c.prev.kind == byBind {
		c.line(p, "bind %s -> %s", c.prev.sym, Callee(p.Frame(pc)))
	}
	if inPLT(p, pc) {
		if c.pend.via == "" {
			c.pend.via = Callee(p.Frame(pc))
		}
		return
	}
	name := Callee(p.Frame(pc))
	via := ""
	if c.pend.via != "" {
		via = " via " + c.pend.via
	}
	c.line(p, "call %s(%s)%s", name, args(c.pend.args), via)
	c.frames = append(c.frames, callFrame{name: name, ret: c.pend.ret})
	c.pend = nil
}

// hostCall shows the host calling the function at pc.
func (c *CallTracer) hostCall(p *vm.Process, pc uint64, regs *[isa.NumRegs]uint64, resume uint64) {
	name := Callee(p.Frame(pc))
	c.line(p, "call %s(%s)", name, args([3]uint64{regs[0], regs[1], regs[2]}))
	c.frames = append(c.frames, callFrame{name: name, host: true, resume: resume})
}

// leave looks at last, the instruction ending the block about to run,
// with regs the registers it runs with if it is alone in its block.
func (c *CallTracer) leave(p *vm.Process, last insn, regs *[isa.NumRegs]uint64) {
	switch last.in.Op {
	case isa.CALL, isa.CALLR:
		c.prev = arrival{kind: byCall, pc: last.pc}
	case isa.RET:
		c.ret(p, last.pc, regs)
	case isa.HALT:
		c.exit(p, regs)
	case isa.SYS:
		switch last.in.Imm {
		case vm.SysBind:
			c.prev = arrival{kind: byBind, sym: bindSymbol(p, last.pc, regs[isa.RegIP])}
		case vm.SysExit:
			c.exit(p, regs)
		default:
			c.prev = arrival{kind: bySys, pc: last.pc}
		}
	}
}

// exit shows the program exiting with status r0: its calls are over;
// what runs next is the loader's fini functions.
func (c *CallTracer) exit(p *vm.Process, regs *[isa.NumRegs]uint64) {
	c.line(p, "exit %d", int64(regs[0]))
	c.frames = c.frames[:0]
	c.prev = arrival{kind: byExit}
}

// ret shows the return at pc, to lr.
func (c *CallTracer) ret(p *vm.Process, pc uint64, regs *[isa.NumRegs]uint64) {
	lr := regs[isa.RegLR]
	for i := len(c.frames) - 1; i >= 0; i-- {
		if !c.frames[i].host && c.frames[i].ret == lr {
			c.pop(p, i, regs)
			return
		}
	}
	if p.ModuleAt(lr) == nil { // back to the host, or to nowhere (a trap)
		for i := len(c.frames) - 1; i >= 0; i-- {
			if c.frames[i].host {
				c.prev = arrival{kind: byHostReturn, resume: c.frames[i].resume}
				c.pop(p, i, regs)
				return
			}
		}
	}
	// A return no call shown matches (the function was reached by a jump).
	c.line(p, "ret %s: r0=%#x", FuncName(p.Frame(pc)), regs[0])
}

// pop shows the return of frames[i] and forgets it and the calls above it.
func (c *CallTracer) pop(p *vm.Process, i int, regs *[isa.NumRegs]uint64) {
	name := c.frames[i].name
	c.frames = c.frames[:i]
	c.line(p, "ret %s: r0=%#x", name, regs[0])
}

// line writes one line, indented by the call depth.
func (c *CallTracer) line(p *vm.Process, format string, a ...any) {
	p.Debugf("%s%s"+format, append([]any{c.prefix, strings.Repeat("  ", len(c.frames))}, a...)...)
}

// args formats a call's first three arguments.
func args(r [3]uint64) string {
	return fmt.Sprintf("%#x, %#x, %#x", r[0], r[1], r[2])
}
