package vm

import (
	"errors"
	"fmt"
	"strings"
)

// Trap kinds. A *Trap's Kind is one of these, so callers test a trap with
// errors.Is(err, vm.ErrDivideByZero) and the like.
var (
	// ErrNullPointer: a load or store touched the null area, the
	// addresses below 0x10000 that are never mapped.
	ErrNullPointer = errors.New("null pointer access")
	// ErrMemoryFault: a load or store touched an unmapped address (or ran
	// past the end of a section, the heap's break or the stack's top).
	ErrMemoryFault = errors.New("memory fault")
	// ErrWriteProtect: a store into a section that is not writable, such as
	// the code (.text) or read-only data (.rodata).
	ErrWriteProtect = errors.New("write to read-only memory")
	// ErrBadJump: control went to an address that does not hold
	// instructions: the null area (a "jump to null", for instance returning
	// from _start with lr = 0), a non-executable or unmapped address, a
	// misaligned one, or the end of an executable section.
	ErrBadJump = errors.New("bad jump")
	// ErrStackOverflow: a load or store just below the stack (in the stack
	// guard area), which is what running out of stack looks like.
	ErrStackOverflow = errors.New("stack overflow")
	// ErrIllegalInstruction: the opcode is not defined (>= isa.NumOps), or
	// a two-word li64 is cut off by the end of its section.
	ErrIllegalInstruction = errors.New("illegal instruction")
	// ErrDivideByZero: divs, divu, rems or remu with a zero divisor.
	ErrDivideByZero = errors.New("division by zero")
	// ErrBadSyscall: `sys N` with a number that is not a system call.
	ErrBadSyscall = errors.New("bad system call")
	// ErrUserTrap: the program executed `trap N`; Trap.Code is N.
	ErrUserTrap = errors.New("user trap")
	// ErrUnresolvedSymbol: lazy binding (sys 14, from a PLT stub) failed:
	// the dynamic linker could not resolve the called symbol (the message
	// names the symbol and the module), or the process has no dynamic
	// linker.
	ErrUnresolvedSymbol = errors.New("unresolved symbol")
	// ErrStepLimit: the process executed Config.MaxSteps instructions
	// without exiting; PC is the next instruction it would have run.
	ErrStepLimit = errors.New("step limit exceeded")
	// ErrInterrupted: the host stopped the process with Interrupt (vmrun
	// does on SIGINT); PC is the next instruction it would have run.
	ErrInterrupted = errors.New("interrupted")
)

// Trap is the error Run returns when the program traps. It says what went
// wrong (Kind, Msg), where (PC and Frames) and, for memory faults, which
// address (Addr).
type Trap struct {
	// Kind is the trap's sentinel error, such as ErrMemoryFault.
	Kind error
	// Msg describes this trap in one line, e.g. "write to read-only memory
	// at 0x10008 (section .text)".
	Msg string
	// PC is the address of the instruction that trapped. For a bad jump it
	// is the instruction that transferred control (the jump, call or ret, or
	// the last instruction before the end of a section).
	PC uint64
	// Addr is the faulting data address for memory traps and the target
	// for bad jumps; 0 otherwise.
	Addr uint64
	// Code is the user trap's code, the bad system call's number or the
	// illegal opcode; 0 otherwise.
	Code int64
	// Frames is the backtrace, innermost first: Frames[0] is PC, the others
	// are call sites. Filled in by Run.
	Frames []Frame
}

// Frame is one entry of a trap's backtrace.
type Frame struct {
	// PC is the instruction's address: the trapping one for frame 0, the
	// call instruction (or the `sys` that called back into the guest) for
	// the others.
	PC uint64
	// Module is the name of the shared module containing PC; "" in the
	// executable (and outside any module).
	Module string
	// Func is the name of the function (symbol) containing PC, "" if none.
	Func string
	// Off is PC's offset from the start of Func, or from the module's base
	// when Func is "" and Module is not.
	Off uint64
	// File is the source file of PC from the image's line table, "" if
	// unknown.
	File string
	// Line is the 1-based source line of PC, 0 if unknown.
	Line uint32
}

// Error returns the trap's message and location in one line, such as
// "trap: division by zero at main+0x18 (prog.s:12)".
func (t *Trap) Error() string {
	s := "trap: " + t.Msg
	if len(t.Frames) > 0 {
		s += " at " + t.Frames[0].Location()
	} else {
		s += fmt.Sprintf(" at %#x", t.PC)
	}
	return s
}

// Unwrap returns the trap's Kind, so errors.Is matches the sentinels.
func (t *Trap) Unwrap() error { return t.Kind }

// Location returns "func+0xOFF (file:line)", with "module:" in front in a
// shared module ("libgreet.vso:greet+0x10 (greet.s:5)"), leaving out the
// parts that are unknown; with no symbol it is the address in hex, or
// "module+0xOFF" in a shared module.
func (f Frame) Location() string {
	s := f.Symbol()
	if f.File != "" {
		s += fmt.Sprintf(" (%s:%d)", f.File, f.Line)
	}
	return s
}

// Symbol returns where the frame is without its source line: Location's
// "[module:]func+0xOFF", "module+0xOFF", or the address in hex.
func (f Frame) Symbol() string {
	if s := f.symbolic(); s != "" {
		return s
	}
	return fmt.Sprintf("%#x", f.PC)
}

// symbolic returns "func+0xOFF", "module:func+0xOFF" or "module+0xOFF",
// or "" if the frame has neither function nor module.
func (f Frame) symbolic() string {
	switch {
	case f.Func != "" && f.Module != "":
		return fmt.Sprintf("%s:%s+%#x", f.Module, f.Func, f.Off)
	case f.Func != "":
		return fmt.Sprintf("%s+%#x", f.Func, f.Off)
	case f.Module != "":
		return fmt.Sprintf("%s+%#x", f.Module, f.Off)
	}
	return ""
}

// Report returns the multi-line trap report vmrun prints (after its
// "vmrun: " prefix):
//
//	trap: write to read-only memory at 0x10008 (section .text)
//	  at poke+0x10 (selfmod.s:9)
//	backtrace:
//	  #0 0x10040 poke+0x10 (selfmod.s:9)
//	  #1 0x10018 _start+0x18 (selfmod.s:4)
func (t *Trap) Report() string {
	var b strings.Builder
	b.WriteString("trap: " + t.Msg + "\n")
	if len(t.Frames) == 0 {
		fmt.Fprintf(&b, "  at %#x\n", t.PC)
		return b.String()
	}
	b.WriteString("  at " + t.Frames[0].Location() + "\n")
	b.WriteString("backtrace:\n")
	for i, f := range t.Frames {
		fmt.Fprintf(&b, "  #%d %#x", i, f.PC)
		if s := f.symbolic(); s != "" {
			b.WriteString(" " + s)
		}
		if f.File != "" {
			fmt.Fprintf(&b, " (%s:%d)", f.File, f.Line)
		}
		b.WriteString("\n")
	}
	return b.String()
}
