// Package vm runs linkvm programs: it maps an executable image and any
// shared modules into a process's address space, interprets their
// instructions, implements the system calls of docs/syscalls.md and turns
// every fault into a *Trap.
//
// The design follows wazero's split between loading and running. Load (the
// static path) checks an image once, maps its sections and builds the
// initial stack; a dynamic loader does the same in steps: NewProcess,
// MapModule for the executable and each shared module, Start. Run executes
// until the program exits, halts or traps. Inside the interpreter a fault
// is a sentinel error (ErrNullPointer, ErrMemoryFault, ...) wrapped in a
// *Trap; Run (or Call) is the boundary where the trap gets its backtrace
// and source positions, and Run is where buffered output is flushed.
//
// A process's memory is a sorted table of segments {base, end, data,
// perms}. Read-only segments (code, read-only data) use the module's
// section bytes in place, so all processes mapping one objfmt.File share
// them; writable segments (data, bss, heap, stack) are private copies.
// The interpreter runs each code segment's decoded form (decode.go): the
// segment's words decoded once, with superinstructions for frequent pairs,
// shared by every process mapping a read-only section. Its hot loop (run,
// exec.go) calls no function; when pc leaves the current segment (a call
// into another module or the return) it looks the new pc up in the table
// of code segments, and anything rare (a system call, a load or store
// outside the cached segments, a trap) returns to exec (exec_slow.go). A
// call through the PLT into another module runs the callee from that
// segment's lazy form (decoded.lazy), with the caller's segment still
// current, until the callee reads its own segment or returns.
//
// The dynamic loader plugs in through DynamicLinker (SetLinker): the
// system calls dlopen, dlsym, dlclose and bind (lazy PLT binding) call
// it, and it may map modules, patch writable memory (Write64) and run
// guest functions such as init functions with Call, which re-enters the
// interpreter while the program is suspended in the system call.
//
// Nothing a program does may exhaust the host (limits.go): the memory a
// process owns alone (its private segments) is bounded by
// Config.MaxMemory, checked before anything is allocated, its fds by
// Config.MaxFiles and its instructions by Config.MaxSteps; a Host bounds
// its processes (MaxProcs) and can Interrupt them all, even those blocked
// in a system call. Files are opened only under granted directories,
// through os.Root (files.go).
//
// Processes are independent: the only package-level mutable state is the
// counter numbering processes (ID) and the cache that shares decoded code
// (decode.go, behind a mutex), and each process may run on its own
// goroutine (one goroutine per process).
package vm
