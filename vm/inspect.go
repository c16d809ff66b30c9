package vm

import "linkvm/vm/isa"

// What a tracer, debugger or profiler (a Monitor) reads of a paused
// process. None of it is meant for use while the process runs.

// PC returns the address of the next instruction the process will run
// (the trapping one after a trap).
func (p *Process) PC() uint64 { return p.pc }

// Regs returns a copy of the registers.
func (p *Process) Regs() [isa.NumRegs]uint64 { return p.regs }

// Frame describes pc: its module, function, offset and source line, as in
// a trap's backtrace.
func (p *Process) Frame(pc uint64) Frame { return p.frame(pc) }

// Backtrace walks the stack from the next instruction, like a trap's
// backtrace: frame 0 is PC, the others are call sites.
func (p *Process) Backtrace() []Frame { return p.backtrace(p.pc) }

// ReadMemory copies len(b) bytes of guest memory at addr into b. The
// bytes must lie in one readable region; the error says what a guest load
// would have trapped with.
func (p *Process) ReadMemory(addr uint64, b []byte) error {
	src, err := p.hostBytes(addr, uint64(len(b)), permR)
	if err != nil {
		return err
	}
	copy(b, src)
	return nil
}

// SetReg sets register r (0..31) of the paused process to v, as a
// debugger's `set $r3 = 5` does; it reports false for a register number
// that does not exist.
func (p *Process) SetReg(r int, v uint64) bool {
	if r < 0 || r >= isa.NumRegs {
		return false
	}
	p.regs[r] = v
	return true
}

// FlushOutput writes out what the program has written to its standard
// output and error and the process still buffers, so that what a
// debugger prints next comes after it.
func (p *Process) FlushOutput() error { return p.out.flush() }

// Heap returns the heap's start and its break: the heap is the bytes
// [start, brk), which brk and sbrk move. Both are 0 before the heap is
// mapped.
func (p *Process) Heap() (start, brk uint64) {
	if p.heap == nil {
		return 0, 0
	}
	return p.heap.base, p.heap.end
}
