package vm

import (
	"errors"
	"fmt"
	"time"
)

// Run executes the program until it exits, halts or traps. On exit or halt
// it calls the dynamic linker's Exit (which runs fini functions) and
// returns the status (the full value of r0; vmrun keeps the low 8 bits).
// On a trap it returns a *Trap, with its backtrace, as err. Either way the
// program's buffered output has been flushed, and open files closed, by
// the time Run returns; an error flushing the output is returned (wrapped)
// when there is no trap. A process runs once, after Start. If a Call made
// before Run (an init function) trapped or exited, Run ends the same way
// without running the program.
func (p *Process) Run() (status int, err error) {
	switch {
	case p.ran:
		return 0, errors.New("vm: process has already run")
	case p.cfgErr != nil:
		p.closeFiles()
		return 0, p.cfgErr
	case !p.started:
		return 0, errors.New("vm: process has not been started")
	}
	p.ran = true
	p.start = time.Now()
	switch {
	case p.trap != nil:
		err = p.trap
	case p.exited:
		err = errExit
	default:
		err = p.execute()
	}
	if err == errExit {
		p.exited = true
		if p.linker != nil {
			p.inExit = true
			p.linker.Exit(p)
			p.inExit = false
			if p.trap != nil {
				err = p.trap
			}
		}
	}
	if f, ok := p.monitor.(Finisher); ok {
		f.Finish(p)
	}
	p.done = true
	ferr := p.out.flush()
	p.closeFiles()
	if err == errExit {
		if ferr != nil {
			return p.status, fmt.Errorf("writing the program's output: %w", ferr)
		}
		return p.status, nil
	}
	if t, ok := err.(*Trap); ok && t.Frames == nil {
		t.Frames = p.backtrace(t.PC)
	}
	return 0, err
}

// Close releases the host files and directories of a process that will
// not Run (Run releases them itself), after flushing the program's
// buffered output.
func (p *Process) Close() error {
	err := p.out.flush()
	p.closeFiles()
	return err
}
