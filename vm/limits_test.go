package vm

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"linkvm/objfmt"
)

// sbrkLoop grows the heap by 64 KiB until sbrk fails, then tries brk one
// byte past the break, and halts with 1000 * the successful sbrks +
// -errno of the failure + 100 if brk moved the break.
const sbrkLoop = `
_start:	li r16, 0
1:	li64 r0, 0x10000
	sys 6
	blt r0, r16, 2f
	addi r16, r16, 1
	jmp 1b
2:	li r9, 0
	sub r17, r9, r0
	li r0, 0
	sys 5
	mov r18, r0
	addi r0, r0, 1
	sys 5
	sub r18, r0, r18
	muli r18, r18, 100
	muli r0, r16, 1000
	add r0, r0, r17
	add r0, r0, r18
	halt
`

func TestMemoryLimitStopsTheHeap(t *testing.T) {
	// 1 MiB in all, 64 KiB of it the stack: the heap gets the other 15
	// chunks of 64 KiB, then sbrk fails with -ENOMEM and brk stays.
	res := runSrc(t, sbrkLoop, Config{StackSize: 64 << 10, MaxMemory: 1 << 20})
	require.NoError(t, res.err)
	assert.Equal(t, 15*1000+ENOMEM, res.status)
	assert.Equal(t, uint64(1<<20), res.proc.MemoryInUse())

	// The image's writable data counts too: 64 KiB of .bss leaves 14.
	res = runSrc(t, sbrkLoop+"\t.bss\nbig:\t.zero 0x10000\n", Config{StackSize: 64 << 10, MaxMemory: 1 << 20})
	require.NoError(t, res.err)
	assert.Equal(t, 14*1000+ENOMEM, res.status)

	// The heap limit still applies below the memory limit.
	res = runSrc(t, sbrkLoop, Config{StackSize: 64 << 10, MaxMemory: 1 << 20, HeapLimit: 3 << 16})
	require.NoError(t, res.err)
	assert.Equal(t, 3*1000+ENOMEM, res.status)

	// By default the heap may take what the memory limit leaves.
	res = runSrc(t, sbrkLoop, Config{})
	require.NoError(t, res.err)
	assert.Equal(t, (DefaultMaxMemory-DefaultStackSize)/0x10000*1000+ENOMEM, res.status)
	assert.Equal(t, uint64(DefaultMaxMemory), res.proc.MemoryInUse())
}

func TestMemoryLimitAtLoad(t *testing.T) {
	src := "\n_start:\thalt\n\t.data\nd:\t.quad 1\n\t.bss\nbig:\t.zero 0x100000\n"
	_, err := Load(assemble(t, src), "t.img", Config{StackSize: 64 << 10, MaxMemory: 1 << 20})
	assert.EqualError(t, err, "t.img: its writable and zero-filled sections need 1048584 bytes, "+
		"over the memory limit of 1048576 bytes (65536 in use)")
	assert.ErrorIs(t, err, ErrMemoryLimit)

	// A section claiming more memory than the host has is refused
	// before anything is allocated.
	img := assemble(t, "\n_start:\thalt")
	img.Sections = append(img.Sections, &objfmt.Section{Name: ".huge", Kind: objfmt.KindNobits,
		Flags: objfmt.FlagAlloc | objfmt.FlagWrite, Align: 8, Addr: 0x1000000, Size: 1 << 46})
	_, err = Load(img, "t.img", Config{})
	assert.EqualError(t, err, "t.img: its writable and zero-filled sections need 70368744177664 bytes, "+
		"over the memory limit of 268435456 bytes (1048576 in use)")

	// The stack counts: one larger than the limit is a configuration
	// error.
	_, err = Load(assemble(t, "\n_start:\thalt"), "t.img", Config{StackSize: 2 << 20, MaxMemory: 1 << 20})
	assert.EqualError(t, err, "t.img: stack size 2097152 is larger than the memory limit 1048576")
	_, err = Load(assemble(t, "\n_start:\thalt"), "t.img", Config{MaxMemory: 512 << 10})
	assert.EqualError(t, err, "t.img: stack size 1048576 is larger than the memory limit 524288")

	// Exactly at the limit is allowed.
	res := runSrc(t, "\n_start:\tli r0, 0x10000\n\tsys 6\n\thalt", Config{StackSize: 64 << 10, MaxMemory: 128 << 10})
	require.NoError(t, res.err)
	assert.Equal(t, uint64(128<<10), res.proc.MemoryInUse())
}

