package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"linkvm/internal/golden"
	"linkvm/staticld"
	"linkvm/vm"
)

// pkgDir is the package's directory: tests that change directory find
// their golden files from it.
var pkgDir = func() string {
	d, err := os.Getwd()
	if err != nil {
		panic(err)
	}
	return d
}()

// checkGolden compares got with testdata/NAME.golden.
func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	golden.Check(t, filepath.Join(pkgDir, "testdata", name+".golden"), got)
}

// examplesDir holds the examples, whose hello and fib the tools run.
var examplesDir = filepath.Join(pkgDir, "..", "..", "examples")

// buildHello builds hello.img from examples/hello/hello.s in dir.
func buildHello(t *testing.T, dir string) {
	buildStatic(t, dir, "hello", filepath.Join(examplesDir, "hello", "hello.s"))
}

// buildFib builds fib.img from examples/fib/fib.s in dir.
func buildFib(t *testing.T, dir string) {
	buildStatic(t, dir, "fib", filepath.Join(examplesDir, "fib", "fib.s"))
}

// buildDivide builds divide.img, which traps dividing by zero, in dir.
func buildDivide(t *testing.T, dir string) {
	buildStatic(t, dir, "divide", filepath.Join(pkgDir, toolsDir, "divide.s"))
}

func TestTraceStatic(t *testing.T) {
	inDir(t, func(dir string) { buildHello(t, dir) })
	r := vmrun("", "--trace", "hello.img")
	assert.Equal(t, "Hello, world!\n", r.stdout)
	assert.Equal(t, 0, r.status)
	checkGolden(t, "trace-hello", r.stderr)
	assert.Equal(t, r, vmrun("", "--trace=all", "hello.img"))
}

func TestTraceDynamic(t *testing.T) {
	inDir(t, func(dir string) { buildGreet(t, dir) })
	r := vmrun("", "--trace", "prog.img")
	assert.Equal(t, "hello\nhello\nhello\nbye\n", r.stdout)
	assert.Equal(t, 0, r.status)
	checkGolden(t, "trace-dynamic", r.stderr)

	// Bound at load time: no binding on the way.
	r = vmrun("", "--bind-now", "--trace", "prog.img")
	assert.Equal(t, 0, r.status)
	assert.NotContains(t, r.stderr, "sys   14")
	assert.Contains(t, r.stderr, "greet@plt+0x8                               jr    ip\nlibgreet.vso:greet+0x0")
}

// TestTraceOrder: the trace goes to standard error in order with what
// the program writes there, each instruction's line after its output.
func TestTraceOrder(t *testing.T) {
	var p prog
	p.fn("_start")
	p.write(2, 2, "one\n")
	p.exit(3, 0)
	img := p.file(t)
	r := vmrun("", "--trace", img)
	assert.Equal(t, "", r.stdout)
	assert.Equal(t, 0, r.status)
	assert.Equal(t, `_start+0x0                   p.s:2          li    r0, 2                        r0=0x2
_start+0x8                   p.s:2          lea   r1, 0x11000                  r1=0x11000
_start+0x10                  p.s:2          li    r2, 4                        r2=0x4
one
_start+0x18                  p.s:2          sys   1                            r0=0x4
_start+0x20                  p.s:3          li    r0, 0                        r0=0x0
_start+0x28                  p.s:3          sys   0
`, r.stderr)
}

// TestTraceEnd: the instruction that traps, and the last one run before
// the step limit, have their lines, before the trap report.
func TestTraceEnd(t *testing.T) {
	inDir(t, func(dir string) { buildDivide(t, dir); buildHello(t, dir) })
	r := vmrun("", "--trace", "divide.img")
	assert.Equal(t, 134, r.status)
	checkGolden(t, "trace-divide", r.stderr)

	r = vmrun("", "--trace", "--max-steps", "2", "hello.img")
	assert.Equal(t, result{"", `_start+0x0                   hello.s:9      li    r0, 1                        r0=0x1
_start+0x8                   hello.s:10     lea   r1, 0x11000 <msg>            r1=0x11000
vmrun: trap: step limit: 2 instructions executed
  at _start+0x10 (hello.s:11)
backtrace:
  #0 0x10010 _start+0x10 (hello.s:11)
`, 124}, r)
}

