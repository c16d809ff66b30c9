package dynld

import (
	"bytes"
	"errors"
	"io"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"linkvm/asm"
	"linkvm/objfmt"
	"linkvm/staticld"
	"linkvm/vm"
)

// The shared module and program of the many-processes tests.
const (
	// procLib is libwork.vso: work() = 1+2+...+1000, bump() increments
	// the module's global counter and returns it, smash() stores into the
	// module's own code.
	procLib = `
	.text
	.global work, bump, smash
work:
loop:	li	r0, 0
	li	r1, 1000
1:	add	r0, r0, r1
	addi	r1, r1, -1
	bnez	r1, 1b
	ret
bump:	ldpc	r8, counter@got
	ld64	r0, [r8 + 0]
	addi	r0, r0, 1
	st64	r0, [r8 + 0]
	ret
smash:	la	r8, loop
	st64	r0, [r8 + 0]
	ret
	.data
	.global counter
counter: .quad 0
`
	// procProg bumps the module's counter argc times, waits for standard
	// input to end (so that the processes of a test are alive at once),
	// prints the counter as a digit and a newline, then: with one
	// argument, calls work and exits 0 if it returned 500500; with more,
	// calls smash (which traps).
	procProg = `
	.text
	.global _start
_start:	enter	16
	mov	r16, r0
	mov	r17, r0
1:	call	bump
	addi	r17, r17, -1
	bnez	r17, 1b
	li	r0, 0
	mov	r1, sp
	li	r2, 1
	sys	2
	ldpc	r8, counter@got
	ld64	r0, [r8 + 0]
	addi	r0, r0, 48
	st8	r0, [sp + 0]
	li	r0, 10
	st8	r0, [sp + 1]
	li	r0, 1
	mov	r1, sp
	li	r2, 2
	sys	1
	li	r9, 1
	blt	r9, r16, 2f
	call	work
	li	r9, 500500
	sub	r0, r0, r9
	sys	0
2:	call	smash
	li	r0, 99
	sys	0
`
)

// procFiles are the program of the process tests linked both ways.
type procFiles struct {
	dir     string
	lib     string       // libwork.vso
	dynamic string       // prog.img, needing libwork.vso.1
	static  *objfmt.File // the same program with the library linked in
}

// buildProcFiles assembles and links procLib and procProg into a temp dir.
func buildProcFiles(t testing.TB) procFiles {
	t.Helper()
	libObj, err := asm.Assemble("work.s", []byte(procLib), asm.Options{})
	require.NoError(t, err)
	progObj, err := asm.Assemble("prog.s", []byte(procProg), asm.Options{})
	require.NoError(t, err)
	lib, err := staticld.Link(staticld.Config{Shared: true, Soname: "libwork.vso.1"}, []staticld.Input{{Name: "work.vo", File: libObj}})
	require.NoError(t, err)
	prog, err := staticld.Link(staticld.Config{Entry: "_start", Runpath: []string{"$ORIGIN"}},
		[]staticld.Input{{Name: "prog.vo", File: progObj}, {Name: "libwork.vso", File: lib}})
	require.NoError(t, err)
	static, err := staticld.Link(staticld.Config{Entry: "_start"},
		[]staticld.Input{{Name: "prog.vo", File: progObj}, {Name: "work.vo", File: libObj}})
	require.NoError(t, err)
	dir := t.TempDir()
	return procFiles{
		dir:     dir,
		lib:     writeModule(t, dir, "libwork.vso", lib),
		dynamic: writeModule(t, dir, "prog.img", prog),
		static:  static,
	}
}

// dynamicHost returns a host loading images with Load through cache.
func dynamicHost(cache *Cache) *vm.Host {
	return vm.NewHost(func(path string, argv []string, cfg vm.Config) (*vm.Process, error) {
		return Load(path, cfg, Config{Cache: cache})
	})
}

// gate is a standard input that blocks every read until open is closed,
// then reads as end of file.
type gate struct{ open chan struct{} }

