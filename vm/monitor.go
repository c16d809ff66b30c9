package vm

import (
	"errors"
	"fmt"
)

// Pausing the interpreter. exec counts the instructions it runs and stops
// when it reaches the process's next pause point (pauseAt, in steps since
// the process began), returning errPause; execute then does what the pause
// is for and resumes. A pause point is the nearest of:
//
//   - the step limit (Config.MaxSteps), which ends the process with an
//     ErrStepLimit trap;
//   - the monitor's next call (a tracer or debugger asks for one every
//     instruction, a profiler every few thousand);
//   - the end of the current chunk of pauseChunk instructions, where an
//     Interrupt from another goroutine is noticed.
//
// The interpreter loop itself pays one compare per instruction for all of
// this and makes no call: a debugger costs nothing when it is not attached.

// pauseChunk is how many instructions a process runs between two looks at
// its interrupt flag: tens of milliseconds at most.
const pauseChunk = 1 << 24

// errPause stops exec at a pause point; it never leaves the package.
var errPause = errors.New("pause")

// Monitor watches a process as it runs: a tracer, a debugger or a
// profiler. It is called between instructions, in the goroutine running
// the process, so it may read the process's registers and memory.
type Monitor interface {
	// Pause is called before the instruction at p.PC() runs, once the
	// process has run the number of instructions the previous Pause (or
	// SetMonitor) asked for. It returns how many instructions to run before
	// the next call (0 counts as 1), or an error, which ends the process:
	// Run or Call returns it as it is.
	Pause(p *Process) (next uint64, err error)
}

// Finisher is a Monitor that wants to know when its process ends, such as
// a tracer that writes each instruction's line once it has run. Run calls
// Finish once the program has exited or trapped (the step limit and an
// interrupt included), after the fini functions and before it flushes the
// program's output for the last time: lines Finish writes with Debugf come
// before the trap report. Steps is final, and after a trap PC is the
// trapping instruction.
type Finisher interface {
	Finish(p *Process)
}

// SetMonitor attaches m (nil detaches the monitor), to be called first
// after the process has run next more instructions (0 means before the
// next instruction). Call it before Run or from a DynamicLinker callback,
// not from Pause, whose return value sets the next call.
func (p *Process) SetMonitor(m Monitor, next uint64) {
	p.monitor = m
	p.monitorAt = p.steps + next
	p.schedule()
}

// Interrupt asks the process to stop: within pauseChunk instructions (and
// at the latest when the system call it is in returns) it ends with an
// ErrInterrupted trap, so Run flushes its output and returns. Interrupt may
// be called from any goroutine, at any time.
func (p *Process) Interrupt() {
	p.interrupted.Store(true)
}

// schedule sets pauseAt, the step count at which exec next stops.
func (p *Process) schedule() {
	at := p.steps + pauseChunk
	if p.maxSteps != 0 && p.maxSteps < at {
		at = p.maxSteps
	}
	if p.monitor != nil && p.monitorAt < at {
		at = p.monitorAt
	}
	p.pauseAt = at
}

// budget is how many instructions exec may run before the next pause
// point; 0 when it is due, or when the process has been interrupted (exec
// asks after each system call, so an interrupted call ends the process).
func (p *Process) budget() uint64 {
	if p.pauseAt <= p.steps || p.interrupted.Load() {
		return 0
	}
	return p.pauseAt - p.steps
}

// execute runs exec, serving its pauses, until the program exits, traps or
// returns to the host (see exec).
func (p *Process) execute() error {
	for {
		err := p.exec()
		if err != errPause {
			return err
		}
		if err := p.paused(); err != nil {
			return err
		}
	}
}

// paused does what the pause point reached is for: end the process if it
// was interrupted or ran out of steps, call the monitor if it is due. Then
// it schedules the next pause.
func (p *Process) paused() error {
	switch {
	case p.interrupted.Load():
		return &Trap{Kind: ErrInterrupted, PC: p.pc, Msg: "interrupted"}
	case p.maxSteps != 0 && p.steps >= p.maxSteps:
		return &Trap{Kind: ErrStepLimit, PC: p.pc,
			Msg: fmt.Sprintf("step limit: %d instructions executed", p.steps)}
	}
	if m := p.monitor; m != nil && p.steps >= p.monitorAt {
		next, err := m.Pause(p)
		if err != nil {
			return err
		}
		if next == 0 {
			next = 1
		}
		p.monitorAt = p.steps + next
	}
	p.schedule()
	return nil
}
