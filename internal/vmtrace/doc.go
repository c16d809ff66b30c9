// Package vmtrace watches linkvm processes run, for vmrun's teaching
// tools (docs/debugging.md): Tracer writes a line per instruction
// executed (vmrun --trace), CallTracer one per call, return and lazy
// binding (--trace=calls), and Counter counts the instructions executed
// per function and the peak memory (--count). Each is a vm.Monitor for
// one process; Combine runs several on the same process. They name code
// addresses as Process.Frame does (names.go), like the profiler (package
// vmprof) and the debugger.
//
// They read the process only through its pause points (vm.Monitor), so a
// program run without them costs nothing more.
package vmtrace