func TestMemoryLimitOfMappedModules(t *testing.T) {
	// MapModule of a shared module (dlopen's path) checks the limit
	// against what the process already uses, heap included.
	p := NewProcess(Config{StackSize: 64 << 10, MaxMemory: 256 << 10})
	exe := assemble(t, "\n_start:\thalt")
	_, err := p.MapModule(exe, "t.img", "t.img", 0)
	require.NoError(t, err)
	p.Start(exe.Entry)
	lib := &objfmt.File{Type: objfmt.TypeShared, Sections: []*objfmt.Section{
		{Name: ".bss", Kind: objfmt.KindNobits, Flags: objfmt.FlagAlloc | objfmt.FlagWrite, Align: 8, Size: 128 << 10}}}
	_, err = p.MapModule(lib, "liba.vso", "liba.vso", 0x100000000)
	require.NoError(t, err)
	assert.Equal(t, uint64(192<<10), p.MemoryInUse())
	_, err = p.MapModule(lib, "libb.vso", "libb.vso", 0x200000000)
	assert.EqualError(t, err, "libb.vso: its writable and zero-filled sections need 131072 bytes, "+
		"over the memory limit of 262144 bytes (196608 in use)")
	assert.Equal(t, uint64(192<<10), p.MemoryInUse(), "nothing of the refused module stays")
	require.NoError(t, p.Close())
}

// openLoop opens /log until open fails and halts with (last fd << 8) +
// -errno.
const openLoop = `
_start:	li r20, 0
.loop:	la r0, path
	li r1, 0
	li r2, 0
	sys 3
	blt r0, r20, .done
	mov r21, r0
	jmp .loop
.done:	shli r21, r21, 8
	sub r0, r21, r0
	halt
	.rodata
path:	.asciz "/log"`

func TestMaxFiles(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "log"), nil, 0o644))
	grant := []DirGrant{{Host: dir}}
	for _, tc := range []struct {
		max, last int
	}{{0, DefaultMaxFiles - 1}, {4, 3}, {10, 9}, {300, 299}} {
		t.Run(fmt.Sprint(tc.max), func(t *testing.T) {
			res := runSrc(t, openLoop, Config{Dirs: grant, MaxFiles: tc.max})
			require.NoError(t, res.err)
			assert.Equal(t, tc.last<<8+EMFILE, res.status)
		})
	}
	// With no fd above 2 allowed, open fails at once.
	res := runSrc(t, openLoop, Config{Dirs: grant, MaxFiles: 3})
	require.NoError(t, res.err)
	assert.Equal(t, EMFILE, res.status)

	// pipe needs two free fds.
	res = runSrc(t, `
_start:	la r0, path
	li r1, 0
	li r2, 0
	sys 3
	la r0, fds
	sys 22
	halt
	.rodata
path:	.asciz "/log"
	.bss
fds:	.zero 16`, Config{Dirs: grant, MaxFiles: 5})
	require.NoError(t, res.err)
	assert.Equal(t, -EMFILE, res.status)

	for _, bad := range []int{-1, 1, 2, MaxFilesLimit + 1} {
		_, err := Load(assemble(t, "\n_start:\thalt"), "t.img", Config{MaxFiles: bad})
		assert.EqualError(t, err, fmt.Sprintf("t.img: the file limit %d is not in 3..65536 (fds 0, 1 and 2 are the standard streams)", bad))
	}
}

