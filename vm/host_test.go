package vm

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"linkvm/objfmt"
)

// Programs the host tests run as children.
const (
	// sayProg writes argv[1] and a newline, and exits with argc.
	sayProg = `
_start:
	mov r16, r0
	ld64 r17, [r1+8]
	mov r2, r17
1:	ld8u r3, [r2]
	beqz r3, 2f
	addi r2, r2, 1
	jmp 1b
2:	sub r2, r2, r17
	li r0, 1
	mov r1, r17
	sys 1
	li r0, 1
	la r1, nl
	li r2, 1
	sys 1
	mov r0, r16
	halt
	.rodata
nl:	.ascii "\n"
`
	// catProg copies standard input to standard output and exits 0.
	catProg = `
_start:
1:	li r0, 0
	la r1, buf
	li r2, 64
	sys 2
	li r9, 0
	bge r9, r0, 2f
	mov r2, r0
	li r0, 1
	la r1, buf
	sys 1
	jmp 1b
2:	halt
	.bss
buf:	.zero 64
`
	// sevenProg writes "seven" and exits 7.
	sevenProg = `
_start:
	li r0, 1
	la r1, msg
	li r2, 6
	sys 1
	li r0, 7
	halt
	.rodata
msg:	.ascii "seven\n"
`
	// pidProg exits with its pid.
	pidProg = `
_start:
	sys 21
	halt
`
	// boomProg writes "before" and traps.
	boomProg = `
_start:
	li r0, 1
	la r1, msg
	li r2, 7
	sys 1
	trap 7
	.rodata
msg:	.ascii "before\n"
`
)

// testHost returns a host whose loader finds the images of progs (source
// by path) and loads them with Load.
func testHost(t *testing.T, progs map[string]string) *Host {
	t.Helper()
	imgs := map[string]*objfmt.File{}
	for name, src := range progs {
		imgs[name] = assemble(t, src)
	}
	return NewHost(func(path string, argv []string, cfg Config) (*Process, error) {
		img, ok := imgs[path]
		if !ok {
			return nil, fmt.Errorf("%s: %w", path, fs.ErrNotExist)
		}
		require.Equal(t, argv, cfg.Args)
		return Load(img, path, cfg)
	})
}

// hostResult is what the first process of a host did.
type hostResult struct {
	status         int
	err            error
	stdout, stderr string
}

// runHost runs path as the host's first process with cfg and waits for
// every process of the host.
func runHost(t *testing.T, h *Host, path string, cfg Config) hostResult {
	t.Helper()
	var out, errb bytes.Buffer
	cfg.Stdout, cfg.Stderr = &out, &errb
	pid, err := h.Spawn(path, []string{path}, cfg)
	require.NoError(t, err)
	require.Equal(t, 1, pid)
	status, err := h.Wait(pid)
	h.WaitAll()
	return hostResult{status, err, out.String(), errb.String()}
}

// spawnWait is assembly that spawns the program at label path with the
// argv array at label argv and fds at label fds (or "0"), waits for it and
// writes its status as a character (status + '0') and a newline.
func spawnWait(path, argv, fds string) string {
	la := func(r int, l string) string {
		if l == "0" {
			return fmt.Sprintf("\tli r%d, 0\n", r)
		}
		return fmt.Sprintf("\tla r%d, %s\n", r, l)
	}
	return la(0, path) + la(1, argv) + la(2, fds) + `	sys 19
	sys 20
	addi r0, r0, 48
	la r1, digit
	st8 r0, [r1]
	li r0, 1
	li r2, 2
	sys 1
`
}

// digitData is the buffer spawnWait writes from.
const digitData = "\t.data\ndigit:\t.ascii \"?\\n\"\n"

func TestSpawnThreeChildren(t *testing.T) {
	parent := `
_start:
	li r0, 1
	la r1, hello
	li r2, 7
	sys 1
` + spawnWait("say", "sayargv", "0") + spawnWait("seven", "noargv", "0") + spawnWait("pid", "noargv", "0") + `
	sys 21
	halt
	.rodata
hello:	.ascii "parent\n"
say:	.asciz "say"
seven:	.asciz "seven"
pid:	.asciz "pid"
one:	.asciz "one"
	.data
sayargv: .quad say, one, 0
noargv:	.quad 0
` + digitData
	h := testHost(t, map[string]string{"parent": parent, "say": sayProg, "seven": sevenProg, "pid": pidProg})
	res := runHost(t, h, "parent", Config{})
	require.NoError(t, res.err)
	assert.Equal(t, hostResult{1, nil, "parent\none\n2\nseven\n7\n4\n", ""}, res)
}

