// Command bench runs the benchmark suite side by side: each benchmark in
// linkvm (its static and its dynamic image) and in the peers that are
// installed (Lua 5.4, LuaJIT with its JIT off and on, Python 3), checks
// that they all print the same answer, times them, and writes the table
// and a plot of the ratios into docs/performance.md and docs/bench.svg.
// `make bench` builds the tools, libstd and the examples, then runs it:
//
//	go run ./examples/bench [-runs 5] [-go-runs 5] [-only fib,sieve] [-no-doc] [-v]
//
// Peer programs are in examples/bench/peers/. Timings are measurements,
// never assertions: run it on a machine that is otherwise idle.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"linkvm/examples/bench/internal/stat"
	"linkvm/internal/atomicfile"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

// options are the command's flags.
type options struct {
	runs    int
	goRuns  int
	only    string
	noDoc   bool
	root    string
	doc     string
	svg     string
	goTool  string
	dirs    dirs
	verbose bool
}

func run(args []string, stdout, stderr io.Writer) error {
	var o options
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.IntVar(&o.runs, "runs", 5, "timed runs of every implementation of every benchmark")
	fs.IntVar(&o.goRuns, "go-runs", 5, "runs of each Go benchmark of ./vm (0: none)")
	fs.StringVar(&o.only, "only", "", "comma-separated benchmarks to run (default: all)")
	fs.BoolVar(&o.noDoc, "no-doc", false, "print the tables only; do not rewrite docs/performance.md and docs/bench.svg")
	fs.StringVar(&o.root, "root", "", "the repository (default: found from the working directory)")
	fs.StringVar(&o.dirs.Bin, "bin", "", "the directory of vmrun, with libstd in ../lib (default: ROOT/bin)")
	fs.StringVar(&o.dirs.Images, "images", "", "the directory of the examples' images (default: ROOT/build/examples)")
	fs.BoolVar(&o.verbose, "v", false, "print every run")
	fs.StringVar(&o.goTool, "go", "go", "the go command, for the Go benchmarks")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	if o.runs < 1 {
		return errors.New("-runs must be at least 1")
	}
	if o.root == "" {
		r, err := findRoot()
		if err != nil {
			return err
		}
		o.root = r
	}
	if o.dirs.Bin == "" {
		o.dirs.Bin = filepath.Join(o.root, "bin")
	}
	if o.dirs.Images == "" {
		o.dirs.Images = filepath.Join(o.root, "build", "examples")
	}
	o.dirs.Peers = filepath.Join(o.root, "examples", "bench", "peers")
	o.doc = filepath.Join(o.root, "docs", "performance.md")
	o.svg = filepath.Join(o.root, "docs", "bench.svg")
	benches, err := selectBenchmarks(o.only)
	if err != nil {
		return err
	}
	if err := checkBuilt(o.dirs, benches); err != nil {
		return err
	}

	rep := &report{Runs: o.runs}
	for _, x := range impls {
		if x.Tool == "" {
			rep.Impls = append(rep.Impls, x)
		} else if _, err := exec.LookPath(x.Tool); err == nil {
			rep.Impls = append(rep.Impls, x)
		} else {
			rep.Missing = append(rep.Missing, x)
		}
	}
	if len(rep.Missing) > 0 {
		var names, pkgs []string
		for _, x := range rep.Missing {
			names = append(names, x.Tool)
			pkgs = appendNew(pkgs, x.Package)
		}
		fmt.Fprintf(stderr, "bench: %s not installed, left out; to compare with them: sudo apt-get install %s\n",
			strings.Join(appendNewAll(nil, names), ", "), strings.Join(pkgs, " "))
	}
	rep.Machine = describeMachine(o.goTool, rep.Impls)

	for _, b := range benches {
		r, err := measure(o, rep.Impls, b, stderr)
		if err != nil {
			return err
		}
		rep.Rows = append(rep.Rows, r)
	}
	if o.goRuns > 0 {
		fmt.Fprintf(stderr, "bench: go test -bench ./vm (%d runs each)\n", o.goRuns)
		g, err := runGoBenchmarks(o.goTool, o.goRuns)
		if err != nil {
			return err
		}
		rep.Go = g
	}
	rep.Machine.Load += ", " + loadAverage() + " after"

	if !o.noDoc {
		rep.SVG = filepath.Base(o.svg)
	}
	md := rep.markdown()
	fmt.Fprint(stdout, md)
	if o.noDoc {
		return nil
	}
	doc, err := os.ReadFile(o.doc)
	if err != nil {
		return err
	}
	out, err := splice(string(doc), md)
	if err != nil {
		return fmt.Errorf("%s: %w", o.doc, err)
	}
	if err := atomicfile.WriteFile(o.svg, []byte(ratioSVG(rep)), 0o644); err != nil {
		return err
	}
	if err := atomicfile.WriteFile(o.doc, []byte(out), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "bench: wrote %s and %s\n", o.doc, o.svg)
	return nil
}

