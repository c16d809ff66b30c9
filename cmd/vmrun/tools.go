package main

import (
	"io"

	"linkvm/vm"
)

// toolOptions are the teaching tools' flags: --trace, --count, --profile.
type toolOptions struct {
	// trace is "" (off), "all" (every instruction) or "calls".
	trace string
	// count asks for instruction counts and peak memory at exit.
	count bool
	// profile is the file to write a pprof CPU profile to, "" for none.
	profile string
}

// attach sets up the monitors the options ask for on a new process.
func (o *toolOptions) attach(p *vm.Process) {
	// Not yet: the tracer, counter and profiler (issue 10).
}

// finish writes the reports of the options at exit.
func (o *toolOptions) finish(stderr io.Writer) {}
