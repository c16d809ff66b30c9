package dynld

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"linkvm/asm"
	"linkvm/objfmt"
	"linkvm/staticld"
)

// The modules of the end-to-end test, as vmas and vmld -shared make them.
const (
	e2eLib = `
	.text
	.global greet, bump, _init, _fini
# greet(): prints "hello #N" where N is the counter, then bumps it.
greet:	enter 16
	la	r1, msg
	li	r0, 1
	li	r2, 7
	sys	1
	ldpc	r8, counter@got
	ld64	r0, [r8 + 0]
	call	bump
	leave
	ret
# bump(n): prints the digit n and a newline, counter += 1.
bump:	enter 16
	addi	r0, r0, 48
	st8	r0, [sp + 0]
	li	r0, 10
	st8	r0, [sp + 1]
	mov	r1, sp
	li	r0, 1
	li	r2, 2
	sys	1
	ldpc	r8, counter@got
	ld64	r0, [r8 + 0]
	addi	r0, r0, 1
	st64	r0, [r8 + 0]
	leave
	ret
_init:	la	r1, hi
	li	r0, 1
	li	r2, 5
	sys	1
	ret
_fini:	la	r1, bye
	li	r0, 1
	li	r2, 4
	sys	1
	ret
	.rodata
msg:	.ascii	"hello #"
hi:	.ascii	"init\n"
bye:	.ascii	"bye\n"
	.data
	.global counter
counter: .quad 1
`
	e2eProg = `
	.text
	.global _start
_start:	call	greet
	call	greet
	ldpc	r8, counter@got
	ld64	r0, [r8 + 0]
	sys	0
`
)

// assemble assembles src as name.
func assemble(t *testing.T, name, src string) *objfmt.File {
	t.Helper()
	f, err := asm.Assemble(name, []byte(src), asm.Options{})
	require.NoError(t, err)
	return f
}

func TestEndToEndWithVmld(t *testing.T) {
	dir := t.TempDir()
	libObj := assemble(t, "greet.s", e2eLib)
	lib, err := staticld.Link(staticld.Config{Shared: true, Soname: "libgreet.vso.1"}, []staticld.Input{{Name: "greet.vo", File: libObj}})
	require.NoError(t, err)
	writeModule(t, dir, "libgreet.vso", lib)

	progObj := assemble(t, "prog.s", e2eProg)
	prog, err := staticld.Link(staticld.Config{Entry: "_start", Runpath: []string{"$ORIGIN"}},
		[]staticld.Input{{Name: "prog.vo", File: progObj}, {Name: "libgreet.vso", File: lib}})
	require.NoError(t, err)
	require.NotNil(t, prog.Dynamic)
	assert.Equal(t, []string{"libgreet.vso.1"}, prog.Dynamic.Needed)
	dynPath := writeModule(t, dir, "prog.img", prog)

	static, err := staticld.Link(staticld.Config{Entry: "_start"},
		[]staticld.Input{{Name: "prog.vo", File: progObj}, {Name: "greet.vo", File: libObj}})
	require.NoError(t, err)
	require.Nil(t, static.Dynamic)

	for _, now := range []bool{false, true} {
		r := runProg(t, dynPath, Config{BindNow: now})
		require.NoError(t, r.err)
		assert.Equal(t, "init\nhello #1\nhello #2\nbye\n", r.stdout)
		assert.Equal(t, 3, r.status)
	}
	staticPath := writeModule(t, dir, "static.img", static)
	r := runProg(t, staticPath, Config{})
	require.NoError(t, r.err)
	assert.Equal(t, "hello #1\nhello #2\n", r.stdout, "no init and fini in a static image")
	assert.Equal(t, 3, r.status)

	root, err := Tree(filepath.Join(dir, "prog.img"), Config{})
	require.NoError(t, err)
	require.Len(t, root.Modules, 1)
	assert.Equal(t, "1.0", root.Modules[0].Version)
}
