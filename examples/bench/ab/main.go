// Command ab compares builds of vmrun (or any programs) on one workload:
// it runs them in turn, n rounds (in the order given, then the other way
// round, as make bench does), so that a drift of the machine's speed
// falls on all of them alike, and prints each one's fastest and median
// CPU time (user + system, from the kernel's accounting of the child),
// and for each after the first the median of its rounds' ratios to the
// first (stat.Ratio), the steadier figure for a difference of a few
// percent:
//
//	go run ./examples/bench/ab [-n 7] /tmp/vmrun.old bin/vmrun -- build/examples/fib-static.img 32
//
// Two builds of the same interpreter can differ by ±5% from where the
// linker puts run's code alone (docs/performance.md, "Alignment"), so a
// change is judged on interleaved runs of both, never on one run each.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"slices"
	"time"

	"linkvm/examples/bench/internal/stat"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "ab:", err)
		os.Exit(2)
	}
}

func run(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("ab", flag.ContinueOnError)
	fs.SetOutput(stderr)
	n := fs.Int("n", 7, "rounds: each program runs this many times")
	if err := fs.Parse(args); err != nil {
		return err
	}
	rest := fs.Args()
	i := slices.Index(rest, "--")
	if i < 1 || *n < 1 {
		return errors.New("usage: ab [-n rounds] PROGRAM... -- [ARG...]")
	}
	progs, pargs := rest[:i], rest[i+1:]
	times := make([][]time.Duration, len(progs))
	for r := range *n {
		for _, k := range stat.Order(len(progs), r) {
			prog := progs[k]
			t, err := cpuTime(prog, pargs)
			if err != nil {
				return err
			}
			times[k] = append(times[k], t)
		}
	}
	for k, prog := range progs {
		fmt.Fprintf(stdout, "%-28s min %.4f s  median %.4f s", prog,
			slices.Min(times[k]).Seconds(), stat.Median(times[k]).Seconds())
		if k > 0 {
			fmt.Fprintf(stdout, "  ÷ first %.4f", stat.Ratio(times[k], times[0]))
		}
		fmt.Fprintln(stdout)
	}
	return nil
}

// cpuTime runs prog with args, its output discarded, and returns the
// user and system time it used. A program that fails is an error: a
// comparison of crashes means nothing.
func cpuTime(prog string, args []string) (time.Duration, error) {
	cmd := exec.Command(prog, args...)
	if err := cmd.Run(); err != nil {
		return 0, fmt.Errorf("%s: %w", prog, err)
	}
	return cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime(), nil
}
