package dbg

import (
	"encoding/binary"
	"fmt"

	"linkvm/vm"
	"linkvm/vm/isa"
)

// runMode is what the program does when it is resumed, until it stops.
type runMode int

const (
	modeContinue runMode = iota // until a breakpoint, a watchpoint or the end
	modeStepi                   // count instructions
	modeNexti                   // count instructions, a call and its return as one
	modeStep                    // count source lines, into calls
	modeNext                    // count source lines, over calls
	modeFinish                  // until the current function returns
)

// resumeCmd is what the session tells the held program.
type resumeCmd struct {
	kill  bool
	mode  runMode
	count int // for the stepping modes: how many steps
	// checkHere checks the breakpoints at the current pc before running
	// its instruction: `run` from the entry point, where one may be set.
	checkHere bool
}

// stop is why the program stopped, handed from the monitor to the session.
type stop struct {
	bps         []*breakpoint // breakpoints hit (their conditions true)
	condErr     error         // a condition that could not be evaluated
	condBP      *breakpoint   // whose condition that was
	watches     []watchHit
	stepped     bool // a step, next, stepi, nexti or finish ended
	interrupted bool
}

// watchHit is a watchpoint whose value changed.
type watchHit struct {
	bp         *breakpoint
	old, new   uint64
	oldOK, nOK bool
}

// coarseSteps is how many instructions the program runs between two
// looks of the monitor when nothing needs every instruction (continue
// with no breakpoint and no watchpoint): often enough to notice an
// interrupt.
const coarseSteps = 1 << 16

// monitor is the vm.Monitor of the debugged process: it runs in the
// process's goroutine, between instructions.
type monitor struct {
	s      *Session
	stops  chan stop
	resume chan resumeCmd

	held   bool // not yet released by run: stop at the first pause
	killed bool // every pause ends the process

	cmd   resumeCmd
	count int // steps left
	// depth counts the calls made minus the returns since the program
	// was resumed: next and finish wait for their callees to return.
	depth int
	// lineLo and lineHi bound the line being stepped: step and next stop
	// at the start of a line outside it (or back at its start).
	lineLo, lineHi uint64

	// perInsn is set when the monitor asked to be called after one
	// instruction: prev is then the one that just ran.
	perInsn bool
	prev    prevInsn
	// gen is the process's MapGeneration when the symbols were last
	// brought up to date with its modules.
	gen uint64
}

// prevInsn is what the monitor noted of an instruction before it ran.
type prevInsn struct {
	op  isa.Op
	imm int32
	// hostRet marks a `ret` to the host: the end of a function the VM
	// called itself (an init function run by dlopen), not a return.
	hostRet bool
	// bind is the symbol a `sys 14` (lazy binding) is about to bind.
	bind string
}

func newMonitor(s *Session) *monitor {
	return &monitor{s: s, stops: make(chan stop), resume: make(chan resumeCmd), held: true}
}

// Pause decides whether the program stops before the instruction at pc:
// if so it hands the stop to the session and waits for a command.
func (m *monitor) Pause(p *vm.Process) (uint64, error) {
	if m.killed {
		return 0, errKilled
	}
	pc := p.PC()
	var st stop
	stops := false
	if m.held {
		m.held = false
		stops = true
	} else {
		stops = m.check(p, pc, &st)
	}
	for stops {
		p.FlushOutput()
		m.stops <- st
		cmd := <-m.resume
		if cmd.kill {
			m.killed = true
			return 0, errKilled
		}
		m.begin(cmd, pc)
		st = stop{}
		stops = cmd.checkHere && m.breakpointsAt(p, pc, &st)
	}
	return m.record(p, pc), nil
}

// begin sets up the monitor for cmd, from pc.
func (m *monitor) begin(cmd resumeCmd, pc uint64) {
	m.cmd = cmd
	m.count = max(cmd.count, 1)
	m.depth = 0
	m.lineLo, m.lineHi = 0, 0
	if l := m.s.syms.locate(pc); l.file != "" {
		m.lineLo, m.lineHi = l.lineLo, l.lineHi
	}
	m.perInsn = false
}

// check looks at what the last instruction did and at the instruction
// at pc, notes in st why the program stops there and reports whether it
// does.
func (m *monitor) check(p *vm.Process, pc uint64, st *stop) bool {
	if g := p.MapGeneration(); g != m.gen {
		// A module was loaded or unloaded (dlopen, dlclose): the symbols
		// change, and pending breakpoints may resolve.
		m.gen = g
		if now := m.s.refreshSymbols(); now != nil {
			p.FlushOutput()
			m.s.reportResolved(now)
		}
	}
	if m.perInsn {
		m.after(p, pc, st)
	}
	if m.s.interrupt.Load() && m.s.interrupt.Swap(false) {
		st.interrupted = true
	}
	m.breakpointsAt(p, pc, st)
	if m.perInsn && m.stepDone(pc) {
		st.stepped = true
	}
	return st.bps != nil || st.condErr != nil || st.watches != nil || st.stepped || st.interrupted
}

// after notes what the instruction that just ran did: calls and returns
// (for next and finish), a lazy binding (told while stepping), and
// writes to watched memory.
func (m *monitor) after(p *vm.Process, pc uint64, st *stop) {
	s := m.s
	switch m.prev.op {
	case isa.CALL, isa.CALLR:
		m.depth++
	case isa.RET:
		if !m.prev.hostRet {
			m.depth--
		}
	case isa.SYS:
		if m.prev.imm == vm.SysBind && m.prev.bind != "" && m.cmd.mode != modeContinue {
			p.FlushOutput()
			s.printf("binding %s -> %s\n", m.prev.bind, s.syms.qualified(pc))
		}
	}
	for _, bp := range s.bps {
		if !bp.watch {
			continue
		}
		v, ok := s.readWatched(p, bp)
		if v != bp.old || ok != bp.oldOK {
			st.watches = append(st.watches, watchHit{bp: bp, old: bp.old, oldOK: bp.oldOK, new: v, nOK: ok})
			bp.old, bp.oldOK = v, ok
			bp.hits++
		}
	}
}