func TestSpawnPipeline(t *testing.T) {
	parent := `
_start:
	la r0, fds
	sys 22
	bnez r0, fail
	la r8, fds
	ld64 r9, [r8]
	ld64 r10, [r8+8]
	la r11, pfds
	st64 r10, [r11+8]
	la r11, cfds
	st64 r9, [r11]
	la r0, say
	la r1, sayargv
	la r2, pfds
	sys 19
	mov r16, r0
	la r0, cat
	la r1, catargv
	la r2, cfds
	sys 19
	mov r17, r0
	la r8, fds
	ld64 r0, [r8]
	sys 4
	la r8, fds
	ld64 r0, [r8+8]
	sys 4
	mov r0, r16
	sys 20
	mov r18, r0
	mov r0, r17
	sys 20
	shli r0, r0, 4
	add r0, r0, r18
	halt
fail:	li r0, 99
	halt
	.rodata
say:	.asciz "say"
cat:	.asciz "cat"
msg:	.asciz "hello pipe"
	.data
sayargv: .quad say, msg, 0
catargv: .quad cat, 0
fds:	.quad -1, -1
pfds:	.quad 0, -1, 2
cfds:	.quad -1, 1, 2
`
	h := testHost(t, map[string]string{"parent": parent, "say": sayProg, "cat": catProg})
	res := runHost(t, h, "parent", Config{})
	assert.Equal(t, hostResult{2, nil, "hello pipe\n", ""}, res)
}

func TestWaitErrors(t *testing.T) {
	parent := `
_start:
	la r0, say
	la r1, sayargv
	li r2, 0
	sys 19
	mov r16, r0
	sys 20
	mov r0, r16
	sys 20          # waited already
	mov r17, r0
	li r0, 99       # no such process
	sys 20
	mov r18, r0
	sys 21          # itself
	sys 20
	mov r19, r0
	li r0, -1
	sys 20
	mov r20, r0
	la r0, nope     # no such image
	la r1, sayargv
	li r2, 0
	sys 19
	mov r21, r0
	la r0, say      # a bad fd for the child
	la r1, sayargv
	la r2, badfds
	sys 19
	mov r22, r0
	la r8, out
	st64 r17, [r8]
	st64 r18, [r8+8]
	st64 r19, [r8+16]
	st64 r20, [r8+24]
	st64 r21, [r8+32]
	st64 r22, [r8+40]
	li r0, 1
	la r1, out
	li r2, 48
	sys 1
	li r0, 0
	halt
	.rodata
say:	.asciz "say"
nope:	.asciz "nope"
x:	.asciz "x"
	.data
sayargv: .quad say, x, 0
badfds:	.quad 0, 9, 2
out:	.zero 48
`
	h := testHost(t, map[string]string{"parent": parent, "say": sayProg})
	res := runHost(t, h, "parent", Config{})
	require.NoError(t, res.err)
	require.True(t, strings.HasPrefix(res.stdout, "x\n"), res.stdout)
	got := []byte(strings.TrimPrefix(res.stdout, "x\n"))
	require.Len(t, got, 48)
	var vals []int64
	for i := 0; i < 48; i += 8 {
		var v uint64
		for j := 7; j >= 0; j-- {
			v = v<<8 | uint64(got[i+j])
		}
		vals = append(vals, int64(v))
	}
	assert.Equal(t, []int64{-ECHILD, -ECHILD, -ECHILD, -ECHILD, -ENOENT, -EBADF}, vals)
}

func TestSpawnTrappingChild(t *testing.T) {
	parent := `
_start:
` + spawnWait("boom", "noargv", "0") + `
	li r0, 0
	halt
	.rodata
boom:	.asciz "boom"
	.data
noargv:	.quad 0
` + digitData
	h := testHost(t, map[string]string{"parent": parent, "boom": boomProg})
	res := runHost(t, h, "parent", Config{})
	// 134 + '0' wraps to the byte 0xb6.
	report := `vmrun: trap: user trap 7
  at _start+0x20 (t.s:7)
backtrace:
  #0 0x10020 _start+0x20 (t.s:7)
`
	assert.Equal(t, hostResult{0, nil, "before\n\xb6\n", report}, res)
}

func TestProcessCallsWithoutHost(t *testing.T) {
	res := runSrc(t, sysCall(SysSpawn, []string{"p", "0", "0"}, "\t.rodata\np:\t.asciz \"x\"\n"), Config{})
	require.NoError(t, res.err)
	assert.Equal(t, -ENOSYS, res.status)
	res = runSrc(t, sysCall(SysWait, []string{"1"}, ""), Config{})
	require.NoError(t, res.err)
	assert.Equal(t, -ECHILD, res.status)
	res = runSrc(t, sysCall(SysGetpid, nil, ""), Config{})
	require.NoError(t, res.err)
	assert.Equal(t, res.proc.ID(), res.status)
	res = runSrc(t, sysCall(SysPipe, []string{"fds"}, "\t.data\nfds:\t.quad 0, 0\n"), Config{})
	require.NoError(t, res.err)
	assert.Equal(t, 0, res.status)
	res = runSrc(t, sysCall(SysPipe, []string{"fds"}, "\t.rodata\nfds:\t.quad 0, 0\n"), Config{})
	require.NoError(t, res.err)
	assert.Equal(t, -EFAULT, res.status)
}

