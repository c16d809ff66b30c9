// Package vmprof profiles linkvm processes (vmrun --profile): it samples
// their call stacks every so many instructions and writes the samples as
// a CPU profile in pprof's format, which `go tool pprof` reads, with
// function names, source files and lines from the images' symbols and
// line tables (docs/debugging.md).
package vmprof

import (
	"cmp"
	"encoding/binary"
	"fmt"
	"io"
	"slices"
	"sync"

	"github.com/google/pprof/profile"

	"linkvm/internal/vmtrace"
	"linkvm/objfmt"
	"linkvm/vm"
)

// DefaultPeriod is how many instructions pass between two samples: a
// prime, so that no loop's length divides it and each instruction of a
// loop gets its share of the samples.
const DefaultPeriod = 997

// Profile collects the samples of any number of processes, which may run
// at the same time, into one profile. Each sample's value is the
// instructions run since the process's previous sample, so that the
// values add up to the instructions the processes ran while watched.
type Profile struct {
	period uint64

	mu      sync.Mutex
	samples map[string]*sample // by process and stack
}

// sample is one call stack of one process and what was counted there.
type sample struct {
	pid    int
	stack  []frame // innermost first
	count  int64   // samples taken
	instrs int64   // instructions they stand for
}

// frame is one entry of a sampled stack, named when it was taken (the
// module may be unmapped by the time the profile is written).
type frame struct {
	vm.Frame
	name    string // the function, module-qualified
	mapping mapping
}

// mapping is the module a frame is in. It is a map key in Build; start
// tells apart the modules mapped from one path at different bases.
type mapping struct {
	path       string
	start, end uint64
}

// New returns a Profile that samples every period instructions (0 means
// DefaultPeriod).
func New(period uint64) *Profile {
	if period == 0 {
		period = DefaultPeriod
	}
	return &Profile{period: period, samples: map[string]*sample{}}
}

// Monitor returns a new sampler for one process: attach it with
// SetMonitor (or vmtrace.Combine) before the process runs.
func (pr *Profile) Monitor() vm.Monitor { return &sampler{pr: pr} }

// sampler samples one process.
type sampler struct {
	pr      *Profile
	maps    map[*vm.Module]mapping
	last    uint64 // the step count at the last sample
	started bool
}

// Pause takes a sample of the instructions run since the last (the first
// pause only notes where counting starts).
func (s *sampler) Pause(p *vm.Process) (uint64, error) {
	if !s.started {
		s.started, s.last = true, p.Steps()
		s.maps = map[*vm.Module]mapping{}
		return s.pr.period, nil
	}
	s.take(p)
	return s.pr.period, nil
}

// Finish takes the last sample, of the instructions run since the one
// before.
func (s *sampler) Finish(p *vm.Process) {
	if s.started {
		s.take(p)
	}
}

// take records the stack where p is now for the instructions run since
// the last sample.
func (s *sampler) take(p *vm.Process) {
	n := p.Steps() - s.last
	s.last = p.Steps()
	if n == 0 {
		return
	}
	bt := p.Backtrace()
	key := make([]byte, 8, 8+8*len(bt))
	binary.LittleEndian.PutUint64(key, uint64(p.ID()))
	for _, f := range bt {
		key = binary.LittleEndian.AppendUint64(key, f.PC)
	}
	s.pr.mu.Lock()
	defer s.pr.mu.Unlock()
	smp := s.pr.samples[string(key)]
	if smp == nil {
		// Name the frames only for a stack not seen before: most samples
		// repeat one.
		smp = &sample{pid: p.ID(), stack: s.stack(p, bt)}
		s.pr.samples[string(key)] = smp
	}
	smp.count++
	smp.instrs += int64(n)
}

// stack names the frames of bt, p's backtrace.
func (s *sampler) stack(p *vm.Process, bt []vm.Frame) []frame {
	stack := make([]frame, len(bt))
	for i, f := range bt {
		stack[i] = frame{Frame: f, name: vmtrace.FuncName(f), mapping: s.mapping(p, f.PC)}
	}
	return stack
}