// breakpointsAt adds to st the breakpoints at pc whose condition holds,
// and reports whether there is any (or a condition failed).
func (m *monitor) breakpointsAt(p *vm.Process, pc uint64, st *stop) bool {
	for _, bp := range m.s.bpAt[pc] {
		if bp.cond != nil {
			v, err := bp.cond.eval(procEnv{m.s, p})
			if err != nil {
				st.condErr, st.condBP = err, bp
				continue
			}
			if v == 0 {
				continue
			}
		}
		bp.hits++
		st.bps = append(st.bps, bp)
	}
	return st.bps != nil || st.condErr != nil
}

// stepDone reports whether the stepping command under way ends at pc.
func (m *monitor) stepDone(pc uint64) bool {
	switch m.cmd.mode {
	case modeContinue:
		return false
	case modeStepi:
		m.count--
		return m.count <= 0
	case modeNexti:
		if m.depth > 0 {
			return false
		}
		m.depth = 0
		m.count--
		return m.count <= 0
	case modeFinish:
		return m.depth < 0
	}
	// step and next: at the start of a source line other than the one
	// stepped (or back at its start), not inside a call next steps over.
	if m.cmd.mode == modeNext && m.depth > 0 {
		return false
	}
	l := m.s.syms.locate(pc)
	if l.file == "" {
		return false // a PLT stub, code without a line table: go on
	}
	if m.depth < 0 {
		m.depth = 0 // returned into the caller: step its lines now
	}
	if pc > m.lineLo && pc < m.lineHi {
		return false
	}
	if !l.lineStart {
		// Returned into the middle of a line: finish it first.
		m.lineLo, m.lineHi = l.lineLo, l.lineHi
		return false
	}
	m.count--
	if m.count > 0 {
		m.lineLo, m.lineHi = l.lineLo, l.lineHi
		m.depth = 0
		return false
	}
	return true
}

// record notes the instruction at pc before it runs and returns how
// many instructions to run before the next pause.
func (m *monitor) record(p *vm.Process, pc uint64) uint64 {
	if !m.everyInsn() {
		m.perInsn = false
		return coarseSteps
	}
	m.perInsn = true
	m.prev = prevInsn{op: isa.NumOps}
	w, ok := m.s.word(p, pc)
	if !ok {
		return 1
	}
	in := isa.Decode(w)
	m.prev.op, m.prev.imm = in.Op, in.Imm
	switch {
	case in.Op == isa.RET:
		m.prev.hostRet = p.Regs()[isa.RegLR] == vm.AddrLimit
	case in.Op == isa.SYS && in.Imm == vm.SysBind:
		m.prev.bind = m.s.bindingSymbol(p, pc)
	}
	return 1
}

// everyInsn reports whether the monitor must look at every instruction:
// while stepping, and while there are breakpoints or watchpoints.
func (m *monitor) everyInsn() bool {
	if m.cmd.mode != modeContinue || len(m.s.bpAt) > 0 {
		return true
	}
	for _, bp := range m.s.bps {
		if bp.watch || !bp.resolved {
			return true
		}
	}
	return false
}

// word returns the instruction word at pc.
func (s *Session) word(p *vm.Process, pc uint64) (uint64, bool) {
	if sec := s.syms.section(pc); sec != nil && sec.exec {
		return sec.word(pc)
	}
	var b [8]byte
	if p.ReadMemory(pc, b[:]) != nil {
		return 0, false
	}
	return binary.LittleEndian.Uint64(b[:]), true
}

// bindingSymbol returns the symbol that the `sys 14` at pc (PLT0) is
// about to bind: the JUMP_SLOT relocation ip names, of the module of pc.
func (s *Session) bindingSymbol(p *vm.Process, pc uint64) string {
	sec := s.syms.section(pc)
	if sec == nil || sec.mod.File().Dynamic == nil {
		return ""
	}
	return sec.mod.File().Dynamic.JumpSlotSymbol(p.Regs()[isa.RegIP])
}

// qualified names addr with its module always: "libstd.vso:puts",
// "prog.img:greet".
func (t *symtab) qualified(addr uint64) string {
	s := t.section(addr)
	if s == nil {
		return fmt.Sprintf("%#x", addr)
	}
	if s.mod.exe {
		return s.mod.name + ":" + t.name(addr)
	}
	return t.name(addr)
}

// procEnv evaluates expressions on a paused process.
type procEnv struct {
	s *Session
	p *vm.Process
}

func (e procEnv) reg(r int) (uint64, error) {
	if e.p == nil {
		return 0, fmt.Errorf("no registers: %v", errNoProcess(e.s))
	}
	if r == regPC {
		return e.p.PC(), nil
	}
	return e.p.Regs()[r], nil
}

func (e procEnv) lookup(name string) *symbol { return e.s.syms.lookup(name) }

func (e procEnv) read(addr uint64, b []byte) error {
	if e.p == nil {
		return errNoProcess(e.s)
	}
	return e.p.ReadMemory(addr, b)
}

// errNoProcess says why there is no process to read.
func errNoProcess(s *Session) error {
	_, err := s.alive()
	return err
}
