package dynld

import (
	"bufio"
	"os"
	"runtime"
	rtdebug "runtime/debug"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"linkvm/vm"
)

// benchProcs is how many processes BenchmarkProcessMemory adds.
const benchProcs = 200

// rssBytes returns the host's resident set size from /proc/self/status
// (Linux), or 0 where it is not available.
func rssBytes() uint64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			kb, err := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			if err == nil {
				return kb << 10
			}
		}
	}
	return 0
}

// memSnapshot is the host's memory at one moment.
type memSnapshot struct{ heapInuse, sys, rss uint64 }

// snapshot collects garbage and measures the host's memory.
func snapshot() memSnapshot {
	// Return freed memory to the OS, so that RSS grows by the pages the
	// new processes touch rather than staying flat where they reuse
	// resident pages freed by earlier iterations.
	rtdebug.FreeOSMemory()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return memSnapshot{heapInuse: ms.HeapInuse, sys: ms.Sys, rss: rssBytes()}
}

// perProc is the growth from a to b divided among n processes (0 if
// memory shrank).
func perProc(a, b uint64, n int) float64 {
	if b < a {
		return 0
	}
	return float64(b-a) / float64(n)
}

// BenchmarkProcessMemory measures the host memory each additional process
// costs: each iteration loads benchProcs processes of the program of the
// process tests (bump/work through libwork), statically linked (vm.Load
// of one parsed image) or dynamically linked (Load through one Cache),
// and measures them loaded and started but not yet run: stack built with
// the arguments, data mapped, dynamic relocations applied, nothing
// executed. The metrics are per process: heap-B/proc (Go HeapInuse),
// sys-B/proc (Go Sys) and rss-B/proc (VmRSS, Linux), each with the
// process's stack reservation (the default, 1 MiB) included; stack-B/proc says
// how much that is, and beyond-stack-B/proc is heap-B/proc without it:
// the figure issue 6 bounds by 64 KiB (it still includes the process's
// private data and relocated GOT, which are tiny here).
func BenchmarkProcessMemory(b *testing.B) {
	files := buildProcFiles(b)
	const stack = vm.DefaultStackSize
	loaders := []struct {
		name string
		load func(cache *Cache) (*vm.Process, error)
	}{
		{"static", func(*Cache) (*vm.Process, error) {
			return vm.Load(files.static, "prog", vm.Config{Args: []string{"prog"}, StackSize: stack})
		}},
		{"dynamic", func(cache *Cache) (*vm.Process, error) {
			return Load(files.dynamic, vm.Config{Args: []string{"prog"}, StackSize: stack}, Config{Cache: cache})
		}},
	}
	for _, l := range loaders {
		b.Run(l.name, func(b *testing.B) {
			cache := NewCache(nil)
			// One process first, so that shared code is loaded and counted
			// before the measurement: the figures are for additional ones.
			first, err := l.load(cache)
			require.NoError(b, err)
			defer first.Close()
			var heap, sys, rss float64
			for b.Loop() {
				procs := make([]*vm.Process, 0, benchProcs)
				before := snapshot()
				for range benchProcs {
					p, err := l.load(cache)
					require.NoError(b, err)
					procs = append(procs, p)
				}
				after := snapshot()
				heap += perProc(before.heapInuse, after.heapInuse, benchProcs)
				sys += perProc(before.sys, after.sys, benchProcs)
				rss += perProc(before.rss, after.rss, benchProcs)
				for _, p := range procs {
					p.Close()
				}
				runtime.KeepAlive(procs)
			}
			n := float64(b.N)
			b.ReportMetric(heap/n, "heap-B/proc")
			b.ReportMetric(sys/n, "sys-B/proc")
			b.ReportMetric(rss/n, "rss-B/proc")
			b.ReportMetric(stack, "stack-B/proc")
			b.ReportMetric(heap/n-stack, "beyond-stack-B/proc")
		})
	}
}

// BenchmarkSpawnWait measures spawning a process of a trivial program
// through vm.Host and waiting for it to exit (ns/op), statically linked
// (one parsed image) and dynamically linked (Load through one Cache), with
// the default 1 MiB stack and, to show what allocating (and, once Go
// reuses freed memory, zeroing) that reservation costs, a 16 KiB one.
func BenchmarkSpawnWait(b *testing.B) {
	files := buildProcFiles(b)
	cache := NewCache(nil)
	hosts := []struct {
		name  string
		host  *vm.Host
		stack uint64
	}{
		{"static", vm.NewHost(func(path string, argv []string, cfg vm.Config) (*vm.Process, error) {
			return vm.Load(files.static, path, cfg)
		}), 0},
		{"dynamic", dynamicHost(cache), 0},
		{"dynamic-16KiB-stack", dynamicHost(cache), 16 << 10},
	}
	for _, h := range hosts {
		b.Run(h.name, func(b *testing.B) {
			for b.Loop() {
				pid, err := h.host.Spawn(files.dynamic, []string{"prog"}, vm.Config{StackSize: h.stack})
				if err != nil {
					b.Fatal(err)
				}
				if st, err := h.host.Wait(pid); st != 0 || err != nil {
					b.Fatalf("status %d, %v", st, err)
				}
			}
		})
	}
}