func TestSpawnInheritsDirs(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "f"), []byte("from the file\n"), 0o644))
	child := `
_start:
	la r0, path
	li r1, 0
	li r2, 0
	sys 3
	mov r16, r0
	mov r0, r16
	la r1, buf
	li r2, 64
	sys 2
	mov r2, r0
	li r0, 1
	la r1, buf
	sys 1
	li r0, 0
	halt
	.rodata
path:	.asciz "/data/f"
	.bss
buf:	.zero 64
`
	parent := `
_start:
` + spawnWait("child", "noargv", "0") + `
	li r0, 0
	halt
	.rodata
child:	.asciz "child"
	.data
noargv:	.quad 0
` + digitData
	h := testHost(t, map[string]string{"parent": parent, "child": child})
	res := runHost(t, h, "parent", Config{Dirs: []DirGrant{{Host: dir, Guest: "/data"}}})
	assert.Equal(t, hostResult{0, nil, "from the file\n0\n", ""}, res)
}

func TestManyProcesses(t *testing.T) {
	const n = 200
	parent := fmt.Sprintf(`
_start:
	li r16, 0
	la r17, pids
1:	la r0, say
	la r1, sayargv
	li r2, 0
	sys 19
	shli r8, r16, 3
	add r8, r8, r17
	st64 r0, [r8]
	addi r16, r16, 1
	li r9, %[1]d
	blt r16, r9, 1b
	li r16, 0
	li r18, 0
2:	shli r8, r16, 3
	add r8, r8, r17
	ld64 r0, [r8]
	sys 20
	add r18, r18, r0
	addi r16, r16, 1
	li r9, %[1]d
	blt r16, r9, 2b
	li r9, %[1]d
	divu r0, r18, r9
	halt
	.rodata
say:	.asciz "say"
x:	.asciz "x"
	.data
sayargv: .quad say, x, 0
	.bss
pids:	.zero %[2]d
`, n, 8*n)
	before := runtime.NumGoroutine()
	h := testHost(t, map[string]string{"parent": parent, "say": sayProg})
	res := runHost(t, h, "parent", Config{StackSize: 16 << 10})
	require.NoError(t, res.err)
	assert.Equal(t, 2, res.status) // every child exited with argc = 2
	assert.Equal(t, strings.Repeat("x\n", n), res.stdout)
	assert.Empty(t, res.stderr)
	// The processes' goroutines end just after WaitAll returns.
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	assert.LessOrEqual(t, runtime.NumGoroutine(), before)
	h.mu.Lock()
	defer h.mu.Unlock()
	assert.Empty(t, h.procs)
	assert.Empty(t, h.refs)
}

func TestSpawnFileAsStdout(t *testing.T) {
	dir := t.TempDir()
	parent := `
_start:
	la r0, path
	li r1, 0x241
	li r2, 0x1a4
	sys 3
	la r8, cfds
	st64 r0, [r8+8]
	mov r16, r0
	la r0, say
	la r1, sayargv
	la r2, cfds
	sys 19
	mov r17, r0
	mov r0, r16      # the child keeps its copy
	sys 4
	mov r0, r17
	sys 20
	halt
	.rodata
path:	.asciz "/data/out"
say:	.asciz "say"
x:	.asciz "to the file"
	.data
sayargv: .quad say, x, 0
cfds:	.quad 0, -1, 2
`
	h := testHost(t, map[string]string{"parent": parent, "say": sayProg})
	res := runHost(t, h, "parent", Config{Dirs: []DirGrant{{Host: dir, Guest: "/data"}}})
	assert.Equal(t, hostResult{2, nil, "", ""}, res)
	got, err := os.ReadFile(filepath.Join(dir, "out"))
	require.NoError(t, err)
	assert.Equal(t, "to the file\n", string(got))
	assert.Empty(t, h.refs)
}

func TestHostWaitErrors(t *testing.T) {
	h := testHost(t, map[string]string{"say": sayProg})
	_, err := h.Wait(1)
	require.EqualError(t, err, "vm: no process 1 to wait for")
	_, err = h.Spawn("nope", []string{"nope"}, Config{})
	require.EqualError(t, err, "nope: file does not exist")
	pid, err := h.Spawn("say", []string{"say", "a"}, Config{})
	require.NoError(t, err)
	st, err := h.Wait(pid)
	require.NoError(t, err)
	assert.Equal(t, 2, st)
	_, err = h.Wait(pid)
	require.EqualError(t, err, "vm: no process 1 to wait for")
	_, err = NewHost(nil).Spawn("say", nil, Config{})
	require.EqualError(t, err, "vm: the host has no loader")
}

