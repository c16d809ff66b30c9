// Package dbg is vmdbg, linkvm's debugger: a session loads a program
// like vmrun does, stops it before its first instruction, and runs gdb-like
// commands (break, run, step, next, finish, x, print, backtrace, list,
// info sharedlibrary, watch, ...) on it. docs/debugging.md describes the
// commands.
//
// The program runs in its own goroutine (a vm.Host process, so that it
// may spawn others, which run undebugged), with a vm.Monitor that is
// called between its instructions. The monitor decides whether the
// program stops there (a breakpoint, a watchpoint whose value changed, the
// end of a step); when it does, it flushes the program's output, hands the
// stop to the session's goroutine and waits for the next command that
// resumes the program. So the session reads the process only while it is
// paused, and program output and debugger output come out in order.
package dbg

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"

	"linkvm/dynld"
	"linkvm/internal/runopts"
	"linkvm/vm"
)

// Config is what a debugging session needs besides its commands.
type Config struct {
	// Path is the executable image.
	Path string
	// Args are the program's arguments after argv[0] (which is Path);
	// `run ARGS` replaces them.
	Args []string
	// VM configures the program's process: directories, stack size, step
	// limit and its standard streams (Stdin is replaced by `run < FILE`).
	// Args is ignored.
	VM vm.Config
	// Loader configures the dynamic loader for dynamic images;
	// DefaultLibDirs, if empty, comes from LibDirs.
	Loader dynld.Config
	// LibDirs returns the installation's default library directories
	// (install.LibDirs); nil means none. It is called at every load of a
	// dynamic image and so should cache, as install.LibDirs does.
	LibDirs func() []string
	// Out receives the debugger's output.
	Out io.Writer
	// Err receives the debugger's error messages; nil means Out.
	Err io.Writer
	// MaxProcs limits the processes the program may run at once (the
	// debugged one and those it spawns); 0 means no limit.
	MaxProcs int
}

// Session is one debugging session of one program. It is used by one
// goroutine (Interrupt excepted).
type Session struct {
	cfg  Config
	out  io.Writer
	errw io.Writer
	args []string // the program's arguments after argv[0]
	// stdinFile is the file `run < FILE` gave the program as its standard
	// input, "" for Config.VM.Stdin.
	stdinFile string

	state  state
	proc   *vm.Process // the program's process; nil in stateNone
	mon    *monitor
	ended  chan ended // the end of proc's Run
	result ended      // how proc ended, in stateExited and stateTrapped
	syms   *symtab    // the modules of proc, or of the last process

	bps    []*breakpoint // breakpoints and watchpoints, by number
	nextBP int
	bpAt   map[uint64][]*breakpoint // the resolved breakpoints by address

	last    *location // where the program last stopped, nil if nowhere
	list    listState
	lastX   xState
	sources map[string]*sourceFile // the source files read (or not)

	interrupt atomic.Bool
	failed    int // commands that failed
}

// state is where the program is in its life.
type state int

const (
	stateNone    state = iota // no process: killed, or a restart failed to load
	stateLoaded               // loaded, held before its first instruction until run
	stateStopped              // stopped by a breakpoint, a watchpoint or a step
	stateExited               // exited; nothing left to look at
	stateTrapped              // trapped: memory, registers and stack stay readable
)

// ended is how a process's Run ended.
type ended struct {
	status int
	err    error
}

// errKilled ends a process the debugger kills (kill, run again, quit).
var errKilled = errors.New("killed by the debugger")

// New starts a session: it loads the program, held before its first
// instruction (as after gdb's `starti`), so that breakpoints can be set in
// it and in the shared modules it loads. The error is the loader's.
func New(cfg Config) (*Session, error) {
	s := &Session{cfg: cfg, out: cfg.Out, errw: cfg.Err, args: cfg.Args, nextBP: 1,
		sources: map[string]*sourceFile{}}
	if s.out == nil {
		s.out = io.Discard
	}
	if s.errw == nil {
		s.errw = s.out
	}
	if s.cfg.LibDirs == nil {
		// runopts.Load calls it for every dynamic image.
		s.cfg.LibDirs = func() []string { return nil }
	}
	if err := s.start(); err != nil {
		return nil, err
	}
	return s, nil
}

// Interrupt stops the running program at the monitor's next look, as
// Ctrl-C does in gdb: with no breakpoint, watchpoint or step that needs
// every instruction, the monitor looks only every 65536 instructions
// (coarseSteps), and a program blocked in a system call stops when the
// call returns. It may be called from any goroutine.
func (s *Session) Interrupt() { s.interrupt.Store(true) }

// Failed returns how many commands have failed so far.
func (s *Session) Failed() int { return s.failed }

// Close kills the program if it is still alive.
func (s *Session) Close() { s.kill() }