// appendNewAll appends each of ss to list unless it is there already.
func appendNewAll(list, ss []string) []string {
	for _, s := range ss {
		list = appendNew(list, s)
	}
	return list
}

// selectBenchmarks returns the suite, or the benchmarks named in only.
func selectBenchmarks(only string) ([]benchmark, error) {
	if only == "" {
		return suite, nil
	}
	var res []benchmark
	for _, name := range strings.Split(only, ",") {
		found := false
		for _, b := range suite {
			if b.Name == name {
				res = append(res, b)
				found = true
			}
		}
		if !found {
			var names []string
			for _, b := range suite {
				names = append(names, b.Name)
			}
			return nil, fmt.Errorf("no benchmark %q (there are %s)", name, strings.Join(names, ", "))
		}
	}
	return res, nil
}

// checkBuilt returns an error if vmrun or an image is missing.
func checkBuilt(d dirs, benches []benchmark) error {
	need := []string{filepath.Join(d.Bin, "vmrun")}
	for _, b := range benches {
		need = append(need, filepath.Join(d.Images, b.Name+".img"), filepath.Join(d.Images, b.Name+"-static.img"))
	}
	for _, f := range need {
		if _, err := os.Stat(f); err != nil {
			return fmt.Errorf("%w (run `make tools libs examples` first, or `make bench`)", err)
		}
	}
	return nil
}

// findRoot returns the repository's top directory: the nearest directory
// above the working directory holding go.mod.
func findRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the working directory: run it in the repository, or give -root")
		}
		dir = parent
	}
}

// measure runs benchmark b: once with every implementation to check that
// they print the same answer, then o.runs times each, interleaved so that
// a change in the machine's load affects them all alike.
func measure(o options, xs []impl, b benchmark, stderr io.Writer) (row, error) {
	fmt.Fprintf(stderr, "bench: %s %s\n", b.Name, b.Arg)
	ids := make([]string, len(xs))
	outs := make([]string, len(xs))
	for i, x := range xs {
		out, _, err := runOnce(x.command(o.dirs, b))
		if err != nil {
			return row{}, err
		}
		ids[i], outs[i] = x.Label, out
	}
	if err := checkOutputs(b, ids, outs); err != nil {
		return row{}, err
	}
	samples := make([][]sample, len(xs))
	for k := 0; k < o.runs; k++ {
		for _, i := range stat.Order(len(xs), k) {
			x := xs[i]
			out, s, err := runOnce(x.command(o.dirs, b))
			if err != nil {
				return row{}, err
			}
			if out != outs[i] {
				return row{}, fmt.Errorf("%s %s: %s printed something else on run %d:\n%s", b.Name, b.Arg, x.Label, k+2, clip(out))
			}
			if o.verbose {
				fmt.Fprintf(stderr, "  %-15s %8.3f s %8.3f s cpu %6.1f MB\n", x.Label, s.Wall.Seconds(), s.CPU.Seconds(), float64(s.MaxRSS)/1e6)
			}
			samples[i] = append(samples[i], s)
		}
	}
	r := row{Bench: b, Stats: map[string]stats{}}
	static, dynamic := -1, -1
	for i, x := range xs {
		r.Stats[x.ID] = summarise(samples[i])
		switch x.ID {
		case linkvmStatic.ID:
			static = i
		case linkvmDynamic.ID:
			dynamic = i
		}
	}
	if static >= 0 && dynamic >= 0 {
		r.Dyn = pairedRatio(samples[dynamic], samples[static])
	}
	return r, nil
}

// pairedRatio is stat.Ratio of a's and b's wall times: a and b hold one
// sample per round, in order.
func pairedRatio(a, b []sample) float64 {
	wall := func(ss []sample) []time.Duration {
		ds := make([]time.Duration, len(ss))
		for k, s := range ss {
			ds[k] = s.Wall
		}
		return ds
	}
	return stat.Ratio(wall(a), wall(b))
}
