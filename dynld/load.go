package dynld

import (
	"errors"
	"fmt"

	"linkvm/objfmt"
	"linkvm/vm"
)

// Load loads the executable at path with its preloads and the modules it
// needs into a new process and returns it ready to Run: the executable is
// mapped at 0, shared modules from FirstSharedBase in load order, dynamic
// relocations applied, the process's linker set, init functions run
// (dependencies first, the executable's last) and the process started at
// the entry point. If an init function traps or exits, the remaining ones
// do not run and Run returns that trap or exit status. Errors start with path; a module that cannot be found
// is a *NotFoundError listing every path tried, one of another major
// version an *IncompatibleError, an unresolved import an *UnresolvedError.
func Load(path string, vmcfg vm.Config, cfg Config) (*vm.Process, error) {
	p := vm.NewProcess(vmcfg)
	if err := load(p, path, cfg); err != nil {
		p.Close()
		var named namedError
		if errors.As(err, &named) {
			return nil, named.err
		}
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return p, nil
}

// load is Load's work on the new process p.
func load(p *vm.Process, path string, cfg Config) error {
	l := newLinker(cfg, p)
	img, err := l.cache.open(path)
	if err != nil {
		return err
	}
	if img.file.Type != objfmt.TypeExec {
		return fmt.Errorf("not an executable image (type %s)", img.file.Type)
	}
	exe, err := l.add(img, path, "", true)
	if err != nil {
		return namedError{err} // it starts with path already
	}
	l.exe = exe
	roots := []*module{exe}
	for _, name := range cfg.Preload {
		m, isNew, err := l.require(name, nil, "VM_PRELOAD")
		if err != nil {
			return err
		}
		if isNew {
			roots = append(roots, m)
		}
	}
	deps, err := l.loadDeps(roots)
	if err != nil {
		return err
	}
	all := append(roots, deps...)
	for _, m := range all {
		m.startup = true
	}
	l.addGlobal(all)
	for i := len(all) - 1; i >= 0; i-- {
		if err := l.relocate(all[i], cfg.BindNow); err != nil {
			return err
		}
	}
	p.SetLinker(l)
	// Preloads first (nothing may need them), then the executable, which
	// initOrder puts after all of its dependencies.
	initRoots := append([]*module(nil), roots[1:]...)
	if err := l.runInits(initOrder(append(initRoots, exe))); err != nil {
		var trap *vm.Trap
		var exit *vm.ExitError
		if !errors.As(err, &trap) && !errors.As(err, &exit) {
			return err
		}
		// The program trapped or exited in an init function: the process
		// is finished, and Run reports it as it would from main.
	}
	l.dbg.libs("")
	l.dbg.libs("transferring control: %s", exe.name)
	l.dbg.libs("")
	p.Start(img.file.Entry)
	return nil
}

// namedError is an error of load that already starts with the path.
type namedError struct{ err error }

func (e namedError) Error() string { return e.err.Error() }
