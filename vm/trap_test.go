package vm

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"linkvm/objfmt"
)

// Line numbers in these programs count from the line after the opening
// backquote (line 1 is empty). .text starts at 0x10000, .rodata, .data and
// .bss follow on page boundaries.

func TestTrapReports(t *testing.T) {
	for _, tc := range []struct {
		name   string
		src    string
		kind   error
		report string
	}{
		{"write to own code", `
_start:	call poke
	li r0, 0
	sys 0
poke:	enter 16
	la r1, _start
	st64 r0, [r1 + 8]
	leave
	ret`, ErrWriteProtect, `trap: write to read-only memory at 0x10008 (section .text)
  at poke+0x10 (t.s:7)
backtrace:
  #0 0x10028 poke+0x10 (t.s:7)
  #1 0x10000 _start+0x0 (t.s:2)
`},
		{"write to rodata from a leaf", `
_start:	enter 0
	nop
	call leaf
	halt
leaf:	la r1, k
	st8 r0, [r1 + 3]
	ret
	.rodata
k:	.quad 0`, ErrWriteProtect, `trap: write to read-only memory at 0x11003 (section .rodata)
  at leaf+0x8 (t.s:7)
backtrace:
  #0 0x10028 leaf+0x8 (t.s:7)
  #1 0x10010 _start+0x10 (t.s:4)
`},
		{"null pointer read", `
_start:	li r1, 0
	ld64 r0, [r1 + 8]
	halt`, ErrNullPointer, `trap: null pointer read at 0x8
  at _start+0x8 (t.s:3)
backtrace:
  #0 0x10008 _start+0x8 (t.s:3)
`},
		{"null pointer write", `
_start:	li r1, 0
	st32 r0, [r1 + 0xfffc]
	halt`, ErrNullPointer, `trap: null pointer write at 0xfffc
  at _start+0x8 (t.s:3)
backtrace:
  #0 0x10008 _start+0x8 (t.s:3)
`},
		{"unmapped", `
_start:	li64 r1, 0x40000000
	ld8u r0, [r1]
	halt`, ErrMemoryFault, `trap: memory fault: read at 0x40000000 (unmapped)
  at _start+0x10 (t.s:3)
backtrace:
  #0 0x10010 _start+0x10 (t.s:3)
`},
		{"past the end of a section", `
_start:	la r1, v
	ld64 r0, [r1 + 4]
	halt
	.data
v:	.quad 1`, ErrMemoryFault, `trap: memory fault: 8-byte read at 0x11004 runs past the end of section .data
  at _start+0x8 (t.s:3)
backtrace:
  #0 0x10008 _start+0x8 (t.s:3)
`},
		{"write above the stack", `
_start:	li64 r1, 0x80000000
	st8 r0, [r1]
	halt`, ErrMemoryFault, `trap: memory fault: write at 0x80000000 (unmapped)
  at _start+0x10 (t.s:3)
backtrace:
  #0 0x10010 _start+0x10 (t.s:3)
`},
		{"divide by zero", `
_start:	li r1, 7
	li r2, 0
	call div
	halt
div:	divs r0, r1, r2
	ret`, ErrDivideByZero, `trap: division by zero
  at div+0x0 (t.s:6)
backtrace:
  #0 0x10020 div+0x0 (t.s:6)
  #1 0x10010 _start+0x10 (t.s:4)
`},
		{"remu by zero", `
_start:	remu r0, r1, r3
	halt`, ErrDivideByZero, `trap: division by zero
  at _start+0x0 (t.s:2)
backtrace:
  #0 0x10000 _start+0x0 (t.s:2)
`},
		{"user trap", `
_start:	trap -7`, ErrUserTrap, `trap: user trap -7
  at _start+0x0 (t.s:2)
backtrace:
  #0 0x10000 _start+0x0 (t.s:2)
`},
		{"bad syscall", `
_start:	nop
	sys 99`, ErrBadSyscall, `trap: bad system call 99
  at _start+0x8 (t.s:3)
backtrace:
  #0 0x10008 _start+0x8 (t.s:3)
`},
		{"illegal opcode", `
_start:	nop
	.quad 0xff`, ErrIllegalInstruction, `trap: illegal instruction: opcode 255 (word 0x00000000000000ff)
  at _start+0x8 (t.s:2)
backtrace:
  #0 0x10008 _start+0x8 (t.s:2)
`},
		{"li64 cut off", `
_start:	nop
	.quad 6`, ErrIllegalInstruction, `trap: illegal instruction: li64 cut off by the end of its section
  at _start+0x8 (t.s:2)
backtrace:
  #0 0x10008 _start+0x8 (t.s:2)
`},
		{"return from _start", `
_start:	li r0, 3
	ret`, ErrBadJump, `trap: jump to null address 0x0
  at _start+0x8 (t.s:3)
backtrace:
  #0 0x10008 _start+0x8 (t.s:3)
`},
		{"misaligned jump", `
_start:	la r1, f
	addi r1, r1, 4
	callr r1
	halt
f:	ret`, ErrBadJump, `trap: bad jump to 0x10024 (misaligned)
  at _start+0x10 (t.s:4)
backtrace:
  #0 0x10010 _start+0x10 (t.s:4)
`},
		{"jump into data", `
_start:	la r1, k
	jr r1
	.rodata
k:	.quad 0`, ErrBadJump, `trap: bad jump to 0x11000 (section .rodata is not executable)
  at _start+0x8 (t.s:3)
backtrace:
  #0 0x10008 _start+0x8 (t.s:3)
`},
		{"jump to unmapped", `
_start:	li64 r1, 0x7000000
	jr r1`, ErrBadJump, `trap: bad jump to 0x7000000 (unmapped)
  at _start+0x10 (t.s:3)
backtrace:
  #0 0x10010 _start+0x10 (t.s:3)
`},
		{"fall off the end of the code", `
_start:	nop
	nop`, ErrBadJump, `trap: bad jump to 0x10010 (ran off the end of section .text)
  at _start+0x8 (t.s:3)
backtrace:
  #0 0x10008 _start+0x8 (t.s:3)
`},
		{"nested frames", `
_start:	li r0, 5
	call a
	halt
a:	enter 16
	call b
	leave
	ret
b:	li r1, 2
	blt r0, r1, .skip
	enter 0
	call c
	leave
.skip:	ret
c:	trap 1`, ErrUserTrap, `trap: user trap 1
  at c+0x0 (t.s:15)
backtrace:
  #0 0x10068 c+0x0 (t.s:15)
  #1 0x10050 b+0x18 (t.s:12)
  #2 0x10020 a+0x8 (t.s:6)
  #3 0x10008 _start+0x8 (t.s:3)
`},
		{"no FUNC symbol before pc", `
.helper:	enter 0
	nop
	trap 2
_start:	call .helper
	halt`, ErrUserTrap, `trap: user trap 2
  at .helper+0x10 (t.s:4)
backtrace:
  #0 0x10010 .helper+0x10 (t.s:4)
  #1 0x10018 _start+0x0 (t.s:5)
`},
		{"FUNC symbols win over other labels", `
_start:	call f
	halt
f:	enter 0
.inner:	nop
	trap 2`, ErrUserTrap, `trap: user trap 2
  at f+0x10 (t.s:6)
backtrace:
  #0 0x10020 f+0x10 (t.s:6)
  #1 0x10000 _start+0x0 (t.s:2)
`},
		{"leave then jr", `
_start:	call f
	halt
f:	enter 0
	leave
	jr r9`, ErrBadJump, `trap: jump to null address 0x0
  at f+0x10 (t.s:6)
backtrace:
  #0 0x10020 f+0x10 (t.s:6)
  #1 0x10000 _start+0x0 (t.s:2)
`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := runSrc(t, tc.src, Config{})
			require.Error(t, res.err)
			assert.ErrorIs(t, res.err, tc.kind)
			var trap *Trap
			require.True(t, errors.As(res.err, &trap))
			assert.Equal(t, tc.report, trap.Report())
		})
	}
}

