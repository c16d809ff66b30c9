package vm

import (
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fakeLinker is a DynamicLinker whose methods are the functions set in
// it; a method without one fails (Exit does nothing).
type fakeLinker struct {
	open  func(p *Process, name string, flags uint64) (uint64, error)
	sym   func(p *Process, h uint64, name string) (uint64, error)
	close func(p *Process, h uint64) error
	bind  func(p *Process, m *Module, index uint64) (uint64, error)
	exit  func(p *Process)
}

var errFake = errors.New("fake: not implemented")

func (l *fakeLinker) Open(p *Process, name string, flags uint64) (uint64, error) {
	if l.open == nil {
		return 0, errFake
	}
	return l.open(p, name, flags)
}

func (l *fakeLinker) Sym(p *Process, h uint64, name string) (uint64, error) {
	if l.sym == nil {
		return 0, errFake
	}
	return l.sym(p, h, name)
}

func (l *fakeLinker) Close(p *Process, h uint64) error {
	if l.close == nil {
		return errFake
	}
	return l.close(p, h)
}

func (l *fakeLinker) Bind(p *Process, m *Module, index uint64) (uint64, error) {
	if l.bind == nil {
		return 0, errFake
	}
	return l.bind(p, m, index)
}

func (l *fakeLinker) Exit(p *Process) {
	if l.exit != nil {
		l.exit(p)
	}
}

// dlProgram runs body, which leaves results in r20..r23, then calls
// dlerror(buf1, 64) and dlerror(buf2, 64); it stores r20..r23 and the two
// dlerror results in res[0..5] and halts with 0.
func dlProgram(body string) string {
	return `
_start:` + body + `
	la r0, buf1
	li r1, 64
	sys 13
	mov r24, r0
	la r0, buf2
	li r1, 64
	sys 13
	mov r25, r0
	la r1, res
	st64 r20, [r1]
	st64 r21, [r1 + 8]
	st64 r22, [r1 + 16]
	st64 r23, [r1 + 24]
	st64 r24, [r1 + 32]
	st64 r25, [r1 + 40]
	li r0, 0
	halt
	.bss
res:	.zero 48
buf1:	.zero 64
buf2:	.zero 64`
}

// dlResults reads what dlProgram stored: res[0..5] and the two texts.
func dlResults(t *testing.T, p *Process) ([6]int64, string, string) {
	t.Helper()
	exe := p.Modules()[0].File
	var res [6]int64
	for i := range res {
		v, err := p.Read64(symbol(t, exe, "res") + 8*uint64(i))
		require.NoError(t, err)
		res[i] = int64(v)
	}
	s1, err := p.ReadString(symbol(t, exe, "buf1"), 64)
	require.NoError(t, err)
	s2, err := p.ReadString(symbol(t, exe, "buf2"), 64)
	require.NoError(t, err)
	return res, s1, s2
}

func TestDlSyscallsWithoutLinker(t *testing.T) {
	res := runSrc(t, dlProgram(`
	la r0, name
	li r1, 2
	sys 10
	mov r20, r0
	li r0, 0
	la r1, name
	sys 11
	mov r21, r0
	li r0, 1
	sys 12
	mov r22, r0
	la r0, buf1
	li r1, 0
	sys 13
	mov r23, r0
	.rodata
name:	.asciz "libx.vso"
	.text`), Config{})
	require.NoError(t, res.err)
	r, s1, s2 := dlResults(t, res.proc)
	msg := "dynamic loading is not available: the image is statically linked"
	assert.Equal(t, [6]int64{0, 0, -1, int64(len(msg)), int64(len(msg)), 0}, r)
	assert.Equal(t, msg[:63], s1)
	assert.Equal(t, "", s2)
}

func TestBindWithoutLinkerTraps(t *testing.T) {
	res := runSrc(t, "\n_start:\tcall plt0\n\thalt\nplt0:\tsys 14", Config{})
	var trap *Trap
	require.ErrorAs(t, res.err, &trap)
	assert.ErrorIs(t, res.err, ErrUnresolvedSymbol)
	assert.Equal(t, "trap: unresolved symbol: lazy binding (sys 14) is not available: the image is statically linked at plt0+0x0 (t.s:4)", trap.Error())
}

func TestDlerrorTruncatesAndClears(t *testing.T) {
	for _, tc := range []struct {
		n    int
		want string
	}{
		{1, ""},
		{2, "a"},
		{3, "ab"},
		{4, "abc"},
		{5, "abc"},
	} {
		t.Run(fmt.Sprint(tc.n), func(t *testing.T) {
			p, err := Load(assemble(t, dlProgram(`
	la r0, buf2
	sys 10
	la r0, buf1
	li r1, `+fmt.Sprint(tc.n)+`
	sys 13
	mov r20, r0`)), "t.img", Config{})
			require.NoError(t, err)
			p.SetLinker(&fakeLinker{open: func(*Process, string, uint64) (uint64, error) {
				return 0, errors.New("abc")
			}})
			_, err = p.Run()
			require.NoError(t, err)
			r, s1, s2 := dlResults(t, p)
			// The first call copies and clears; the calls in dlProgram find
			// no message and leave buf1 alone.
			assert.Equal(t, [6]int64{3, 0, 0, 0, 0, 0}, r)
			assert.Equal(t, tc.want, s1)
			assert.Equal(t, "", s2)
		})
	}
}

func TestDlerrorFaults(t *testing.T) {
	// A buffer that is not writable gives -EFAULT and keeps the message.
	p, err := Load(assemble(t, dlProgram(`
	li r0, 0
	sys 10
	la r0, _start
	li r1, 8
	sys 13
	mov r20, r0`)), "t.img", Config{})
	require.NoError(t, err)
	_, err = p.Run()
	require.NoError(t, err)
	r, s1, _ := dlResults(t, p)
	assert.Equal(t, [6]int64{-EFAULT, 0, 0, 0, int64(len(errStatic)), 0}, r)
	assert.Equal(t, errStatic[:63], s1)
}

func TestDlSyscallsWithLinker(t *testing.T) {
	// dlopen("libt.vso", RTLD_NOW|RTLD_GLOBAL) gives handle 3, dlsym(3,
	// "greet") its address, which the program calls, dlclose(3) 0; then a
	// failing dlopen, dlsym and dlclose each set dlerror, and an unreadable
	// name is refused without asking the linker.
	var log []string
	body := `
	la r0, name
	li r1, 0x102
	sys 10
	mov r20, r0
	la r1, sym
	sys 11
	mov r21, r0
	li r0, 5
	la r1, cb
	callr r21
	mov r22, r0
	mov r0, r20
	sys 12
	mov r23, r0
	la r0, bad
	li r1, 1
	sys 10
	add r20, r20, r0
	la r0, buf1
	li r1, 64
	sys 13
	li r0, 9
	la r1, sym
	sys 11
	add r21, r21, r0
	la r0, buf1
	li r1, 64
	sys 13
	li r0, 8
	sys 12
	add r23, r23, r0
	la r0, buf1
	li r1, 64
	sys 13
	li r0, 8
	li r1, 0
	sys 11
	add r21, r21, r0
	jmp .done
cb:	ret
.done:
	.rodata
name:	.asciz "libt.vso"
sym:	.asciz "greet"
bad:	.asciz "nope.vso"
	.text`
	m := newMulti(t, dlProgram(body), greetLib, "greet", nil, Config{})
	m.p.SetLinker(&fakeLinker{
		open: func(p *Process, name string, flags uint64) (uint64, error) {
			log = append(log, fmt.Sprintf("open %s %#x", name, flags))
			if name != "libt.vso" {
				return 0, fmt.Errorf("cannot find %s", name)
			}
			return 3, nil
		},
		sym: func(p *Process, h uint64, name string) (uint64, error) {
			log = append(log, fmt.Sprintf("sym %d %s", h, name))
			if h != 3 {
				return 0, fmt.Errorf("dlsym: bad handle %d", h)
			}
			return m.libAddr(t, name), nil
		},
		close: func(p *Process, h uint64) error {
			log = append(log, fmt.Sprintf("close %d", h))
			if h != 3 {
				return fmt.Errorf("dlclose: bad handle %d", h)
			}
			return nil
		},
	})
	status, err := m.p.Run()
	require.NoError(t, err)
	assert.Equal(t, 0, status)
	assert.Equal(t, []string{"open libt.vso 0x102", "sym 3 greet", "close 3", "open nope.vso 0x1", "sym 9 greet", "close 8"}, log)
	r, s1, s2 := dlResults(t, m.p)
	msg := "dlsym: cannot read the symbol name at 0x0"
	assert.Equal(t, [6]int64{3, int64(libBase), 6, -1, int64(len(msg)), 0}, r)
	assert.Equal(t, msg, s1)
	assert.Equal(t, "", s2)
	assert.Equal(t, "hello\n", m.out.String())
}

func TestDlopenErrors(t *testing.T) {
	// A linker returning handle 0 without an error, and a name the
	// program cannot read (the linker is not asked).
	opens := 0
	p, err := Load(assemble(t, dlProgram(`
	la r0, name
	li r1, 1
	sys 10
	mov r20, r0
	la r0, buf2
	li r1, 64
	sys 13
	mov r21, r0
	li r0, 0
	li r1, 1
	sys 10
	mov r22, r0
	.rodata
name:	.asciz "libt.vso"
	.text`)), "t.img", Config{})
	require.NoError(t, err)
	p.SetLinker(&fakeLinker{open: func(*Process, string, uint64) (uint64, error) {
		opens++
		return 0, nil
	}})
	_, err = p.Run()
	require.NoError(t, err)
	r, s1, s2 := dlResults(t, p)
	msg1, msg2 := "dlopen libt.vso: no handle", "dlopen: cannot read the module name at 0x0"
	assert.Equal(t, [6]int64{0, int64(len(msg1)), 0, 0, int64(len(msg2)), 0}, r)
	assert.Equal(t, msg2, s1)
	assert.Equal(t, msg1, s2)
	assert.Equal(t, 1, opens)
}

// pltExe calls add2(3, 4) and add2(10, 20) through a hand-written PLT
// whose GOT slot starts at the lazy entry, and halts with the sum.
const pltExe = `
_start:	li r0, 3
	li r1, 4
	call add2_plt
	mov r20, r0
	li r0, 10
	li r1, 20
	call add2_plt
	add r0, r0, r20
	halt
plt0:	sys 14
add2_plt:	ldpc ip, got_add2
	jr ip
add2_lazy:	li ip, 5
	jmp plt0
	.data
got_add2:	.quad add2_lazy`

func TestBindThroughPLT(t *testing.T) {
	lib := `
	.global add2
add2:	add r0, r0, r1
	ret`
	m := newMulti(t, pltExe, lib, "add2", nil, Config{})
	var binds []string
	m.p.SetLinker(&fakeLinker{bind: func(p *Process, mod *Module, index uint64) (uint64, error) {
		binds = append(binds, fmt.Sprintf("%s %d", mod.Name, index))
		target := m.libAddr(t, "add2")
		return target, p.Write64(symbol(t, m.exe.File, "got_add2"), target)
	}})
	status, err := m.p.Run()
	require.NoError(t, err)
	// add2 got its arguments and returned straight to _start; the second
	// call went through the bound GOT slot.
	assert.Equal(t, 37, status)
	assert.Equal(t, []string{"t.img 5"}, binds)
	// _start 9; first call: PLT 2, lazy entry 2, sys 14, add2 2; second
	// call: PLT 2, add2 2.
	assert.Equal(t, uint64(9+7+4), m.p.Steps())
}

func TestBindError(t *testing.T) {
	m := newMulti(t, pltExe, "\n\t.global add2\nadd2:\tret", "add2", nil, Config{})
	m.p.SetLinker(&fakeLinker{bind: func(p *Process, mod *Module, index uint64) (uint64, error) {
		return 0, errors.New("t.img: unresolved symbol add2")
	}})
	_, err := m.p.Run()
	var trap *Trap
	require.ErrorAs(t, err, &trap)
	assert.ErrorIs(t, err, ErrUnresolvedSymbol)
	// plt0 is only jumped to, so it is not a function symbol.
	assert.Equal(t, `trap: t.img: unresolved symbol add2
  at _start+0x48 (t.s:11)
backtrace:
  #0 0x10048 _start+0x48 (t.s:11)
  #1 0x10010 _start+0x10 (t.s:4)
`, trap.Report())
}