func TestMaxProcs(t *testing.T) {
	// The parent spawns four children without waiting (two fit beside
	// it), prints each result's sign, waits for the first child and
	// spawns once more, which now fits.
	parent := `
_start:	li r16, 4
	li r19, 0
1:	la r0, say
	la r1, sayargv
	li r2, 0
	sys 19
	bnez r19, 2f
	mov r19, r0
2:	li r9, 0
	la r1, plus
	blt r9, r0, 3f
	addi r0, r0, 48
	la r1, errno
	st8 r0, [r1]
3:	li r0, 2
	li r2, 1
	sys 1
	addi r16, r16, -1
	bnez r16, 1b
	mov r0, r19
	sys 20
	la r0, say
	la r1, sayargv
	li r2, 0
	sys 19
	halt
	.rodata
say:	.asciz "say"
x:	.asciz "x"
plus:	.ascii "+"
	.data
sayargv: .quad say, x, 0
errno:	.ascii "?"
`
	h := testHost(t, map[string]string{"parent": parent, "say": sayProg})
	h.MaxProcs = 3
	res := runHost(t, h, "parent", Config{})
	require.NoError(t, res.err)
	assert.Equal(t, 4, res.status, "the fifth spawn gets pid 4")
	// '0' - 11 is '%': -EAGAIN.
	assert.Equal(t, "++"+string(rune('0'-EAGAIN))+string(rune('0'-EAGAIN)), res.stderr)
	assert.Equal(t, "x\nx\nx\n", res.stdout)

	// The embedder's Spawn counts too.
	h = testHost(t, map[string]string{"seven": sevenProg})
	h.MaxProcs = 1
	_, err := h.Spawn("seven", []string{"seven"}, Config{})
	require.NoError(t, err)
	_, err = h.Spawn("seven", []string{"seven"}, Config{})
	assert.EqualError(t, err, "vm: seven: too many processes (the host's limit is 1)")
	assert.ErrorIs(t, err, ErrTooManyProcesses)
	h.WaitAll()
}

func TestEnvironment(t *testing.T) {
	// Writes each envp string and a newline, then exits with 1 if envp
	// is right after argv's 0.
	const envProg = `
_start:	mov r16, r2
	addi r8, r0, 1
	shli r8, r8, 3
	add r8, r1, r8
	seq r19, r8, r2
1:	ld64 r17, [r16]
	beqz r17, 3f
	mov r2, r17
2:	ld8u r3, [r2]
	addi r2, r2, 1
	bnez r3, 2b
	sub r2, r2, r17
	addi r2, r2, -1
	li r0, 1
	mov r1, r17
	sys 1
	li r0, 1
	la r1, nl
	li r2, 1
	sys 1
	addi r16, r16, 8
	jmp 1b
3:	mov r0, r19
	halt
	.rodata
nl:	.ascii "\n"
`
	res := runSrc(t, envProg, Config{Args: []string{"t", "a"}, Env: []string{"HOME=/home/x", "EMPTY=", "LANG=C"}})
	require.NoError(t, res.err)
	assert.Equal(t, "HOME=/home/x\nEMPTY=\nLANG=C\n", res.stdout)
	assert.Equal(t, 1, res.status)

	res = runSrc(t, envProg, Config{})
	require.NoError(t, res.err)
	assert.Equal(t, "", res.stdout, "no environment unless given")
	assert.Equal(t, 1, res.status)

	// A spawned child inherits the environment.
	parent := `
_start:` + spawnWait("env", "0", "0") + `	halt
	.rodata
env:	.asciz "env"
` + digitData
	h := testHost(t, map[string]string{"parent": parent, "env": envProg})
	r := runHost(t, h, "parent", Config{Env: []string{"A=1"}})
	require.NoError(t, r.err)
	assert.Equal(t, "A=1\n1\n", r.stdout)
}
