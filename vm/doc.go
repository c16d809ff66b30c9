// Package vm runs linkvm executable images: it loads an image into a
// process's address space, interprets its instructions, implements the
// system calls of docs/syscalls.md and turns every fault into a *Trap.
//
// The design follows wazero's split between loading and running. Load
// checks the image once, maps its sections and builds the initial stack;
// Run executes until the program exits, halts or traps. Inside the
// interpreter a fault is a sentinel error (ErrNullPointer, ErrMemoryFault,
// ...) wrapped in a *Trap; Run is the one boundary where the trap gets its
// backtrace and source positions and where buffered output is flushed.
//
// A process's memory is a sorted table of segments {base, end, data,
// perms}. Read-only segments (code, read-only data) use the image's section
// bytes in place, so several processes made from one image share them;
// writable segments (data, bss, heap, stack) are private copies. Nothing in
// the interpreter assumes a single code segment: when pc leaves the current
// one, instruction fetch looks the new pc up in the table, which is how
// shared modules mapped by a later dynamic loader will be reached.
//
// Processes are independent: there is no package-level mutable state, and
// each process may run on its own goroutine (one goroutine per process).
package vm
