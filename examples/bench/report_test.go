package main

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"linkvm/internal/golden"
)

// sampleReport is a report as two benchmarks measured by every
// implementation would give, with Python missing.
func sampleReport() *report {
	ms := func(v float64) time.Duration { return time.Duration(v * float64(time.Millisecond)) }
	st := func(median float64, rss int64) stats {
		return stats{Runs: 5, Median: ms(median), Min: ms(median * 0.9), CPU: ms(median), MaxRSS: rss}
	}
	return &report{
		Machine: machine{
			Date: "2026-11-27", CPU: "`Test CPU`", Cores: 2, Memory: "24 GiB", OS: "Linux 6.1",
			Go: "go1.26.8 linux/amd64", Versions: []string{"Lua 5.4.4", "LuaJIT 2.1.0-beta3"},
			Load: "0.10 before, 0.20 after",
		},
		Runs:    5,
		Impls:   []impl{linkvmStatic, linkvmDynamic, lua54, luajitOff, luajitOn},
		Missing: []impl{python3},
		Rows: []row{
			{Bench: benchmark{"fib", "32"}, Stats: map[string]stats{
				"static": st(50, 5<<20), "dynamic": st(51, 6<<20), "lua": st(88, 3<<20),
				"luajit-joff": st(62, 3<<20), "luajit": st(20, 3<<20),
			}, Dyn: 51.0 / 50},
			{Bench: benchmark{"sieve", "10000000"}, Stats: map[string]stats{
				"static": st(140, 40<<20), "dynamic": st(150, 16<<20), "lua": st(250, 264<<20),
				"luajit-joff": st(120, 133<<20), "luajit": st(90, 133<<20),
			}, Dyn: 150.0 / 140},
		},
		Go: []goBench{
			{Name: "ArithLoop", NsPerOp: 10, InstsPerS: 1.2e9, Runs: 5},
			{Name: "StraightLine", NsPerOp: 14.5, InstsPerS: 8.3e8, Runs: 5},
			{Name: "Fib", NsPerOp: 800000, InstsPerS: 6.8e8, Runs: 5},
		},
		SVG: "bench.svg",
	}
}

func TestMarkdown(t *testing.T) {
	golden.Check(t, filepath.Join("testdata", "report.md"), sampleReport().markdown())
}

func TestRatioSVG(t *testing.T) {
	golden.Check(t, filepath.Join("testdata", "ratios.svg"), ratioSVG(sampleReport()))
}

func TestRatioSVGWithoutPeers(t *testing.T) {
	rep := sampleReport()
	rep.Impls = []impl{linkvmStatic, linkvmDynamic}
	assert.Empty(t, ratioSVG(rep))
}

func TestRatios(t *testing.T) {
	r := sampleReport().Rows[0]
	assert.InDelta(t, 50.0/88, r.ratio(lua54.ID), 1e-9)
	assert.Zero(t, r.ratio(python3.ID)) // not measured
}

func TestSplice(t *testing.T) {
	doc := "# Performance\n\nbefore\n" + beginMarker + "\nold table\n" + endMarker + "\nafter\n"
	got, err := splice(doc, "new table\n")
	require.NoError(t, err)
	assert.Equal(t, "# Performance\n\nbefore\n"+beginMarker+"\nnew table\n"+endMarker+"\nafter\n", got)

	_, err = splice("# Performance\n", "x")
	assert.EqualError(t, err, `no "<!-- BEGIN GENERATED BENCHMARKS: make bench -->" ... "<!-- END GENERATED BENCHMARKS -->" section to replace`)
}

func TestParseGoBench(t *testing.T) {
	out := `goos: linux
goarch: amd64
pkg: linkvm/vm
cpu: Intel(R) Xeon(R) Processor
BenchmarkArithLoop-2   	28095970	        43.14 ns/op	 278132320 insts/s	       0 B/op	       0 allocs/op
BenchmarkArithLoop-2   	37851133	        42.62 ns/op	 281586052 insts/s	       0 B/op	       0 allocs/op
BenchmarkCall/plt-section-2         	40031714	        61.26 ns/op	 130591061 insts/s	       0 B/op	       0 allocs/op
BenchmarkArithLoop-2   	41123382	        44.44 ns/op	 271586052 insts/s	       0 B/op	       0 allocs/op
PASS
ok  	linkvm/vm	29.211s
`
	got, err := parseGoBench(out)
	require.NoError(t, err)
	assert.Equal(t, []goBench{
		{Name: "ArithLoop", NsPerOp: 42.62, InstsPerS: 281586052, Runs: 3},
		{Name: "Call/plt-section", NsPerOp: 61.26, InstsPerS: 130591061, Runs: 1},
	}, got)

	_, err = parseGoBench("PASS\nok  \tlinkvm/vm\t0.1s\n")
	assert.EqualError(t, err, "go test -bench printed no benchmark results:\nPASS\nok  \tlinkvm/vm\t0.1s\n")
	_, err = parseGoBench("BenchmarkX-2 10 fast ns/op\n")
	assert.EqualError(t, err, `go test -bench: "BenchmarkX-2 10 fast ns/op": strconv.ParseFloat: parsing "fast": invalid syntax`)
}

