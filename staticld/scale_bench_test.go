package staticld_test

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"linkvm/objfmt"
	"linkvm/staticld"
	"linkvm/staticld/testgen"
)

// This file measures the linker at scale on the programs of package
// testgen (see docs/performance.md):
//
//	go test -run '^$' -bench 'Link(Process)?/' -benchmem ./staticld
//
// The 1,000 × 1,000 case (a million functions) runs only when the -bench
// pattern names it ("1000x1000") or LINKVM_BENCH_1M is set.

// scaleCases are the N×M shapes measured.
var scaleCases = []testgen.Config{
	{Modules: 10, Funcs: 1000},
	{Modules: 100, Funcs: 1000},
	{Modules: 1000, Funcs: 100},
	{Modules: 1000, Funcs: 1000},
}

// caseName names a shape as in the benchmark names: "1000x100".
func caseName(c testgen.Config) string { return fmt.Sprintf("%dx%d", c.Modules, c.Funcs) }

// skipHuge skips the million-function case unless it was asked for.
func skipHuge(b *testing.B, c testgen.Config) {
	if c.Functions() < 1_000_000 || os.Getenv("LINKVM_BENCH_1M") != "" {
		return
	}
	if f := flag.Lookup("test.bench"); f != nil && strings.Contains(f.Value.String(), caseName(c)) {
		return
	}
	b.Skipf("%s functions: run with -bench 'Link/%s' or LINKVM_BENCH_1M=1", caseName(c), caseName(c))
}

// generated caches the inputs of the last shape generated, as b.Run calls
// a benchmark function several times.
var generated struct {
	cfg testgen.Config
	ins []staticld.Input
}

// inputs returns the modules of shape c as linker inputs.
func inputs(b *testing.B, c testgen.Config) []staticld.Input {
	if generated.cfg == c && generated.ins != nil {
		return generated.ins
	}
	generated.ins = nil
	mods, err := testgen.Generate(c)
	if err != nil {
		b.Fatal(err)
	}
	ins := make([]staticld.Input, len(mods))
	for i, f := range mods {
		ins[i] = staticld.Input{Name: testgen.ModuleName(i), File: f}
	}
	generated.cfg, generated.ins = c, ins
	return ins
}

// reportRate reports relocations per second of the whole run and the CPU
// time per link (all goroutines, user + system), given the process's CPU
// time when the timer started.
func reportRate(b *testing.B, c testgen.Config, cpu0 time.Duration) {
	if s := b.Elapsed().Seconds(); s > 0 {
		b.ReportMetric(float64(c.Relocs())*float64(b.N)/s, "relocs/s")
	}
	if cpu := cpuTime() - cpu0; cpu > 0 {
		b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N), "cpu-ns/op")
	}
}

// BenchmarkLink links the generated modules in memory: Link alone, from
// parsed *objfmt.Files to the image's *objfmt.File.
func BenchmarkLink(b *testing.B) {
	for _, c := range scaleCases {
		b.Run(caseName(c), func(b *testing.B) {
			skipHuge(b, c)
			ins := inputs(b, c)
			b.ReportAllocs()
			b.ResetTimer()
			cpu0 := cpuTime()
			for b.Loop() {
				if _, err := staticld.Link(staticld.Config{}, ins); err != nil {
					b.Fatal(err)
				}
			}
			reportRate(b, c, cpu0)
		})
	}
}

// written caches the directory holding the files of the last shape
// written to disk.
var written struct {
	cfg testgen.Config
	dir string
}

// files writes the modules of shape c to a directory and returns their
// paths.
func files(b *testing.B, c testgen.Config) []string {
	names := make([]string, c.Modules)
	if written.cfg != c || written.dir == "" {
		if written.dir != "" {
			os.RemoveAll(written.dir)
		}
		dir, err := os.MkdirTemp("", "linkvm-bench-*")
		if err != nil {
			b.Fatal(err)
		}
		written.cfg, written.dir = c, dir
		ins := inputs(b, c)
		for _, in := range ins {
			if err := objfmt.WriteFile(filepath.Join(dir, in.Name), in.File); err != nil {
				b.Fatal(err)
			}
		}
		generated.ins = nil // free the memory; the files are what is measured
	}
	for i := range names {
		names[i] = filepath.Join(written.dir, testgen.ModuleName(i))
	}
	return names
}

// readInputs reads the files as cmd/vmld does.
func readInputs(names []string) ([]staticld.Input, error) {
	args := make([]staticld.InputArg, len(names))
	for i, name := range names {
		args[i] = staticld.InputArg{Path: name}
	}
	return staticld.ReadInputs(staticld.Config{}, args)
}

// BenchmarkLinkProcess measures what the vmld process does, the figure to
// compare with ELF linkers: read and parse every file, link, encode the
// image and write it (atomically, as vmld does).
func BenchmarkLinkProcess(b *testing.B) {
	b.Cleanup(func() {
		if written.dir != "" {
			os.RemoveAll(written.dir)
			written.dir = ""
		}
	})
	for _, c := range scaleCases {
		b.Run(caseName(c), func(b *testing.B) {
			skipHuge(b, c)
			names := files(b, c)
			out := filepath.Join(written.dir, "out.img")
			b.ReportAllocs()
			b.ResetTimer()
			cpu0 := cpuTime()
			for b.Loop() {
				ins, err := readInputs(names)
				if err != nil {
					b.Fatal(err)
				}
				img, err := staticld.Link(staticld.Config{}, ins)
				if err != nil {
					b.Fatal(err)
				}
				if err := objfmt.WriteFile(out, img); err != nil {
					b.Fatal(err)
				}
			}
			reportRate(b, c, cpu0)
		})
	}
}
