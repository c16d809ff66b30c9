// Package dynld is linkvm's dynamic loader: it loads an executable image
// linked against shared modules (.vso) into a VM process together with the
// modules it needs, relocates their writable data, binds calls lazily (or
// at once with BindNow) and implements dlopen, dlsym and dlclose. The rules
// it follows (search order, symbol scope, binding, versions, VM_*
// environment variables, VM_DEBUG output) are in docs/dynld.md.
//
// The package is organised like a small ld.so:
//
//   - config.go: Config and the VM_* environment variables.
//   - module.go: a loaded module, load addresses, local scope.
//   - cache.go: the host's cache of parsed modules, shared by processes.
//   - search.go: where a needed module is looked for, and version checks.
//   - graph.go: loading the dependency graph breadth-first; init order.
//   - scope.go: the global and local symbol scopes and symbol lookup.
//   - relocate.go: applying dynamic relocations at load time.
//   - bind.go: the vm.DynamicLinker, lazy binding of PLT calls.
//   - dlopen.go: dlopen, dlsym and dlclose with reference counts.
//   - debug.go: VM_DEBUG output, modelled on glibc's LD_DEBUG.
//   - load.go: Load, which puts it all together for a new process.
//   - tree.go: Tree, the dependency tree without a process (vmldd).
//
// A shared module's code and read-only data are never written: the loader
// patches only writable sections, through vm.Process.Write64.
package dynld
