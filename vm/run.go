package vm

import (
	"errors"
	"fmt"
	"time"
)

// Run executes the program until it exits, halts or traps. On exit or halt
// it returns the status (the full value of r0; vmrun keeps the low 8
// bits). On a trap it returns a *Trap, with its backtrace, as err. Either
// way the program's buffered output has been flushed, and open files
// closed, by the time Run returns; an error flushing the output is
// returned (wrapped) when there is no trap. A process runs once.
func (p *Process) Run() (status int, err error) {
	if p.ran {
		return 0, errors.New("vm: process has already run")
	}
	p.ran = true
	p.start = time.Now()
	err = p.exec()
	ferr := p.out.flush()
	p.closeFiles()
	if err == errExit {
		if ferr != nil {
			return p.status, fmt.Errorf("writing the program's output: %w", ferr)
		}
		return p.status, nil
	}
	if t, ok := err.(*Trap); ok {
		t.Frames = p.backtrace(t.PC)
	}
	return 0, err
}

// Close releases the host files and directories of a process that will
// not Run (Run releases them itself).
func (p *Process) Close() error {
	p.closeFiles()
	return nil
}

// Steps returns the number of instructions executed so far.
func (p *Process) Steps() uint64 { return p.steps }
