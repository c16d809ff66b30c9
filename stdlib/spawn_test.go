package stdlib

import (
	"bytes"
	"fmt"
	"io/fs"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"linkvm/dynld"
	"linkvm/objfmt"
	"linkvm/vm"
)

// spawnParent pipes the output of the program "child" into itself with
// pipe, spawn, close and read, writes what it read with puts, then returns
// wait's status * 10 + getpid().
const spawnParent = `
        .text
        .global main
main:
        enter 32
        la    r0, fds
        call  pipe
        bnez  r0, fail
        la    r8, fds
        ld64  r9, [r8+8]
        la    r10, cfds
        st64  r9, [r10+8]
        la    r0, child
        la    r1, cargv
        la    r2, cfds
        call  spawn
        st64  r0, [fp-8]
        la    r8, fds
        ld64  r0, [r8+8]
        call  close
        li    r9, 0
        st64  r9, [fp-16]       # bytes read so far
1:      la    r8, fds
        ld64  r0, [r8]
        la    r1, buf
        ld64  r9, [fp-16]
        add   r1, r1, r9
        li    r2, 63
        sub   r2, r2, r9
        call  read
        beqz  r0, 2f
        ld64  r9, [fp-16]
        add   r9, r9, r0
        st64  r9, [fp-16]
        jmp   1b
2:      la    r0, buf
        call  puts
        ld64  r0, [fp-8]
        call  wait
        muli  r0, r0, 10
        st64  r0, [fp-24]
        call  getpid
        ld64  r9, [fp-24]
        add   r0, r0, r9
        leave
        ret
fail:   li    r0, 99
        leave
        ret

        .rodata
child:  .asciz "child"
hi:     .asciz "hi"
        .data
cargv:  .quad child, hi, 0
fds:    .quad -1, -1
cfds:   .quad 0, -1, 2
        .bss
buf:    .zero 64
`

// spawnChild writes its argv[1] with puts and returns getpid().
const spawnChild = `
        .text
        .global main
main:
        enter 16
        ld64  r0, [r1+8]
        call  puts
        call  getpid
        leave
        ret
`

// spawnHost links the programs of srcs (source by name) in mode and
// returns a host whose loader runs them by name: static images with
// vm.Load, dynamic ones from a temporary directory with dynld.Load.
func spawnHost(t *testing.T, mode linkMode, srcs map[string]string) *vm.Host {
	t.Helper()
	dir := t.TempDir()
	imgs := map[string]*objfmt.File{}
	for name, src := range srcs {
		p := program{name: name + ".s", src: src}
		imgs[name] = link(t, mode, p.name, p.assemble(t)).img
		require.NoError(t, objfmt.WriteFile(filepath.Join(dir, name), imgs[name]))
	}
	return vm.NewHost(func(path string, argv []string, cfg vm.Config) (*vm.Process, error) {
		img, ok := imgs[path]
		if !ok {
			return nil, fmt.Errorf("%s: %w", path, fs.ErrNotExist)
		}
		if mode == static {
			return vm.Load(img, path, cfg)
		}
		return dynld.Load(filepath.Join(dir, path), cfg, dynld.Config{DefaultLibDirs: []string{libDir}})
	})
}

func TestSpawnWaitPipe(t *testing.T) {
	t.Parallel()
	for _, mode := range []linkMode{static, dynamic} {
		t.Run(string(mode), func(t *testing.T) {
			t.Parallel()
			h := spawnHost(t, mode, map[string]string{"parent": spawnParent, "child": spawnChild})
			var out, errb bytes.Buffer
			pid, err := h.Spawn("parent", []string{"parent"}, vm.Config{Stdout: &out, Stderr: &errb})
			require.NoError(t, err)
			status, err := h.Wait(pid)
			h.WaitAll()
			require.NoError(t, err)
			assert.Equal(t, 21, status) // the child's pid 2, the parent's 1
			assert.Equal(t, "hi\n\n", out.String())
			assert.Empty(t, errb.String())
		})
	}
}

// randParent spawns "rand" twice, both running at once, and returns the
// sum of their statuses.
const randParent = `
        .text
        .global main
main:
        enter 32
        la    r0, child
        la    r1, cargv
        li    r2, 0
        call  spawn
        st64  r0, [fp-8]
        la    r0, child
        la    r1, cargv
        li    r2, 0
        call  spawn
        st64  r0, [fp-16]
        ld64  r0, [fp-8]
        call  wait
        st64  r0, [fp-24]
        ld64  r0, [fp-16]
        call  wait
        ld64  r9, [fp-24]
        add   r0, r0, r9
        leave
        ret
        .rodata
child:  .asciz "rand"
        .data
cargv:  .quad child, 0
`

// randChild returns its first rand() & 127: libstd's generator state is
// a global of libstd, private to each process even where libstd's code
// is shared.
const randChild = `
        .text
        .global main
main:
        enter 16
        call  rand
        andi  r0, r0, 127
        leave
        ret
`

func TestSpawnedProcessesHaveTheirOwnLibstdData(t *testing.T) {
	t.Parallel()
	// The first rand() after srand(1), as docs/stdlib.md defines it.
	s := uint64(1) ^ 0x9E3779B97F4A7C15
	s ^= s >> 12
	s ^= s << 25
	s ^= s >> 27
	first := int((s*0x2545F4914F6CDD1D)>>33) & 127
	for _, mode := range []linkMode{static, dynamic} {
		t.Run(string(mode), func(t *testing.T) {
			t.Parallel()
			h := spawnHost(t, mode, map[string]string{"parent": randParent, "rand": randChild})
			pid, err := h.Spawn("parent", []string{"parent"}, vm.Config{})
			require.NoError(t, err)
			status, err := h.Wait(pid)
			h.WaitAll()
			require.NoError(t, err)
			assert.Equal(t, 2*first&0xff, status)
		})
	}
}