func TestTraceCalls(t *testing.T) {
	inDir(t, func(dir string) { buildGreet(t, dir); buildFib(t, dir); buildDivide(t, dir) })
	r := vmrun("", "--trace=calls", "prog.img")
	assert.Equal(t, "hello\nhello\nhello\nbye\n", r.stdout)
	assert.Equal(t, 0, r.status)
	checkGolden(t, "calls-dynamic", r.stderr)

	r = vmrun("", "--trace=calls", "fib.img", "3")
	assert.Equal(t, "2\n", r.stdout)
	assert.Equal(t, 0, r.status)
	checkGolden(t, "calls-fib", r.stderr)

	r = vmrun("", "--trace=calls", "divide.img")
	assert.Equal(t, 134, r.status)
	checkGolden(t, "calls-divide", r.stderr)

	// libgreet is replaced by a version without greet: the binding fails.
	require.NoError(t, os.WriteFile("nogreet.s", []byte("\t.text\n\t.global shout\nshout:\tret\n"), 0o644))
	linkTo(t, ".", "libgreet.vso", staticld.Config{Shared: true, Soname: "libgreet.vso.1"}, assembleTo(t, ".", "nogreet.s"))
	r = vmrun("", "--trace=calls", "prog.img")
	assert.Equal(t, 134, r.status)
	checkGolden(t, "calls-unresolved", r.stderr)

	r = vmrun("", "--trace=lines", "fib.img")
	assert.Equal(t, result{"", "vmrun: --trace=lines: the choices are --trace and --trace=calls\n" + shortUsage, 2}, r)
}

// countRE finds the instruction count in a --count report.
var countRE = regexp.MustCompile(`(?m)^instructions +([0-9]+)$`)

// funcCountRE finds the per-function lines of a --count report.
var funcCountRE = regexp.MustCompile(`(?m)^ *([0-9]+) +[0-9.]+% +.+$`)

// checkCountSums checks that a --count report's per-function counts add
// up to its total, and returns the total.
func checkCountSums(t *testing.T, report string) uint64 {
	t.Helper()
	m := countRE.FindStringSubmatch(report)
	require.NotNil(t, m, report)
	total, err := strconv.ParseUint(m[1], 10, 64)
	require.NoError(t, err)
	var sum uint64
	for _, f := range funcCountRE.FindAllStringSubmatch(report, -1) {
		n, err := strconv.ParseUint(f[1], 10, 64)
		require.NoError(t, err)
		sum += n
	}
	assert.Equal(t, total, sum, "the functions' counts add up to the total:\n%s", report)
	return total
}

func TestCount(t *testing.T) {
	inDir(t, func(dir string) {
		buildGreet(t, dir)
		buildFib(t, dir)
		buildDivide(t, dir)
		buildStatic(t, dir, "heap", filepath.Join(pkgDir, toolsDir, "heap.s"))
	})
	r := vmrun("", "--count", "fib.img", "10")
	assert.Equal(t, "55\n", r.stdout)
	assert.Equal(t, 0, r.status)
	checkGolden(t, "count-fib", r.stderr)
	checkCountSums(t, r.stderr)

	// The total is the instructions run, as --stats counts them.
	r = vmrun("", "--count", "--stats", "fib.img", "20")
	total := checkCountSums(t, r.stderr)
	assert.Regexp(t, `(?m)^1 +`+strconv.FormatUint(total, 10)+`  fib.img$`, r.stderr)

	r = vmrun("", "--count", "prog.img")
	assert.Equal(t, 0, r.status)
	checkGolden(t, "count-dynamic", r.stderr)
	checkCountSums(t, r.stderr)

	// The peak is 5000 bytes of heap with the deepest stack: 3 words
	// pushed below the sp that deep's enter set, which the trace shows.
	r = vmrun("", "--count", "heap.img")
	assert.Equal(t, 0, r.status)
	m := regexp.MustCompile(`enter 64 +fp=0x[0-9a-f]+ sp=(0x[0-9a-f]+)\n`).FindStringSubmatch(vmrun("", "--trace", "heap.img").stderr)
	require.NotNil(t, m)
	sp, err := strconv.ParseUint(m[1], 0, 64)
	require.NoError(t, err)
	stack := vm.StackTop - (sp - 24)
	assert.Contains(t, r.stderr, fmt.Sprintf("peak memory   %d bytes (data 0, heap 5000, stack %d)\n", 5000+stack, stack))

	// A trap or the step limit stops the count in the middle of a basic
	// block: only what ran counts.
	r = vmrun("", "--count", "divide.img")
	assert.Equal(t, 134, r.status)
	checkGolden(t, "count-divide", r.stderr)
	assert.Equal(t, uint64(4), checkCountSums(t, r.stderr))
	for _, n := range []uint64{1, 2, 3, 1000, 1001} {
		r = vmrun("", "--count", "--max-steps", strconv.FormatUint(n, 10), "fib.img", "20")
		assert.Equal(t, 124, r.status)
		assert.Equal(t, n, checkCountSums(t, r.stderr))
	}
}

