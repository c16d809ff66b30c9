package vm

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// initLib has init functions for the Call tests: init prints "init" and
// dlopens "inner" (whose init2 prints "init2" and returns 5), crash
// divides by zero, quit exits with 7, fini prints "fini".
const initLib = `
	.global init
init:	enter 0
	li r0, 1
	la r1, msg
	li r2, 5
	sys 1
	la r0, inner
	li r1, 1
	sys 10
	li r16, -1
	leave
	ret
	.global init2
init2:	li r0, 1
	la r1, msg2
	li r2, 6
	sys 1
	li r0, 5
	ret
	.global crash
crash:	li r1, 0
	divs r0, r0, r1
	ret
	.global quit
quit:	li r0, 7
	sys 0
	.global fini
fini:	li r0, 1
	la r1, msg3
	li r2, 5
	sys 1
	ret
	.global add8
add8:	add r0, r0, r1
	add r0, r0, r2
	add r0, r0, r3
	add r0, r0, r4
	add r0, r0, r5
	add r0, r0, r6
	add r0, r0, r7
	ret
	.rodata
msg:	.ascii "init\n"
msg2:	.ascii "init2\n"
msg3:	.ascii "fini\n"
inner:	.asciz "inner"`

// dlopenExe dlopens the module name, prints "after" and halts with the
// handle + 77 (kept in the callee-saved r16 across the call).
func dlopenExe(name string) string {
	return fmt.Sprintf(`
_start:	li r16, 77
	la r0, name
	li r1, 2
	sys 10
	add r20, r0, r16
	li r0, 1
	la r1, after
	li r2, 6
	sys 1
	mov r0, r20
	halt
	.rodata
after:	.ascii "after\n"
name:	.asciz %q`, name)
}

// initLinker is a fake linker whose Open runs the init function of
// initLib named by the module name ("outer" runs init, "inner" init2)
// and whose Exit runs fini. It logs what it does.
func initLinker(t *testing.T, m *multi, log *[]string) *fakeLinker {
	return &fakeLinker{
		open: func(p *Process, name string, flags uint64) (uint64, error) {
			fn := map[string]string{"outer": "init", "inner": "init2"}[name]
			if fn == "" {
				fn = name
			}
			r, err := p.Call(m.libAddr(t, fn))
			*log = append(*log, fmt.Sprintf("open %s: %d %v", name, r, err))
			if err != nil {
				return 0, err
			}
			return 3, nil
		},
		exit: func(p *Process) {
			_, err := p.Call(m.libAddr(t, "fini"))
			*log = append(*log, fmt.Sprintf("exit: %v", err))
		},
	}
}

func TestCallReentrantFromDlopen(t *testing.T) {
	// dlopen runs init, which dlopens inner, whose init2 runs: Calls nest
	// two deep inside Run; each returns to where it was called, with the
	// caller's registers intact.
	var log []string
	m := newMulti(t, dlopenExe("outer"), initLib, "init", nil, Config{})
	m.p.SetLinker(initLinker(t, m, &log))
	status, err := m.p.Run()
	require.NoError(t, err)
	assert.Equal(t, 3+77, status)
	assert.Equal(t, "init\ninit2\nafter\nfini\n", m.out.String())
	assert.Equal(t, []string{"open inner: 5 <nil>", "open outer: 3 <nil>", "exit: <nil>"}, log)
	assert.Empty(t, m.p.calls)
}

func TestTrapInCallFromDlopen(t *testing.T) {
	// The trap ends the process; its backtrace goes on from the init
	// function into the program at its sys 10.
	var log []string
	m := newMulti(t, dlopenExe("crash"), initLib, "init", nil, Config{})
	m.p.SetLinker(initLinker(t, m, &log))
	_, err := m.p.Run()
	var trap *Trap
	require.ErrorAs(t, err, &trap)
	assert.Equal(t, `trap: division by zero
  at libt.vso:crash+0x8 (lib.s:23)
backtrace:
  #0 0x100000090 libt.vso:crash+0x8 (lib.s:23)
  #1 0x10018 _start+0x18 (t.s:5)
`, trap.Report())
	assert.Equal(t, "", m.out.String())
	assert.Equal(t, []string{"open crash: 0 trap: division by zero at libt.vso:crash+0x8 (lib.s:23)"}, log)
	_, err = m.p.Call(m.libAddr(t, "fini"))
	assert.EqualError(t, err, "vm: the process has trapped")
}