func TestCheckOutputs(t *testing.T) {
	b := benchmark{"fib", "32"}
	assert.NoError(t, checkOutputs(b, []string{"linkvm static", "Lua 5.4"}, []string{"2178309\n", "2178309\n"}))
	err := checkOutputs(b, []string{"linkvm static", "Lua 5.4", "Python 3"}, []string{"2178309\n", "2178309\n", "2178310\n"})
	assert.EqualError(t, err, "fib 32: the implementations disagree: linkvm static printed\n2178309\nPython 3 printed\n2178310\n")
}

func TestSummarise(t *testing.T) {
	st := summarise([]sample{
		{Wall: 30 * time.Millisecond, CPU: 3 * time.Millisecond, MaxRSS: 100},
		{Wall: 10 * time.Millisecond, CPU: 1 * time.Millisecond, MaxRSS: 300},
		{Wall: 20 * time.Millisecond, CPU: 2 * time.Millisecond, MaxRSS: 200},
		{Wall: 40 * time.Millisecond, CPU: 4 * time.Millisecond, MaxRSS: 50},
	})
	assert.Equal(t, stats{Runs: 4, Median: 25 * time.Millisecond, Min: 10 * time.Millisecond,
		CPU: 2500 * time.Microsecond, MaxRSS: 300}, st)
}

func TestSelectBenchmarks(t *testing.T) {
	all, err := selectBenchmarks("")
	require.NoError(t, err)
	assert.Equal(t, suite, all)
	two, err := selectBenchmarks("sieve,fib")
	require.NoError(t, err)
	assert.Equal(t, []benchmark{{"sieve", "10000000"}, {"fib", "32"}}, two)
	_, err = selectBenchmarks("fib,mandelbrot")
	assert.EqualError(t, err, `no benchmark "mandelbrot" (there are fib, sieve, nbody, fannkuchredux, spectralnorm, binarytrees)`)
}

func TestCommands(t *testing.T) {
	d := dirs{Bin: "bin", Images: "build/examples", Peers: "examples/bench/peers"}
	b := benchmark{"nbody", "500000"}
	assert.Equal(t, []string{"bin/vmrun", "build/examples/nbody-static.img", "500000"}, linkvmStatic.command(d, b))
	assert.Equal(t, []string{"bin/vmrun", "build/examples/nbody.img", "500000"}, linkvmDynamic.command(d, b))
	assert.Equal(t, []string{"luajit", "-joff", "examples/bench/peers/nbody.lua", "500000"}, luajitOff.command(d, b))
	assert.Equal(t, []string{"python3", "examples/bench/peers/nbody.py", "500000"}, python3.command(d, b))
}

func TestRunOnce(t *testing.T) {
	out, s, err := runOnce([]string{"sh", "-c", "echo hello"})
	require.NoError(t, err)
	assert.Equal(t, "hello\n", out)
	assert.Positive(t, s.Wall)

	_, _, err = runOnce([]string{"sh", "-c", "echo oops >&2"})
	assert.EqualError(t, err, "sh -c echo oops >&2: wrote to standard error\noops\n")
	_, _, err = runOnce([]string{"sh", "-c", "exit 3"})
	assert.EqualError(t, err, "sh -c exit 3: exit status 3\n")
}

func TestPairedRatio(t *testing.T) {
	// Round 2 ran while the machine was busy (both images took twice as
	// long), and round 3's dynamic run was slow by itself: the ratio of
	// the medians says 1.5, the median of the rounds' ratios 1.1.
	s := func(ms ...float64) []sample {
		var ss []sample
		for _, v := range ms {
			ss = append(ss, sample{Wall: time.Duration(v * float64(time.Millisecond))})
		}
		return ss
	}
	static := s(100, 200, 100)
	dynamic := s(110, 220, 150)
	assert.InDelta(t, 1.1, pairedRatio(dynamic, static), 1e-9)
}