func TestRunningOffTheEndTrapsAlikeWhenPaused(t *testing.T) {
	// Control that runs off the end of a section traps at its last
	// word, as a jump to nowhere traps at the jump, also when a pause
	// point (a monitor's step, the step limit) falls right after that
	// word: it used to trap at the address after it, as "unmapped".
	src := `
_start:	nop
	nop
	.data
data:	.zero 64`
	free := runEnd(t, src, Config{}, nil)
	assert.Equal(t, "trap: bad jump to 0x10010 (ran off the end of section .text) at _start+0x8 (t.s:3)", free.err)
	var m stepper
	assert.Equal(t, free, runEnd(t, src, Config{}, &m))
	assert.Equal(t, free, runEnd(t, src, Config{MaxSteps: free.steps}, nil))
}

func TestTrapError(t *testing.T) {
	res := runSrc(t, `
_start:	li r1, 0
	divu r0, r1, r1`, Config{})
	assert.EqualError(t, res.err, "trap: division by zero at _start+0x8 (t.s:3)")
	trap := res.err.(*Trap)
	assert.Equal(t, uint64(0x10008), trap.PC)
	assert.Equal(t, []Frame{{PC: 0x10008, Func: "_start", Off: 8, File: "t.s", Line: 3}}, trap.Frames)

	res = runSrc(t, `
_start:	trap 42`, Config{})
	trap = res.err.(*Trap)
	assert.Equal(t, int64(42), trap.Code)

	res = runSrc(t, `
_start:	li64 r1, 0x20000000
	ld64 r1, [r1 - 16]`, Config{})
	trap = res.err.(*Trap)
	assert.Equal(t, uint64(0x20000000-16), trap.Addr)
}