func TestExitInCallFromDlopen(t *testing.T) {
	// exit in an init function ends the program with its status; Exit
	// runs (and may Call fini) as for any exit.
	var log []string
	m := newMulti(t, dlopenExe("quit"), initLib, "init", nil, Config{})
	m.p.SetLinker(initLinker(t, m, &log))
	status, err := m.p.Run()
	require.NoError(t, err)
	assert.Equal(t, 7, status)
	assert.Equal(t, "fini\n", m.out.String())
	assert.Equal(t, []string{"open quit: 0 the program exited with status 7", "exit: <nil>"}, log)
}

func TestExitRunsFiniBeforeFlushing(t *testing.T) {
	for _, tc := range []struct {
		name, end string
	}{
		{"halt", "li r0, 3\n\thalt"},
		{"exit", "li r0, 3\n\tsys 0"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var log []string
			var both strings.Builder
			m := newMulti(t, "\n_start:\n"+writeSrc(1, "main\n")+writeSrc(2, "err\n")+"\t"+tc.end,
				initLib, "init", nil, Config{Stdout: &both, Stderr: &both})
			m.p.SetLinker(initLinker(t, m, &log))
			status, err := m.p.Run()
			require.NoError(t, err)
			assert.Equal(t, 3, status)
			assert.Equal(t, "main\nerr\nfini\n", both.String())
			assert.Equal(t, []string{"exit: <nil>"}, log)
		})
	}
}

func TestNoFiniAfterTrap(t *testing.T) {
	var log []string
	m := newMulti(t, "\n_start:\ttrap 1", initLib, "init", nil, Config{})
	m.p.SetLinker(initLinker(t, m, &log))
	_, err := m.p.Run()
	assert.ErrorIs(t, err, ErrUserTrap)
	assert.Empty(t, log)
	assert.Equal(t, "", m.out.String())
}

func TestTrapInFini(t *testing.T) {
	m := newMulti(t, "\n_start:\thalt", initLib, "init", nil, Config{})
	m.p.SetLinker(&fakeLinker{exit: func(p *Process) {
		p.Call(m.libAddr(t, "crash"))
	}})
	_, err := m.p.Run()
	var trap *Trap
	require.ErrorAs(t, err, &trap)
	assert.Equal(t, "trap: division by zero at libt.vso:crash+0x8 (lib.s:23)", trap.Error())
	require.Len(t, trap.Frames, 1)
}

func TestCallFromHost(t *testing.T) {
	// Before Run (as a loader runs init functions), Call runs a function
	// on the process's stack and leaves the registers and pc as Start set
	// them.
	m := newMulti(t, callLib, greetLib, "greet", []string{"greet"}, Config{})
	regs, pc := m.p.regs, m.p.pc
	r, err := m.p.Call(m.libAddr(t, "greet"), 5, symbol(t, m.exe.File, "cb"))
	require.NoError(t, err)
	assert.Equal(t, uint64(5+1+100), r)
	assert.Equal(t, regs, m.p.regs)
	assert.Equal(t, pc, m.p.pc)

	status, err := m.p.Run()
	require.NoError(t, err)
	assert.Equal(t, 5+2+100, status)
	assert.Equal(t, "hello\nhello\n", m.out.String())

	_, err = m.p.Call(m.libAddr(t, "greet"))
	assert.EqualError(t, err, "vm: the program has exited")
}

func TestCallArguments(t *testing.T) {
	m := newMulti(t, "\n_start:\thalt", initLib, "init", nil, Config{})
	r, err := m.p.Call(m.libAddr(t, "add8"), 1, 2, 3, 4, 5, 6, 7, 8)
	require.NoError(t, err)
	assert.Equal(t, uint64(36), r)
	r, err = m.p.Call(m.libAddr(t, "add8"), 1)
	require.NoError(t, err)
	assert.Equal(t, uint64(1), r)
	_, err = m.p.Call(m.libAddr(t, "add8"), 1, 2, 3, 4, 5, 6, 7, 8, 9)
	assert.EqualError(t, err, "vm: Call with 9 arguments (at most 8)")
}