// start loads the program into a new process, which the monitor holds
// before its first instruction: the first init function's, when a module
// loaded with the program has one (the loader runs them before Load
// returns), else the entry point's. So breakpoints set before run stop
// in init functions too.
func (s *Session) start() error {
	cfg := s.cfg.VM
	argv := append([]string{s.cfg.Path}, s.args...)
	var stdin *os.File
	if s.stdinFile != "" {
		f, err := os.Open(s.stdinFile)
		if err != nil {
			return err
		}
		stdin = f
		cfg.Stdin = f
	}
	mon := newMonitor(s)
	// The first process the host creates is the program; the monitor
	// goes on before it runs anything. Processes it spawns run without.
	created := make(chan *vm.Process, 1)
	var once sync.Once
	// Each process, the program and those it spawns, loads as vmrun's do.
	host := vm.NewHost(func(path string, argv []string, cfg vm.Config) (*vm.Process, error) {
		return runopts.Load(path, cfg, s.cfg.Loader, s.cfg.LibDirs)
	})
	host.OnCreate = func(p *vm.Process) {
		once.Do(func() {
			p.SetMonitor(mon, 0)
			created <- p
		})
	}
	host.ReportPrefix = "vmdbg: "
	host.MaxProcs = s.cfg.MaxProcs
	// Spawn returns only once the init functions have run, and they may
	// stop at the monitor first: spawn and wait in a goroutine. A load
	// that fails ends it with the error and no status.
	done := make(chan ended, 1)
	go func() {
		pid, err := host.Spawn(s.cfg.Path, argv, cfg)
		if err == nil {
			var status int
			status, err = host.Wait(pid)
			done <- ended{status, err}
		} else {
			done <- ended{err: loadError{err}}
		}
		if stdin != nil {
			stdin.Close()
		}
	}()
	var first *vm.Process
	select {
	case <-mon.stops:
		first = <-created
		s.state = stateLoaded
	case e := <-done:
		if le, ok := e.err.(loadError); ok {
			return le.err
		}
		// It ended before its first instruction could be held: cannot
		// happen with the monitor on, but is reported as an end.
		select {
		case first = <-created:
		default:
			return e.err
		}
		s.finished(e)
	}
	s.proc, s.mon, s.ended = first, mon, done
	s.syms = newSymtab(first.Modules())
	s.resolveAll()
	s.last = nil
	s.list = listState{}
	return nil
}

// loadError is the end of a program whose loading failed: Spawn's error.
type loadError struct{ err error }

func (e loadError) Error() string { return e.err.Error() }

// resume lets the held or stopped program run under cmd and waits until
// it stops again or ends, then reports that.
func (s *Session) resume(cmd resumeCmd) {
	s.interrupt.Store(false)
	s.mon.resume <- cmd
	s.wait()
}

// wait waits for the program to stop or end and reports it.
func (s *Session) wait() {
	select {
	case st := <-s.mon.stops:
		s.state = stateStopped
		s.refreshSymbols()
		s.reportStop(st)
	case e := <-s.ended:
		s.finished(e)
		s.reportEnd()
	}
}

// finished records how the process ended.
func (s *Session) finished(e ended) {
	s.result = e
	var trap *vm.Trap
	if errors.As(e.err, &trap) {
		s.state = stateTrapped
		s.refreshSymbols()
		return
	}
	s.state = stateExited
}

// kill ends the program if it is there (held, stopped, or trapped and
// kept for inspection), and waits for its end. It reports whether there
// was one.
func (s *Session) kill() bool {
	switch s.state {
	case stateLoaded, stateStopped:
		s.mon.resume <- resumeCmd{kill: true}
		<-s.ended
	case stateNone, stateExited:
		return false
	}
	s.state = stateNone
	s.proc = nil
	s.last = nil
	return true
}

// refreshSymbols rebuilds the symbol table if the process's modules
// changed (dlopen, dlclose) and resolves the breakpoints again; it
// returns those that were pending and now have an address.
func (s *Session) refreshSymbols() []*breakpoint {
	mods := s.proc.Modules()
	if s.syms.same(mods) {
		return nil
	}
	s.syms = newSymtab(mods)
	return s.resolveAll()
}

// alive returns the process if it can be inspected: loaded, stopped or
// trapped.
func (s *Session) alive() (*vm.Process, error) {
	switch s.state {
	case stateLoaded, stateStopped, stateTrapped:
		return s.proc, nil
	case stateExited:
		return nil, errors.New("the program has exited; run starts it again")
	}
	return nil, errors.New("the program is not being run; run starts it")
}

// running returns the process if it is stopped and can be resumed.
func (s *Session) running() (*vm.Process, error) {
	switch s.state {
	case stateStopped:
		return s.proc, nil
	case stateLoaded:
		return nil, errors.New("the program is not being run yet; run starts it")
	case stateTrapped:
		return nil, errors.New("the program has trapped and cannot go on; run starts it again")
	}
	_, err := s.alive()
	return nil, err
}

// printf writes debugger output.
func (s *Session) printf(format string, a ...any) {
	fmt.Fprintf(s.out, format, a...)
}

// imageDir is the directory of the image, where source files named
// relative to it are looked for.
func (s *Session) imageDir() string { return filepath.Dir(s.cfg.Path) }

// argsString is the program's command line as `run` shows it.
func (s *Session) argsString() string {
	parts := append([]string{s.cfg.Path}, s.args...)
	line := strings.Join(parts, " ")
	if s.stdinFile != "" {
		line += " < " + s.stdinFile
	}
	return line
}
