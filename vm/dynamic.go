package vm

import (
	"fmt"
	"strings"

	"linkvm/vm/isa"
)

// System calls of the dynamic loader (`sys N`), implemented by calling
// the process's DynamicLinker.
const (
	SysDlopen  = 10 // dlopen(path, flags) -> handle > 0, or 0
	SysDlsym   = 11 // dlsym(handle, name) -> address, or 0
	SysDlclose = 12 // dlclose(handle) -> 0, or -1
	SysDlerror = 13 // dlerror(buf, len) -> length of the last dl error, 0 if none
	SysBind    = 14 // bind: used by PLT0 (ip = JUMP_SLOT index); continues at the target
)

// dlopen flags.
const (
	RTLDLazy   = 1     // bind functions on their first call
	RTLDNow    = 2     // bind everything before dlopen returns
	RTLDGlobal = 0x100 // add the module's symbols to the global scope
	RTLDLocal  = 0     // keep them out of it (the default)
)

// errStatic is the dl error without a linker.
const errStatic = "dynamic loading is not available: the image is statically linked"

// DynamicLinker is what a process calls for the dynamic-loading system
// calls and at exit; package dynld implements it. Its methods run on the
// process's goroutine while the program is suspended in the system call,
// and may use the process's host API (MapModule, Read64, Write64, Call,
// Debugf, ...).
type DynamicLinker interface {
	// Bind resolves the JUMP_SLOT Dynamic.Relocs[index] of m (sys 14,
	// reached from m's PLT0), writes its GOT slot and returns the target.
	// An error becomes a trap ErrUnresolvedSymbol with the error's message,
	// which should name the symbol and the module.
	Bind(p *Process, m *Module, index uint64) (target uint64, err error)
	// Open loads the module name (dlopen) with the RTLD flags and returns
	// a handle > 0. An error's message is what dlerror then returns.
	Open(p *Process, name string, flags uint64) (handle uint64, err error)
	// Sym returns the address of the symbol name in the module of handle
	// and its dependencies, or in the global scope for handle 0 (dlsym).
	Sym(p *Process, handle uint64, name string) (uint64, error)
	// Close drops a reference to the module of handle (dlclose).
	Close(p *Process, handle uint64) error
	// Exit is called by Run when the program exits normally (exit or
	// halt), before the output is flushed: it runs the fini functions.
	Exit(p *Process)
}

// SetLinker sets the process's dynamic linker; nil (the default) means a
// static process, in which dlopen fails and sys 14 traps.
func (p *Process) SetLinker(l DynamicLinker) { p.linker = l }

// dlError records msg as the last dl error.
func (p *Process) dlError(msg string) { p.dlerr = msg }

// dlSyscall performs the dynamic-loading system call num (10..14) for
// the `sys` at pc. It returns the value for r0 and whether to set it, or
// the error that stops the process (a trap, or errExit when the program
// exited in a Call made by the linker).
func (p *Process) dlSyscall(pc uint64, num int64) (res int64, set bool, err error) {
	r := &p.regs
	if num == SysDlerror {
		return p.sysDlerror(r[0], r[1]), true, nil
	}
	if p.linker == nil {
		if num == SysBind {
			return 0, false, &Trap{Kind: ErrUnresolvedSymbol, PC: pc,
				Msg: "unresolved symbol: lazy binding (sys 14) is not available: the image is statically linked"}
		}
		p.dlError(errStatic)
		if num == SysDlclose {
			return -1, true, nil
		}
		return 0, true, nil
	}
	exits := p.exits
	switch num {
	case SysDlopen:
		name, errno := p.guestString(r[0])
		if errno != 0 {
			p.dlError(fmt.Sprintf("dlopen: cannot read the module name at %#x", r[0]))
			return 0, true, nil
		}
		if strings.Contains(name, "/") {
			if err := p.checkLoadPath(name); err != nil {
				p.dlError("dlopen " + err.Error())
				return 0, true, nil
			}
		}
		h, lerr := p.linker.Open(p, name, r[1])
		if e := p.stopped(exits); e != nil {
			return 0, false, e
		}
		switch {
		case lerr != nil:
			p.dlError(lerr.Error())
			return 0, true, nil
		case h == 0:
			p.dlError("dlopen " + name + ": no handle")
			return 0, true, nil
		}
		return int64(h), true, nil
	case SysDlsym:
		name, errno := p.guestString(r[1])
		if errno != 0 {
			p.dlError(fmt.Sprintf("dlsym: cannot read the symbol name at %#x", r[1]))
			return 0, true, nil
		}
		addr, lerr := p.linker.Sym(p, r[0], name)
		if e := p.stopped(exits); e != nil {
			return 0, false, e
		}
		if lerr != nil {
			p.dlError(lerr.Error())
			return 0, true, nil
		}
		return int64(addr), true, nil
	case SysDlclose:
		lerr := p.linker.Close(p, r[0])
		if e := p.stopped(exits); e != nil {
			return 0, false, e
		}
		if lerr != nil {
			p.dlError(lerr.Error())
			return -1, true, nil
		}
		return 0, true, nil
	}
	// SysBind.
	m := p.ModuleAt(pc)
	if m == nil {
		return 0, false, &Trap{Kind: ErrUnresolvedSymbol, PC: pc,
			Msg: fmt.Sprintf("unresolved symbol: sys 14 (bind) at %#x is not in a module", pc)}
	}
	target, lerr := p.linker.Bind(p, m, r[isa.RegIP])
	if e := p.stopped(exits); e != nil {
		return 0, false, e
	}
	if lerr != nil {
		return 0, false, &Trap{Kind: ErrUnresolvedSymbol, PC: pc, Msg: lerr.Error()}
	}
	p.pc = target
	return 0, false, nil
}

// sysDlerror implements dlerror(buf, n): it copies the last dl error,
// truncated to n-1 bytes and NUL-terminated, to buf, clears it and returns
// its whole length. With n = 0 it only returns the length (and keeps the
// message); a buffer that is not writable memory gives -EFAULT.
func (p *Process) sysDlerror(buf, n uint64) int64 {
	msg := p.dlerr
	if msg == "" || n == 0 {
		return int64(len(msg))
	}
	m := min(n-1, uint64(len(msg)))
	b, ok := p.guestBytes(buf, m+1, permW)
	if !ok {
		return -EFAULT
	}
	copy(b, msg[:m])
	b[m] = 0
	p.dlerr = ""
	return int64(len(msg))
}