func TestCallTrapBeforeRun(t *testing.T) {
	// A trap in a Call before Run ends the process: Run returns it.
	m := newMulti(t, "\n_start:\thalt", initLib, "init", nil, Config{})
	_, err := m.p.Call(m.libAddr(t, "crash"), 1)
	var trap *Trap
	require.ErrorAs(t, err, &trap)
	assert.Equal(t, "trap: division by zero at libt.vso:crash+0x8 (lib.s:23)", trap.Error())
	_, err = m.p.Run()
	assert.Same(t, trap, err)
}

func TestCallExitBeforeRun(t *testing.T) {
	m := newMulti(t, "\n_start:\ttrap 9", initLib, "init", nil, Config{})
	_, err := m.p.Call(m.libAddr(t, "init2"))
	require.NoError(t, err)
	_, err = m.p.Call(m.libAddr(t, "quit"))
	var exit *ExitError
	require.ErrorAs(t, err, &exit)
	assert.Equal(t, 7, exit.Status)
	assert.EqualError(t, err, "the program exited with status 7")
	_, err = m.p.Call(m.libAddr(t, "init2"))
	assert.EqualError(t, err, "vm: the program has exited")
	// Run does not run the program, but flushes what init2 wrote.
	status, err := m.p.Run()
	require.NoError(t, err)
	assert.Equal(t, 7, status)
	assert.Equal(t, "init2\n", m.out.String())
}

func TestCallBadFunction(t *testing.T) {
	m := newMulti(t, "\n_start:\thalt", initLib, "init", nil, Config{})
	_, err := m.p.Call(m.libAddr(t, "msg"))
	var trap *Trap
	require.ErrorAs(t, err, &trap)
	assert.Equal(t, "trap: bad jump to 0x100001000 (section .rodata of libt.vso is not executable) at libt.vso:msg+0x0", trap.Error())
}

func TestCallNestingLimit(t *testing.T) {
	// A linker that dlopens forever from init functions is stopped.
	exe := `
_start:	la r0, name
	sys 10
	halt
	.rodata
name:	.asciz "x"`
	lib := `
	.global again
again:	la r0, name
	sys 10
	ret
	.rodata
name:	.asciz "x"`
	m := newMulti(t, exe, lib, "again", nil, Config{})
	var last error
	m.p.SetLinker(&fakeLinker{open: func(p *Process, name string, flags uint64) (uint64, error) {
		_, err := p.Call(m.libAddr(t, "again"))
		if err != nil && last == nil {
			last = err
		}
		return 1, err
	}})
	_, err := m.p.Run()
	require.NoError(t, err)
	assert.EqualError(t, last, fmt.Sprintf("vm: Calls nested more than %d deep", maxCallDepth))
}

func TestDebugfOrder(t *testing.T) {
	// Debug lines go to stderr in order with the program's output, even
	// after the program closed fd 2.
	var both strings.Builder
	exe := "\n_start:\n" + writeSrc(1, "a\n") + "\tla r0, name\n\tsys 10\n" + writeSrc(2, "b\n") +
		"\tli r0, 2\n\tsys 4\n" + writeSrc(1, "cc\n") + "\tla r0, name\n\tsys 10\n\thalt\n\t.rodata\nname:\t.asciz \"x\"\n"
	p, err := Load(assemble(t, exe), "t.img", Config{Stdout: &both, Stderr: &both})
	require.NoError(t, err)
	n := 0
	p.SetLinker(&fakeLinker{open: func(p *Process, name string, flags uint64) (uint64, error) {
		n++
		p.Debugf("debug %d", n)
		p.Debugf("%s\n", "line")
		return 1, nil
	}})
	_, err = p.Run()
	require.NoError(t, err)
	assert.Equal(t, "a\ndebug 1\nline\nb\ncc\ndebug 2\nline\n", both.String())
	// After Run (a loader reporting on exit), lines are not held back.
	p.Debugf("late")
	assert.Equal(t, "a\ndebug 1\nline\nb\ncc\ndebug 2\nline\nlate\n", both.String())
}

