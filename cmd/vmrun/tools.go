package main

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sync"

	"linkvm/internal/atomicfile"
	"linkvm/internal/vmprof"
	"linkvm/internal/vmtrace"
	"linkvm/vm"
)

// toolOptions are the teaching tools' flags: --trace, --count, --profile
// (docs/debugging.md). Each process loaded gets its own tracer and
// counter; the profile is one for all of them.
type toolOptions struct {
	// trace is "" (off), "all" (every instruction) or "calls".
	trace string
	// count asks for instruction counts and peak memory at exit.
	count bool
	// profile is the file to write a pprof CPU profile to, "" for none.
	profile string

	mu       sync.Mutex         // attach runs in the goroutine of the process that spawns
	counters []*vmtrace.Counter // one per process, with --count
	prof     *vmprof.Profile    // with --profile
}

// checkProfile refuses a --profile file that cannot be written: it is
// written at exit, after what may be a long run.
func checkProfile(path string) error {
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return errors.New("is a directory")
	}
	fi, err := os.Stat(filepath.Dir(path))
	if err != nil {
		return err
	}
	if !fi.IsDir() {
		return fmt.Errorf("%s is not a directory", filepath.Dir(path))
	}
	return nil
}

// attach sets up the monitors the options ask for on a new process; with
// none, the process runs without any.
func (o *toolOptions) attach(p *vm.Process) {
	var ms []vm.Monitor
	switch o.trace {
	case "all":
		ms = append(ms, vmtrace.NewTracer())
	case "calls":
		ms = append(ms, vmtrace.NewCallTracer())
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.count {
		c := vmtrace.NewCounter()
		o.counters = append(o.counters, c)
		ms = append(ms, c)
	}
	if o.profile != "" {
		if o.prof == nil {
			o.prof = vmprof.New(0)
		}
		ms = append(ms, o.prof.Monitor())
	}
	if len(ms) > 0 {
		p.SetMonitor(vmtrace.Combine(ms...), 0)
	}
}

// finish writes the reports of the options once every process has ended:
// the counts to stderr, by pid, and the profile to its file.
func (o *toolOptions) finish(stderr io.Writer) {
	o.mu.Lock()
	defer o.mu.Unlock()
	reports := make([]vmtrace.Report, len(o.counters))
	for i, c := range o.counters {
		reports[i] = c.Report()
	}
	slices.SortFunc(reports, func(a, b vmtrace.Report) int { return cmp.Compare(a.PID, b.PID) })
	for i, r := range reports {
		if i > 0 {
			fmt.Fprintln(stderr)
		}
		r.Write(stderr)
	}
	if o.prof != nil {
		var b bytes.Buffer
		err := o.prof.Write(&b)
		if err == nil {
			err = atomicfile.WriteFile(o.profile, b.Bytes(), 0o644)
		}
		if err != nil {
			fmt.Fprintf(stderr, "vmrun: --profile %s: %v\n", o.profile, err)
		}
	}
}
