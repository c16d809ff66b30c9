package main

import (
	"bytes"
	"fmt"
	"os/exec"
	"slices"
	"strings"
	"syscall"
	"time"

	"linkvm/examples/bench/internal/stat"
)

// sample is one run of one implementation of a benchmark.
type sample struct {
	Wall   time.Duration // from start to exit, process creation included
	CPU    time.Duration // user + system time of the child
	MaxRSS int64         // the child's peak resident memory in bytes (getrusage), 0 if unknown
}

// runOnce runs argv and returns what it printed on standard output and
// its times. A failure to start, an exit status other than 0 or anything
// on standard error is an error.
func runOnce(argv []string) (string, sample, error) {
	cmd := exec.Command(argv[0], argv[1:]...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	if err == nil && errb.Len() > 0 {
		err = fmt.Errorf("wrote to standard error")
	}
	if err != nil {
		return "", sample{}, fmt.Errorf("%s: %w\n%s", strings.Join(argv, " "), err, clip(errb.String()))
	}
	s := sample{Wall: wall, CPU: cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		s.MaxRSS = int64(ru.Maxrss) * 1024 // kilobytes on Linux
	}
	return out.String(), s, nil
}

// clip shortens a program's output for an error message.
func clip(s string) string {
	const max = 400
	if len(s) > max {
		return s[:max] + "…"
	}
	return s
}

// checkOutputs returns an error naming every implementation whose output
// differs from the first's, with both outputs.
func checkOutputs(b benchmark, ids []string, outs []string) error {
	var bad []string
	for i := 1; i < len(outs); i++ {
		if outs[i] != outs[0] {
			bad = append(bad, fmt.Sprintf("%s printed\n%s", ids[i], clip(outs[i])))
		}
	}
	if len(bad) == 0 {
		return nil
	}
	return fmt.Errorf("%s %s: the implementations disagree: %s printed\n%s%s",
		b.Name, b.Arg, ids[0], clip(outs[0]), strings.Join(bad, ""))
}

// stats summarises the samples of one implementation of one benchmark.
type stats struct {
	Runs   int
	Median time.Duration // of the wall times
	Min    time.Duration // the fastest wall time
	CPU    time.Duration // median user + system time
	MaxRSS int64         // the largest peak resident memory of the runs
}

// summarise computes the stats of samples (at least one).
func summarise(samples []sample) stats {
	walls := make([]time.Duration, len(samples))
	cpus := make([]time.Duration, len(samples))
	st := stats{Runs: len(samples)}
	for i, s := range samples {
		walls[i], cpus[i] = s.Wall, s.CPU
		st.MaxRSS = max(st.MaxRSS, s.MaxRSS)
	}
	st.Median, st.CPU = stat.Median(walls), stat.Median(cpus)
	st.Min = slices.Min(walls)
	return st
}