func TestProcessesOfOneImageAreIsolated(t *testing.T) {
	// count increments a global and exits with it; with an argument it
	// first stores into its own code, which traps.
	count := `
_start:
	li r9, 2
	blt r0, r9, 1f
	la r8, _start
	st64 r9, [r8]
1:	la r8, n
	ld64 r0, [r8]
	addi r0, r0, 1
	st64 r0, [r8]
	halt
	.data
n:	.quad 41
`
	parent := `
_start:
	la r0, count
	la r1, pokeargv
	li r2, 0
	sys 19
	mov r16, r0
	la r0, count
	la r1, countargv
	li r2, 0
	sys 19
	mov r17, r0
	la r0, count
	la r1, countargv
	li r2, 0
	sys 19
	mov r18, r0
	mov r0, r16
	sys 20
	mov r19, r0
	mov r0, r17
	sys 20
	mov r20, r0
	mov r0, r18
	sys 20
	add r0, r0, r20
	sub r0, r0, r19   # 42 + 42 - 134
	halt
	.rodata
count:	.asciz "count"
poke:	.asciz "poke"
	.data
countargv: .quad count, 0
pokeargv: .quad count, poke, 0
`
	h := testHost(t, map[string]string{"parent": parent})
	img := assemble(t, count)
	var code *objfmt.Section
	for _, sec := range img.Sections {
		if sec.Name == ".text" {
			code = sec
		}
	}
	require.NotNil(t, code)
	text := append([]byte(nil), code.Data...)
	load := h.Load
	h.Load = func(path string, argv []string, cfg Config) (*Process, error) {
		if path == "count" {
			return Load(img, path, cfg) // the same image, and its code bytes, each time
		}
		return load(path, argv, cfg)
	}
	res := runHost(t, h, "parent", Config{})
	require.NoError(t, res.err)
	assert.Equal(t, -50, res.status)
	assert.Equal(t, `vmrun: trap: write to read-only memory at 0x10000 (section .text)
  at _start+0x18 (t.s:6)
backtrace:
  #0 0x10018 _start+0x18 (t.s:6)
`, res.stderr)
	assert.Equal(t, text, code.Data, "the image's code changed")
}

// firstPC is a Monitor that notes the pc and step count of the first
// instruction it sees.
type firstPC struct {
	seen      bool
	pc, steps uint64
}

func (m *firstPC) Pause(p *Process) (uint64, error) {
	if !m.seen {
		m.seen, m.pc, m.steps = true, p.PC(), p.Steps()
	}
	return 0, nil
}

func TestHostOnCreate(t *testing.T) {
	// OnCreate sees every process of the host, the spawned ones too, with
	// its pid set and before its first instruction, and after the
	// Config's own OnCreate; a spawn whose load fails does not use up a
	// pid.
	parent := `
_start:
	la r0, missing
	la r1, noargv
	li r2, 0
	sys 19
` + spawnWait("pid", "noargv", "0") + `
	li r0, 0
	halt
	.rodata
missing: .asciz "missing"
pid:	.asciz "pid"
	.data
noargv:	.quad 0
` + digitData
	h := testHost(t, map[string]string{"parent": parent, "pid": pidProg})
	var mu sync.Mutex
	var calls []string
	monitors := map[int]*firstPC{}
	h.OnCreate = func(p *Process) {
		mu.Lock()
		defer mu.Unlock()
		calls = append(calls, fmt.Sprintf("host %d steps %d", p.ID(), p.Steps()))
		m := &firstPC{}
		monitors[p.ID()] = m
		p.SetMonitor(m, 0)
	}
	cfg := Config{OnCreate: func(p *Process) {
		mu.Lock()
		defer mu.Unlock()
		calls = append(calls, fmt.Sprintf("config %d", p.ID()))
	}}
	res := runHost(t, h, "parent", cfg)
	require.NoError(t, res.err)
	assert.Equal(t, "2\n", res.stdout, "the child got pid 2: the failed spawn used none")
	assert.Equal(t, []string{"config 1", "host 1 steps 0", "config 2", "host 2 steps 0"}, calls,
		"the child inherits the Config, OnCreate included")
	require.Len(t, monitors, 2)
	for pid, m := range monitors {
		assert.True(t, m.seen, "pid %d", pid)
		assert.Equal(t, uint64(0), m.steps, "pid %d: the monitor saw the first instruction", pid)
		assert.Equal(t, uint64(0x10000), m.pc, "pid %d", pid)
	}
}