func TestProcessIDs(t *testing.T) {
	p1 := NewProcess(Config{})
	p2, err := Load(assemble(t, "\n_start:\thalt"), "t.img", Config{})
	require.NoError(t, err)
	assert.Positive(t, p1.ID())
	assert.Equal(t, p1.ID()+1, p2.ID())
}

func TestNewProcessConfigErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  Config
		want string
	}{
		{"stack", Config{StackSize: MaxStackSize + 1}, "vm: stack size 1073741825 is larger than the maximum 1073741824"},
		{"args", Config{StackSize: 4096, Args: []string{strings.Repeat("x", 3000)}},
			"vm: the arguments and environment (3041 bytes) do not fit in half of the 4096-byte stack"},
		{"grant", Config{Dirs: []DirGrant{{Host: "/nonexistent/dir"}}},
			"cannot grant directory /nonexistent/dir: open /nonexistent/dir: no such file or directory"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := NewProcess(tc.cfg)
			_, err := p.MapModule(assemble(t, "\n_start:\thalt"), "t.img", "t.img", 0)
			assert.EqualError(t, err, tc.want)
			p.Start(0x10000)
			_, err = p.Call(0x10000)
			assert.EqualError(t, err, tc.want)
			_, err = p.Run()
			assert.EqualError(t, err, tc.want)
		})
	}
}

func TestRunWithoutStart(t *testing.T) {
	p := NewProcess(Config{})
	_, err := p.MapModule(assemble(t, "\n_start:\thalt"), "t.img", "t.img", 0)
	require.NoError(t, err)
	_, err = p.Run()
	assert.EqualError(t, err, "vm: process has not been started")
	p.Start(0x10000)
	_, err = p.Run()
	require.NoError(t, err)
	_, err = p.MapModule(sharedModule(t, greetLib, "greet"), "libt.vso", "libt.vso", libBase)
	assert.EqualError(t, err, "vm: the process has finished")
}

func TestHostMemoryAccess(t *testing.T) {
	p, err := Load(assemble(t, `
_start:	halt
	.rodata
s:	.asciz "hello"
t:	.ascii "tail"
	.data
d:	.quad 0x1122334455667788`), "t.img", Config{})
	require.NoError(t, err)
	v, err := p.Read64(0x12000)
	require.NoError(t, err)
	assert.Equal(t, uint64(0x1122334455667788), v)
	require.NoError(t, p.Write64(0x12000, 5))
	v, err = p.Read64(0x12000)
	require.NoError(t, err)
	assert.Equal(t, uint64(5), v)
	s, err := p.ReadString(0x11000, 5)
	require.NoError(t, err)
	assert.Equal(t, "hello", s)
	sp := p.regs[31]
	for _, tc := range []struct {
		name string
		f    func() error
		want string
	}{
		{"read null", func() error { _, err := p.Read64(8); return err }, "null pointer read at 0x8"},
		{"read unmapped", func() error { _, err := p.Read64(0x40000000); return err }, "memory fault: read at 0x40000000 (unmapped)"},
		{"read past the end", func() error { _, err := p.Read64(0x12004); return err },
			"memory fault: 8-byte read at 0x12004 runs past the end of section .data"},
		{"write code", func() error { return p.Write64(0x10000, 1) }, "write to read-only memory at 0x10000 (section .text)"},
		{"write below the stack", func() error { return p.Write64(StackTop-DefaultStackSize-8, 1) },
			"stack overflow: write at 0x7feffff8, below the stack at 0x7ff00000"},
		{"string too long", func() error { _, err := p.ReadString(0x11000, 4); return err }, "string at 0x11000 is longer than 4 bytes"},
		{"string without NUL", func() error { _, err := p.ReadString(0x11006, 100); return err },
			"string at 0x11006 runs past the end of section .rodata"},
		{"string unmapped", func() error { _, err := p.ReadString(0x9000, 100); return err }, "null pointer read at 0x9000"},
	} {
		assert.EqualError(t, tc.f(), tc.want, tc.name)
	}
	assert.Equal(t, sp, p.regs[31])
}