func TestTrapWithoutSymbolsOrLines(t *testing.T) {
	img := assemble(t, `
_start:	nop
	trap 3`)
	img.Symbols = nil
	img.Sections[0].Lines = nil
	res := runImg(t, img, Config{})
	trap := res.err.(*Trap)
	assert.Equal(t, "trap: user trap 3\n  at 0x10008\nbacktrace:\n  #0 0x10008\n", trap.Report())
	assert.EqualError(t, res.err, "trap: user trap 3 at 0x10008")
}

func TestStackOverflow(t *testing.T) {
	// 64 KiB of stack; sp starts at 0x7fffffe0 (below argv) and every frame
	// takes 32 bytes, so the 2048th enter stores lr at 0x7ffefff8, just
	// below the stack. The backtrace stops at 64 frames.
	res := runSrc(t, `
_start:	call f
	halt
f:	enter 16
	call f
	leave
	ret`, Config{StackSize: 64 << 10})
	require.ErrorIs(t, res.err, ErrStackOverflow)
	trap := res.err.(*Trap)
	var want strings.Builder
	want.WriteString("trap: stack overflow: write at 0x7ffefff8, below the stack at 0x7fff0000\n")
	want.WriteString("  at f+0x0 (t.s:4)\nbacktrace:\n  #0 0x10010 f+0x0 (t.s:4)\n")
	for i := 1; i < maxFrames; i++ {
		want.WriteString(fmt.Sprintf("  #%d 0x10018 f+0x8 (t.s:5)\n", i))
	}
	assert.Equal(t, want.String(), trap.Report())
	assert.Equal(t, uint64(0x7ffefff8), trap.Addr)
}

func TestStackOverflowFarBelow(t *testing.T) {
	// A huge frame: the store lands far below the guard, but sp is below the
	// stack too, so it still counts as a stack overflow.
	res := runSrc(t, `
_start:	enter 0x10000000
	st64 r0, [sp]`, Config{})
	assert.ErrorIs(t, res.err, ErrStackOverflow)
	assert.Equal(t, "trap: stack overflow: write at 0x6fffffd0, below the stack at 0x7ff00000 at _start+0x8 (t.s:3)", res.err.Error())
}

func TestOutputFlushedOnTrap(t *testing.T) {
	res := runSrc(t, `
_start:	li r0, 1
	la r1, msg
	li r2, 6
	sys 1
	li r0, 2
	la r1, msg
	li r2, 3
	sys 1
	trap 9
	.rodata
msg:	.ascii "hello\n"`, Config{})
	assert.ErrorIs(t, res.err, ErrUserTrap)
	assert.Equal(t, "hello\n", res.stdout)
	assert.Equal(t, "hel", res.stderr)
}

func TestTrapInAPLTStub(t *testing.T) {
	// A trap in a PLT stub is reported at the stub, named after the
	// function it calls as the tools name it, and the backtrace goes on
	// from the call through lr (a stub makes no frame), not from the
	// frame of the function before the stub, _start. The image's PLT is written
	// by hand, with the dynamic table vmld would give it; its GOT slot
	// holds an address with no code.
	exe := assemble(t, `
_start:	enter 0
	call .Lstub
	halt
.Lplt0:	sys 14
.Lstub:	ldpc ip, got_f
	jr ip
	li ip, 0
	jmp .Lplt0
	.data
got_f:	.quad 0x7000000`)
	const plt0, stub = 0x10018, 0x10020 // no symbols, as vmld makes them
	got := symbol(t, exe, "got_f")
	exe.Dynamic = &objfmt.Dynamic{PLTResolve: plt0,
		Symbols: []objfmt.DynSymbol{{Name: "f", Bind: objfmt.BindGlobal, Type: objfmt.SymFunc}},
		Relocs:  []objfmt.DynReloc{{Offset: got, Kind: objfmt.DynJumpSlot, Sym: 0, Addend: int64(stub + objfmt.PLTLazyOffset)}}}
	p := NewProcess(Config{})
	_, err := p.MapModule(exe, "t.img", "/bin/t.img", 0)
	require.NoError(t, err)
	p.Start(exe.Entry)
	_, err = p.Run()
	var trap *Trap
	require.True(t, errors.As(err, &trap), "%v", err)
	assert.Equal(t, `trap: bad jump to 0x7000000 (unmapped)
  at f@plt+0x8 (t.s:7)
backtrace:
  #0 0x10028 f@plt+0x8 (t.s:7)
  #1 0x10008 _start+0x8 (t.s:3)
`, trap.Report())
	assert.Equal(t, "PLT0", p.Frame(plt0).Func)
}
