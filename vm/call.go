package vm

import (
	"errors"
	"fmt"

	"linkvm/vm/isa"
)

// hostReturn is the return address Call gives the function it runs: an
// address that is never mapped (it is AddrLimit), so that the function's
// final `ret` leaves the interpreter through the bad-jump slow path, which
// recognises it while a Call is active.
const hostReturn = AddrLimit

// maxCallDepth bounds how deeply Calls may nest (an init function that
// dlopens a module whose init function dlopens ...).
const maxCallDepth = 64

// maxCallArgs is how many arguments Call passes, in r0..r7.
const maxCallArgs = 8

// errHostReturn stops the interpreter when a function run by Call returns
// to hostReturn. It never leaves the package.
var errHostReturn = errors.New("return to host")

// savedState is what Call saves of the code it interrupts.
type savedState struct {
	regs [isa.NumRegs]uint64
	pc   uint64
	// inGuest is set when the Call was made from a system call (Run, or
	// another Call, is suspended in it): backtraces continue into it, at
	// the `sys` instruction before pc.
	inGuest bool
}

// ExitError is the error Call returns when the program exits (sys 0 or
// halt) inside the called function. The process is then finished: Run
// (or the suspended Run, if the Call came from a system call) ends with
// Status, and further Calls fail.
type ExitError struct {
	// Status is the exit status, as Run would return it.
	Status int
}

// Error says the program exited and with which status.
func (e *ExitError) Error() string {
	return fmt.Sprintf("the program exited with status %d", e.Status)
}

// Call runs the function at fn with args in r0..r7 on the process's stack
// (below the current sp, 16-aligned; fp = 0; lr = a reserved address that
// returns control to Call) until it returns, and returns its r0. The
// registers and pc of the code it interrupts are restored afterwards, so a
// DynamicLinker method called from a system call (dlopen running init
// functions) may use Call while Run is suspended in that system call, and
// Calls may nest. Before Start, the stack is the one the program will
// start with (its arguments are above sp and left alone).
//
// If the function traps, Call returns the *Trap (with its backtrace,
// continuing into the suspended caller's frames) and the process is
// finished: Run returns the trap. If the program exits, Call returns an
// *ExitError. Only Exit may Call after the program has exited.
func (p *Process) Call(fn uint64, args ...uint64) (uint64, error) {
	switch {
	case p.cfgErr != nil:
		return 0, p.cfgErr
	case p.trap != nil:
		return 0, errors.New("vm: the process has trapped")
	case p.done || (p.exited && !p.inExit):
		return 0, errors.New("vm: the program has exited")
	case len(args) > maxCallArgs:
		return 0, fmt.Errorf("vm: Call with %d arguments (at most %d)", len(args), maxCallArgs)
	case len(p.calls) >= maxCallDepth:
		return 0, fmt.Errorf("vm: Calls nested more than %d deep", maxCallDepth)
	}
	if p.heap == nil {
		p.mapHeap(p.highestBelowStack())
	}
	p.calls = append(p.calls, savedState{regs: p.regs, pc: p.pc, inGuest: p.running > 0})
	var regs [isa.NumRegs]uint64
	copy(regs[:], args)
	regs[isa.RegSP] = p.regs[isa.RegSP] &^ 15
	regs[isa.RegLR] = hostReturn
	p.regs, p.pc = regs, fn
	err := p.execute()
	res := p.regs[0]
	if t, ok := err.(*Trap); ok {
		t.Frames = p.backtrace(t.PC)
		p.trap = t
	}
	saved := &p.calls[len(p.calls)-1]
	p.regs, p.pc = saved.regs, saved.pc
	p.calls = p.calls[:len(p.calls)-1]
	switch err {
	case errHostReturn:
		return res, nil
	case errExit:
		p.exited = true
		p.exits++
		return 0, &ExitError{Status: p.status}
	}
	return 0, err
}

// stopped returns the error that ends the process after a host callback
// (a DynamicLinker method) returns: the trap or the exit that happened in
// a Call it made (exits is p.exits before the callback), or nil.
func (p *Process) stopped(exits int) error {
	switch {
	case p.trap != nil:
		return p.trap
	case p.exits != exits:
		return errExit
	}
	return nil
}
