package main

import (
	"fmt"
	"strings"
	"time"
)

// report is everything one `make bench` measured.
type report struct {
	Machine machine
	Runs    int       // timed runs per implementation and benchmark
	Impls   []impl    // the implementations measured, in column order
	Missing []impl    // the peers that are not installed
	Rows    []row     // one per benchmark
	Go      []goBench // the interpreter's Go benchmarks
	SVG     string    // the plot's file name, relative to the document
}

// row is one benchmark's results.
type row struct {
	Bench benchmark
	Stats map[string]stats // by impl ID
	// Dyn is the median, over the rounds, of linkvm dynamic's time over
	// static's in the same round (see pairedRatio); 0 when not measured.
	Dyn float64
}

// machine describes where the benchmarks ran.
type machine struct {
	Date     string // UTC, YYYY-MM-DD
	CPU      string
	Cores    int
	Memory   string
	OS       string
	Go       string
	Versions []string // of the peers measured
	Load     string   // the load average before and after
}

// Targets of issue 8, which the tables mark.
const (
	luaTarget    = 0.5  // linkvm / Lua 5.4 at most
	luajitTarget = 1.0  // linkvm / LuaJIT -joff below
	dynTolerance = 0.03 // dynamic / static within ±3%
	instsTarget  = 1e9  // VM instructions per second on straight-line code
	sieveMemory  = 32e6 // bytes: sieve(10,000,000)'s peak memory below 32 MB
)

// ratio is linkvm static's median time over impl id's, or 0 if either
// was not measured.
func (r row) ratio(id string) float64 {
	a, b := r.Stats[linkvmStatic.ID], r.Stats[id]
	if a.Median == 0 || b.Median == 0 {
		return 0
	}
	return float64(a.Median) / float64(b.Median)
}

// has reports whether impl id was measured.
func (rep *report) has(id string) bool {
	for _, x := range rep.Impls {
		if x.ID == id {
			return true
		}
	}
	return false
}

// markdown renders the report as the generated section of
// docs/performance.md.
func (rep *report) markdown() string {
	var b strings.Builder
	m := rep.Machine
	fmt.Fprintf(&b, "Measured on %s by `make bench`: each implementation ran %d times, the runs\n", m.Date, rep.Runs)
	b.WriteString("interleaved, after a run that checks that they all print the same answer.\n")
	b.WriteString("Times are the median wall time of the whole process (start-up included);\n")
	b.WriteString("the ratios are linkvm's static image over the peer (lower is better).\n")
	b.WriteString("The rounds run the implementations in the order of the table, then the\n")
	b.WriteString("other way round. Dynamic ÷ static is the median of the rounds' ratios:\n")
	b.WriteString("each round runs the two images back to back, so that the machine's\n")
	b.WriteString("drift, which moves single times by several percent here, falls on both\n")
	b.WriteString("alike.\n\n")
	b.WriteString("| | |\n|---|---|\n")
	fmt.Fprintf(&b, "| CPU | %s, %d cores |\n", m.CPU, m.Cores)
	fmt.Fprintf(&b, "| memory | %s |\n", m.Memory)
	fmt.Fprintf(&b, "| OS | %s |\n", m.OS)
	fmt.Fprintf(&b, "| Go | %s |\n", m.Go)
	if len(m.Versions) > 0 {
		fmt.Fprintf(&b, "| peers | %s |\n", strings.Join(m.Versions, "; "))
	}
	fmt.Fprintf(&b, "| load average | %s |\n", m.Load)
	if len(rep.Missing) > 0 {
		var names, pkgs []string
		for _, x := range rep.Missing {
			names = append(names, x.Label)
			pkgs = appendNew(pkgs, x.Package)
		}
		fmt.Fprintf(&b, "| not installed | %s (`sudo apt-get install %s`) |\n", strings.Join(names, ", "), strings.Join(pkgs, " "))
	}

	b.WriteString("\n#### Time\n\n")
	b.WriteString("| benchmark |")
	sep := "|---|"
	for _, x := range rep.Impls {
		fmt.Fprintf(&b, " %s |", x.Label)
		sep += "---:|"
	}
	var ratioCols []string
	if rep.has(lua54.ID) {
		ratioCols = append(ratioCols, fmt.Sprintf("÷ Lua 5.4 (≤ %.2f)", luaTarget))
	}
	if rep.has(luajitOff.ID) {
		ratioCols = append(ratioCols, "÷ LuaJIT -joff (< 1)")
	}
	if rep.has(linkvmDynamic.ID) {
		ratioCols = append(ratioCols, "dynamic ÷ static (±3%)")
	}
	for _, c := range ratioCols {
		fmt.Fprintf(&b, " %s |", c)
		sep += "---:|"
	}
	b.WriteString("\n" + sep + "\n")
	for _, r := range rep.Rows {
		fmt.Fprintf(&b, "| %s %s |", r.Bench.Name, r.Bench.Arg)
		for _, x := range rep.Impls {
			fmt.Fprintf(&b, " %s |", seconds(r.Stats[x.ID].Median))
		}
		if rep.has(lua54.ID) {
			q := r.ratio(lua54.ID)
			fmt.Fprintf(&b, " %s |", mark(q, q <= luaTarget))
		}
		if rep.has(luajitOff.ID) {
			q := r.ratio(luajitOff.ID)
			fmt.Fprintf(&b, " %s |", mark(q, q < luajitTarget))
		}
		if rep.has(linkvmDynamic.ID) {
			q := r.Dyn
			fmt.Fprintf(&b, " %s |", mark(q, q >= 1-dynTolerance && q <= 1+dynTolerance))
		}
		b.WriteString("\n")
	}
	if rep.SVG != "" {
		fmt.Fprintf(&b, "\n![linkvm's time over Lua 5.4's and LuaJIT -joff's, per benchmark](%s)\n", rep.SVG)
	}

	b.WriteString("\n#### Peak memory\n\n")
	b.WriteString("Maximum resident set size of the process (getrusage), the largest of the runs.\n\n")
	b.WriteString("| benchmark |")
	sep = "|---|"
	for _, x := range rep.Impls {
		fmt.Fprintf(&b, " %s |", x.Label)
		sep += "---:|"
	}
	b.WriteString("\n" + sep + "\n")
	for _, r := range rep.Rows {
		fmt.Fprintf(&b, "| %s %s |", r.Bench.Name, r.Bench.Arg)
		for _, x := range rep.Impls {
			v := megabytes(r.Stats[x.ID].MaxRSS)
			if r.Bench.Name == "sieve" && (x.ID == linkvmStatic.ID || x.ID == linkvmDynamic.ID) && r.Stats[x.ID].MaxRSS > 0 {
				v = mark2(v, r.Stats[x.ID].MaxRSS < sieveMemory)
			}
			fmt.Fprintf(&b, " %s |", v)
		}
		b.WriteString("\n")
	}

	if len(rep.Go) > 0 {
		b.WriteString("\n#### Interpreter (Go benchmarks)\n\n")
		b.WriteString("`go test -ldflags=-funcalign=64 -run '^$' -bench . -benchmem ./vm/`, the\n")
		b.WriteString("fastest of the runs, in VM instructions per second. ArithLoop and\n")
		b.WriteString("StraightLine are straight-line integer code (target ≥ 1 billion): in\n")
		b.WriteString("ArithLoop each instruction uses the result of the one before, in\n")
		b.WriteString("StraightLine they are independent.\n\n")
		b.WriteString("| benchmark | time per op | VM instructions/s |\n|---|---:|---:|\n")
		for _, g := range rep.Go {
			v := millions(g.InstsPerS)
			if g.Name == "ArithLoop" || g.Name == "StraightLine" {
				v = mark2(v, g.InstsPerS >= instsTarget)
			}
			fmt.Fprintf(&b, "| %s | %s | %s |\n", g.Name, nanoseconds(g.NsPerOp), v)
		}
	}
	return b.String()
}

