package main

import (
	"bufio"
	"fmt"
	"os/exec"
	"strconv"
	"strings"
)

// goBench is the best of the runs of one of the interpreter's Go
// benchmarks (vm/bench_test.go): its fastest time per operation and the
// VM instructions per second of that run.
type goBench struct {
	Name      string // without the Benchmark prefix and the -GOMAXPROCS suffix
	NsPerOp   float64
	InstsPerS float64
	Runs      int
}

// runGoBenchmarks runs the vm package's benchmarks count times each,
// linked with functions 64-byte aligned as `make tools` links vmrun.
func runGoBenchmarks(goTool string, count int) ([]goBench, error) {
	cmd := exec.Command(goTool, "test", "-ldflags=-funcalign=64", "-run", "^$", "-bench", ".", "-benchmem",
		"-count", strconv.Itoa(count), "linkvm/vm")
	out, err := cmd.CombinedOutput()
	if err != nil {
		return nil, fmt.Errorf("go test -bench ./vm: %w\n%s", err, clip(string(out)))
	}
	return parseGoBench(string(out))
}

// parseGoBench reads `go test -bench` output and keeps, per benchmark, the
// run with the lowest ns/op, in the order the benchmarks first appear.
func parseGoBench(out string) ([]goBench, error) {
	var res []goBench
	index := map[string]int{}
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") {
			continue
		}
		name := strings.TrimPrefix(f[0], "Benchmark")
		if i := strings.LastIndexByte(name, '-'); i > 0 {
			if _, err := strconv.Atoi(name[i+1:]); err == nil {
				name = name[:i]
			}
		}
		b := goBench{Name: name, Runs: 1}
		for k := 2; k+1 < len(f); k += 2 {
			v, err := strconv.ParseFloat(f[k], 64)
			if err != nil {
				return nil, fmt.Errorf("go test -bench: %q: %v", sc.Text(), err)
			}
			switch f[k+1] {
			case "ns/op":
				b.NsPerOp = v
			case "insts/s":
				b.InstsPerS = v
			}
		}
		if b.NsPerOp == 0 {
			return nil, fmt.Errorf("go test -bench: no ns/op in %q", sc.Text())
		}
		i, seen := index[name]
		switch {
		case !seen:
			index[name] = len(res)
			res = append(res, b)
		case b.NsPerOp < res[i].NsPerOp:
			b.Runs = res[i].Runs + 1
			res[i] = b
		default:
			res[i].Runs++
		}
	}
	if len(res) == 0 {
		return nil, fmt.Errorf("go test -bench printed no benchmark results:\n%s", clip(out))
	}
	return res, nil
}