// Read waits for the gate to open and returns io.EOF.
func (g gate) Read([]byte) (int, error) {
	<-g.open
	return 0, io.EOF
}

// waitGoroutines waits up to 5 s for the goroutine count to come back to
// before, and asserts it did.
func waitGoroutines(t *testing.T, before int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	assert.LessOrEqual(t, runtime.NumGoroutine(), before)
}

// TestThousandDynamicProcesses runs 1,000 processes of a dynamically
// linked program at once in one host: each bumps the shared module's
// counter, blocks reading standard input until every process has been
// spawned, prints the counter and exits 0 if the module's work() computed
// its sum right. Stacks are 16 KiB, so that the 1,000 stacks stay small.
func TestThousandDynamicProcesses(t *testing.T) {
	// All 1,000 run under -race too (about 0.7 s there on a 2-core
	// machine, 0.1 s without), so there is no smaller count for -race.
	const n = 1000
	files := buildProcFiles(t)
	cache := NewCache(nil) // memory-mapped, as vmrun loads
	before := runtime.NumGoroutine()
	h := dynamicHost(cache)
	g := gate{open: make(chan struct{})}
	outs := make([]bytes.Buffer, n)
	pids := make([]int, n)
	for i := range n {
		pid, err := h.Spawn(files.dynamic, []string{"prog"}, vm.Config{Stdin: g, Stdout: &outs[i], StackSize: 16 << 10})
		require.NoError(t, err)
		pids[i] = pid
	}
	// Every process is alive now, blocked on its standard input, and all
	// of them map the one cached libwork.vso.
	assert.Equal(t, 2, cache.Len())
	close(g.open)
	for i, pid := range pids {
		status, err := h.Wait(pid)
		require.NoError(t, err, "process %d", pid)
		assert.Equal(t, 0, status, "process %d", pid)
		assert.Equal(t, "1\n", outs[i].String(), "process %d", pid)
	}
	h.WaitAll()
	waitGoroutines(t, before)
}

// TestSharedModuleIsolation runs two processes of one dynamic program
// against one cached libwork.vso: the module's global counter has a value
// of its own in each, and a store into the module's code traps in the
// process that made it while the other (and a later one) runs that code
// unchanged.
func TestSharedModuleIsolation(t *testing.T) {
	files := buildProcFiles(t)
	cache := NewCache(nil)
	h := dynamicHost(cache)
	g := gate{open: make(chan struct{})}
	var outA, errA, outB bytes.Buffer
	// A bumps the module's counter twice and B once, both before either
	// prints it; then A stores into the module's code and B calls it.
	a, err := h.Spawn(files.dynamic, []string{"prog", "smash"}, vm.Config{Stdin: g, Stdout: &outA, Stderr: &errA})
	require.NoError(t, err)
	b, err := h.Spawn(files.dynamic, []string{"prog"}, vm.Config{Stdin: g, Stdout: &outB})
	require.NoError(t, err)
	close(g.open)

	status, err := h.Wait(a)
	var trap *vm.Trap
	require.True(t, errors.As(err, &trap), "A: %v", err)
	assert.Equal(t, vm.ErrWriteProtect, trap.Kind)
	assert.Regexp(t, `^write to read-only memory at 0x[0-9a-f]+ \(section \.text of libwork\.vso\)$`, trap.Msg)
	assert.Equal(t, 0, status)
	assert.Equal(t, "2\n", outA.String(), "A's counter")

	status, err = h.Wait(b)
	require.NoError(t, err)
	assert.Equal(t, 0, status, "B's work() is intact")
	assert.Equal(t, "1\n", outB.String(), "B's counter")

	// A process started after the trap runs the same shared code.
	var outC bytes.Buffer
	c, err := h.Spawn(files.dynamic, []string{"prog"}, vm.Config{Stdout: &outC})
	require.NoError(t, err)
	status, err = h.Wait(c)
	require.NoError(t, err)
	assert.Equal(t, 0, status)
	assert.Equal(t, "1\n", outC.String())
	assert.Equal(t, 2, cache.Len(), "one cached copy of the program and of the module")
	h.WaitAll()
}