// TestToolsReload: the tools follow modules loaded and unloaded while
// the program runs (vm.Process.MapGeneration). reload.img calls f of
// first.vso, then of second.vso, each loaded with dlopen and unloaded
// before the next: the count, the call trace and the trace show each f
// under its module's name, and the count's peak memory has first's 4000
// bytes of data.
func TestToolsReload(t *testing.T) {
	inDir(t, func(dir string) {
		buildGreet(t, dir)
		for _, m := range []string{"first", "second"} {
			linkTo(t, dir, m+".vso", staticld.Config{Shared: true, Soname: m + ".vso.1"},
				assembleTo(t, dir, filepath.Join(pkgDir, toolsDir, m+".s")))
		}
		linkTo(t, dir, "reload.img", staticld.Config{Runpath: []string{"$ORIGIN"}},
			assembleTo(t, dir, filepath.Join(pkgDir, toolsDir, "reload.s")), filepath.Join(dir, "libgreet.vso"))
	})
	r := vmrun("", "--count", "reload.img")
	require.Equal(t, 21, r.status, r.stderr)
	checkCountSums(t, r.stderr)
	// f: li, ret in first; li, li, ten times addi, addi, bnez, then ret
	// in second.
	assert.Regexp(t, `(?m)^ +2 +[0-9.]+% +first\.vso:f$`, r.stderr)
	assert.Regexp(t, `(?m)^ +33 +[0-9.]+% +second\.vso:f$`, r.stderr)
	m := regexp.MustCompile(`peak memory +[0-9]+ bytes \(data ([0-9]+),`).FindStringSubmatch(r.stderr)
	require.NotNil(t, m, r.stderr)
	data, err := strconv.Atoi(m[1])
	require.NoError(t, err)
	assert.GreaterOrEqual(t, data, 4000)

	r = vmrun("", "--trace=calls", "reload.img")
	require.Equal(t, 21, r.status, r.stderr)
	assert.Regexp(t, `(?m)^  +call first\.vso:f\(.*\n +ret first\.vso:f: r0=0x1$`, r.stderr)
	assert.Regexp(t, `(?m)^  +call second\.vso:f\(.*\n +ret second\.vso:f: r0=0x14$`, r.stderr)

	r = vmrun("", "--trace", "reload.img")
	require.Equal(t, 21, r.status, r.stderr)
	assert.Regexp(t, `(?m)^second\.vso:f\+0x20 +second\.s:9 +bnez +r1, `, r.stderr)
}

// TestToolsSpawn: each process is traced and counted on its own; the
// trace lines of any process but the first say its pid.
func TestToolsSpawn(t *testing.T) {
	inDir(t, func(dir string) {
		buildStatic(t, dir, "parent", filepath.Join(pkgDir, toolsDir, "parent.s"))
		buildStatic(t, dir, "child", filepath.Join(pkgDir, toolsDir, "child.s"))
	})
	r := vmrun("", "--count", "--trace=calls", "parent.img")
	assert.Equal(t, "child\n", r.stdout)
	assert.Equal(t, 3, r.status)
	checkGolden(t, "spawn", r.stderr)
}