// appendNew appends s to list unless it is there already.
func appendNew(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

// seconds formats a duration as seconds with three decimals, "–" for 0.
func seconds(d time.Duration) string {
	if d == 0 {
		return "–"
	}
	return fmt.Sprintf("%.3f s", d.Seconds())
}

// megabytes formats a byte count in MB (10^6 bytes), "–" for 0.
func megabytes(n int64) string {
	if n == 0 {
		return "–"
	}
	return fmt.Sprintf("%.1f MB", float64(n)/1e6)
}

// nanoseconds formats a time per operation: ns with two decimals below a
// microsecond, µs or ms with three digits above.
func nanoseconds(ns float64) string {
	switch {
	case ns < 1e3:
		return fmt.Sprintf("%.2f ns", ns)
	case ns < 1e6:
		return fmt.Sprintf("%.1f µs", ns/1e3)
	}
	return fmt.Sprintf("%.2f ms", ns/1e6)
}

// millions formats a rate in millions per second.
func millions(v float64) string {
	return fmt.Sprintf("%.0f M", v/1e6)
}

// mark formats a ratio with whether it meets its target, "–" for 0.
func mark(q float64, ok bool) string {
	if q == 0 {
		return "–"
	}
	return mark2(fmt.Sprintf("%.2f", q), ok)
}

// mark2 appends ✓ or ✗ to v.
func mark2(v string, ok bool) string {
	if ok {
		return v + " ✓"
	}
	return v + " ✗"
}

// The markers around the generated section of docs/performance.md.
const (
	beginMarker = "<!-- BEGIN GENERATED BENCHMARKS: make bench -->"
	endMarker   = "<!-- END GENERATED BENCHMARKS -->"
)

// splice replaces what lies between the markers in doc with section.
func splice(doc, section string) (string, error) {
	i := strings.Index(doc, beginMarker)
	j := strings.Index(doc, endMarker)
	if i < 0 || j < 0 || j < i {
		return "", fmt.Errorf("no %q ... %q section to replace", beginMarker, endMarker)
	}
	return doc[:i+len(beginMarker)] + "\n" + section + doc[j:], nil
}