// mapping returns the module holding pc, as a pprof mapping.
func (s *sampler) mapping(p *vm.Process, pc uint64) mapping {
	m := p.ModuleAt(pc)
	if m == nil {
		return mapping{}
	}
	if mp, ok := s.maps[m]; ok {
		return mp
	}
	mp := mapping{path: m.Path}
	first := true
	for _, sec := range m.File.Sections {
		if sec == nil || sec.Flags&objfmt.FlagAlloc == 0 || sec.Size == 0 {
			continue
		}
		lo, hi := m.Base+sec.Addr, m.Base+sec.Addr+sec.Size
		if first || lo < mp.start {
			mp.start = lo
		}
		mp.end = max(mp.end, hi)
		first = false
	}
	s.maps[m] = mp
	return mp
}

// Build returns the profile of the samples taken so far. It is
// deterministic: the same samples give the same profile.
func (pr *Profile) Build() *profile.Profile {
	pr.mu.Lock()
	samples := make([]*sample, 0, len(pr.samples))
	for _, s := range pr.samples {
		samples = append(samples, s)
	}
	pr.mu.Unlock()
	slices.SortFunc(samples, func(a, b *sample) int {
		if c := cmp.Compare(a.pid, b.pid); c != 0 {
			return c
		}
		for i := 0; i < len(a.stack) && i < len(b.stack); i++ {
			if c := cmp.Compare(a.stack[len(a.stack)-1-i].PC, b.stack[len(b.stack)-1-i].PC); c != 0 {
				return c
			}
		}
		return cmp.Compare(len(a.stack), len(b.stack))
	})

	prof := &profile.Profile{
		SampleType: []*profile.ValueType{
			{Type: "samples", Unit: "count"},
			{Type: "instructions", Unit: "count"},
		},
		DefaultSampleType: "instructions",
		PeriodType:        &profile.ValueType{Type: "instructions", Unit: "count"},
		Period:            int64(pr.period),
		Comments:          []string{fmt.Sprintf("linkvm vmrun --profile: a sample every %d instructions", pr.period)},
	}
	mappings := map[mapping]*profile.Mapping{}
	type locKey struct {
		m  mapping
		pc uint64
	}
	locations := map[locKey]*profile.Location{}
	type funcKey struct{ name, file string }
	functions := map[funcKey]*profile.Function{}
	for _, s := range samples {
		ps := &profile.Sample{
			Value:    []int64{s.count, s.instrs},
			NumLabel: map[string][]int64{"pid": {int64(s.pid)}},
		}
		for _, f := range s.stack {
			lk := locKey{f.mapping, f.PC}
			loc := locations[lk]
			if loc == nil {
				loc = &profile.Location{ID: uint64(len(prof.Location) + 1), Address: f.PC}
				if f.mapping != (mapping{}) {
					mp := mappings[f.mapping]
					if mp == nil {
						mp = &profile.Mapping{ID: uint64(len(prof.Mapping) + 1), Start: f.mapping.start, Limit: f.mapping.end,
							File: f.mapping.path, HasFunctions: true, HasFilenames: true, HasLineNumbers: true}
						mappings[f.mapping] = mp
						prof.Mapping = append(prof.Mapping, mp)
					}
					loc.Mapping = mp
				}
				fk := funcKey{f.name, f.File}
				fn := functions[fk]
				if fn == nil {
					fn = &profile.Function{ID: uint64(len(prof.Function) + 1), Name: f.name, SystemName: f.name, Filename: f.File}
					functions[fk] = fn
					prof.Function = append(prof.Function, fn)
				}
				loc.Line = []profile.Line{{Function: fn, Line: int64(f.Line)}}
				locations[lk] = loc
				prof.Location = append(prof.Location, loc)
			}
			ps.Location = append(ps.Location, loc)
		}
		prof.Sample = append(prof.Sample, ps)
	}
	return prof
}

// Write writes the profile, gzip-compressed protocol buffers as pprof
// reads them.
func (pr *Profile) Write(w io.Writer) error {
	return pr.Build().Write(w)
}
