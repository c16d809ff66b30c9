package vmtrace

import (
	"math"

	"linkvm/vm"
)

// Combine returns a Monitor that runs each of ms on one process, each at
// the pause points it asks for, and passes Finish on to those that are
// vm.Finishers. With one monitor it returns it as it is.
func Combine(ms ...vm.Monitor) vm.Monitor {
	if len(ms) == 1 {
		return ms[0]
	}
	return &multi{ms: ms, due: make([]uint64, len(ms))}
}

// multi is several monitors on one process.
type multi struct {
	ms  []vm.Monitor
	due []uint64 // the step count at which each monitor is next called
}

// Pause calls the monitors that are due and returns how long until the
// next one is.
func (m *multi) Pause(p *vm.Process) (uint64, error) {
	now := p.Steps()
	next := uint64(math.MaxUint64)
	for i, x := range m.ms {
		if m.due[i] <= now {
			n, err := x.Pause(p)
			if err != nil {
				return 0, err
			}
			m.due[i] = now + max(n, 1)
		}
		next = min(next, m.due[i]-now)
	}
	return next, nil
}

// Finish tells the monitors that want to know that the process ended.
func (m *multi) Finish(p *vm.Process) {
	for _, x := range m.ms {
		if f, ok := x.(vm.Finisher); ok {
			f.Finish(p)
		}
	}
}
