package main

import (
	"os"
	"os/signal"
	"sync/atomic"

	"linkvm/vm"
)

// sigint is vmrun's handling of SIGINT (Ctrl-C) while its processes run.
type sigint struct {
	ch   chan os.Signal
	done chan struct{}
	got  atomic.Bool
}

// interruptOnSignal makes the first SIGINT interrupt every process of
// host: each flushes its output and ends with an "interrupted" trap,
// including one blocked in wait, reading its input or writing to a full
// pipe (vm.Host.Interrupt). It then stops listening, so that a second
// SIGINT kills vmrun at once, whatever a process is stuck in.
func interruptOnSignal(host *vm.Host) *sigint {
	s := &sigint{ch: make(chan os.Signal, 1), done: make(chan struct{})}
	signal.Notify(s.ch, os.Interrupt)
	go func() {
		select {
		case <-s.ch:
			s.got.Store(true)
			signal.Stop(s.ch)
			host.Interrupt()
		case <-s.done:
		}
	}()
	return s
}

// received reports whether SIGINT came (and interrupted the host).
func (s *sigint) received() bool { return s.got.Load() }

// stop stops listening for SIGINT.
func (s *sigint) stop() {
	signal.Stop(s.ch)
	close(s.done)
}
