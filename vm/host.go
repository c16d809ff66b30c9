package vm

import (
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"sync"
	"time"
)

// Host runs many processes at once, one goroutine each, and serves the
// process system calls (spawn, wait, getpid) between them. Each process
// has its own registers, address space, heap, stack and file descriptors;
// what the host shares is its standard streams (every write to them is
// serialised) and the host files that pipes and spawn hand from one
// process to another (closed when the last process holding them lets go).
// Create it with NewHost (a zero Host works but has no loader and no
// report prefix).
type Host struct {
	// Load makes a process ready to Run from the image at path, with
	// argv as its arguments (cfg.Args is argv already): vmrun loads
	// static images with vm.Load and dynamic ones with dynld.Load. It is
	// set by the embedder before the first Spawn and not changed after.
	Load func(path string, argv []string, cfg Config) (*Process, error)
	// ReportPrefix starts the trap report the host writes to a spawned
	// child's standard error when the child traps ("vmrun: " by
	// default, as vmrun prints the report of its first process).
	ReportPrefix string
	// MaxProcs bounds the processes of the host: those running and
	// those that ended but that their parent has not waited for yet
	// (as Unix counts zombies). A spawn beyond it fails with -EAGAIN.
	// 0 means no limit. Set it before the first Spawn.
	MaxProcs int
	// OnCreate, if set, is called with each process the host creates,
	// its pid already set, before any of its instructions runs (the
	// init functions the loader calls included), after the Config's own
	// OnCreate: vmrun attaches --trace, --count and --profile there. Set
	// it before the first Spawn.
	OnCreate func(*Process)

	mu          sync.Mutex
	nextPID     int
	procs       map[int]*hostProc
	loading     int              // spawns between the limit check and the table
	refs        map[*os.File]int // host files shared by processes: holders
	wg          sync.WaitGroup   // the running processes
	stop        chan struct{}    // closed by Interrupt
	interrupted bool             // Interrupt was called

	outMu  sync.Mutex    // serialises writes to the host's output streams
	inTurn chan struct{} // serialises reads from its standard input (hostReader)
}

// hostProc is the host's record of one process.
type hostProc struct {
	pid    int
	parent int // 0 for a process started by the embedder
	proc   *Process
	cfg    Config // as given to Load: the streams the children inherit
	report bool   // write the trap report to the process's stderr
	done   chan struct{}
	status int   // Run's status, valid after done
	err    error // Run's error, valid after done
	waited bool
}

// NewHost returns a host whose processes are loaded by load (see
// Host.Load).
func NewHost(load func(path string, argv []string, cfg Config) (*Process, error)) *Host {
	return &Host{Load: load, ReportPrefix: "vmrun: ", procs: map[int]*hostProc{}, refs: map[*os.File]int{}, stop: make(chan struct{})}
}

// ErrTooManyProcesses is Spawn's error when the host has MaxProcs
// processes already (a spawn system call returns -EAGAIN).
var ErrTooManyProcesses = errors.New("too many processes")

// ErrHostInterrupted is Spawn's error, and a read of the host's standard
// input's, once the host has been interrupted (the system call returns
// -EINTR).
var ErrHostInterrupted = errors.New("the host has been interrupted")

// Spawn loads the image at path with arguments argv and the streams,
// directories and sizes of cfg (cfg.Args is replaced by argv), and runs
// it in a new goroutine as a process of the host; it returns the pid
// (1 for the first process of the host, then 2, 3, ...). Its standard
// streams are cfg's, shared with every process it spawns: writes to them
// are serialised by the host. The embedder collects the result with Wait.
func (h *Host) Spawn(path string, argv []string, cfg Config) (int, error) {
	cfg.Stdin = h.lockedReader(cfg.Stdin)
	cfg.Stdout = h.lockedWriter(cfg.Stdout)
	cfg.Stderr = h.lockedWriter(cfg.Stderr)
	return h.spawn(0, path, argv, cfg, false)
}

// spawn loads and starts a process whose parent is the process parent
// (0: the embedder). report says whether the host writes its trap report.
func (h *Host) spawn(parent int, path string, argv []string, cfg Config, report bool) (int, error) {
	if h.Load == nil {
		return 0, errors.New("vm: the host has no loader")
	}
	// Reserve the process's place first: a spawn-happy program is
	// refused before anything is loaded.
	h.mu.Lock()
	h.init()
	switch {
	case h.interrupted:
		h.mu.Unlock()
		return 0, fmt.Errorf("vm: %s: %w", path, ErrHostInterrupted)
	case h.MaxProcs > 0 && len(h.procs)+h.loading >= h.MaxProcs:
		h.mu.Unlock()
		return 0, fmt.Errorf("vm: %s: %w (the host's limit is %d)", path, ErrTooManyProcesses, h.MaxProcs)
	}
	h.loading++
	// The pid is the process's from its creation, so that what watches
	// it from OnCreate on (the loader runs init functions before Load
	// returns) sees its pid.
	h.nextPID++
	pid := h.nextPID
	h.mu.Unlock()
	cfg.Args = append([]string(nil), argv...)
	lcfg := cfg // the process keeps cfg, which its children inherit
	lcfg.OnCreate = func(p *Process) {
		p.id = pid
		if cfg.OnCreate != nil {
			cfg.OnCreate(p)
		}
		if h.OnCreate != nil {
			h.OnCreate(p)
		}
	}
	p, err := h.Load(path, cfg.Args, lcfg)
	h.mu.Lock()
	h.loading--
	if err != nil && h.nextPID == pid {
		h.nextPID-- // no process got it: the next one does
	}
	if err == nil && h.interrupted {
		err = fmt.Errorf("vm: %s: %w", path, ErrHostInterrupted)
		p.Close()
	}
	if err != nil {
		h.mu.Unlock()
		return 0, err
	}
	// A terminal behind the host's lock is still line-buffered.
	p.out.outLines, p.out.errLines = isTerminal(unwrap(cfg.Stdout)), isTerminal(unwrap(cfg.Stderr))
	hp := &hostProc{pid: pid, parent: parent, proc: p, cfg: cfg, report: report, done: make(chan struct{})}
	h.procs[hp.pid] = hp
	p.id = hp.pid
	p.files.host = h
	h.wg.Add(1)
	h.mu.Unlock()
	go h.run(hp)
	return hp.pid, nil
}

// run runs a process to its end, then releases its standard streams and
// removes it from the table if nobody will wait for it.
func (h *Host) run(hp *hostProc) {
	defer h.wg.Done()
	status, err := hp.proc.Run()
	var trap *Trap
	if hp.report && err != nil && hp.cfg.Stderr != nil {
		if errors.As(err, &trap) {
			fmt.Fprint(hp.cfg.Stderr, h.ReportPrefix+trap.Report())
		} else {
			fmt.Fprintf(hp.cfg.Stderr, "%s%v\n", h.ReportPrefix, err)
		}
	}
	h.releaseStream(hp.cfg.Stdin)
	h.releaseStream(hp.cfg.Stdout)
	h.releaseStream(hp.cfg.Stderr)
	h.mu.Lock()
	hp.status, hp.err = status, err
	// Its memory is not kept for a wait that may never come.
	hp.proc = nil
	for _, c := range h.procs { // orphans: nobody will wait for them
		if c.parent == hp.pid {
			c.parent = -1
			if isDone(c.done) {
				delete(h.procs, c.pid)
			}
		}
	}
	if hp.parent == -1 {
		delete(h.procs, hp.pid)
	}
	close(hp.done)
	h.mu.Unlock()
}

// isDone reports whether ch is closed.
func isDone(ch chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}

// Wait waits for the process pid started by the embedder with Spawn to
// end and returns what its Run returned: the status and, if it trapped,
// the *Trap (its report is the embedder's to print).
func (h *Host) Wait(pid int) (int, error) {
	hp, errno := h.claim(0, pid)
	if errno != 0 {
		return 0, fmt.Errorf("vm: no process %d to wait for", pid)
	}
	<-hp.done
	h.forget(hp)
	return hp.status, hp.err
}

// WaitAll waits until every process of the host has ended, including
// those nobody waits for.
func (h *Host) WaitAll() { h.wg.Wait() }

// init makes the tables of a Host not made by NewHost; h.mu is held.
func (h *Host) init() {
	if h.procs == nil {
		h.procs, h.refs = map[int]*hostProc{}, map[*os.File]int{}
	}
	if h.stop == nil {
		h.stop = make(chan struct{})
	}
}

// stopped returns the channel Interrupt closes.
func (h *Host) stopped() <-chan struct{} {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.init()
	return h.stop
}

// Interrupt stops every process of the host (vmrun calls it on SIGINT):
// each ends with an ErrInterrupted trap after flushing its output, as
// Process.Interrupt says, and the system calls that wait are cut short
// so that none of them keeps its process from ending: wait, a read from
// the host's standard input, reads and writes of pipes and of the files
// spawn hands over (their deadline is set to now), and a write to the
// host's standard output or error that stays blocked for stuckAfter (a
// pipe nobody reads). Spawn fails from then on. Interrupt may be called
// from any goroutine, more than once.
func (h *Host) Interrupt() {
	h.mu.Lock()
	h.init()
	// The processes first: a read that h.stop ends must find its process
	// interrupted when it returns, or the process would go on as if the
	// read had failed by itself.
	for _, hp := range h.procs {
		if hp.proc != nil {
			hp.proc.Interrupt()
		}
	}
	if !h.interrupted {
		h.interrupted = true
		close(h.stop)
	}
	files := make([]*os.File, 0, len(h.refs))
	for f := range h.refs {
		files = append(files, f)
	}
	h.mu.Unlock()
	now := time.Now()
	for _, f := range files {
		f.SetDeadline(now) // a file that has no deadlines never blocks long
	}
}

// claim marks the child pid of parent as waited for, or returns ECHILD.
func (h *Host) claim(parent, pid int) (*hostProc, int64) {
	h.mu.Lock()
	defer h.mu.Unlock()
	hp := h.procs[pid]
	if hp == nil || hp.parent != parent || hp.waited {
		return nil, ECHILD
	}
	hp.waited = true
	return hp, 0
}

// forget removes a waited-for process from the table.
func (h *Host) forget(hp *hostProc) {
	h.mu.Lock()
	delete(h.procs, hp.pid)
	h.mu.Unlock()
}

// share counts one more holder of the host file f.
func (h *Host) share(f *os.File) {
	h.mu.Lock()
	if n, ok := h.refs[f]; ok {
		h.refs[f] = n + 1
	} else {
		h.refs[f] = 2 // the fd it came from and the new holder
	}
	h.mu.Unlock()
}

// track registers the host file f, held once (a new pipe end).
func (h *Host) track(f *os.File) {
	h.mu.Lock()
	h.refs[f] = 1
	h.mu.Unlock()
}

// release drops one holder of f and closes it when it was the last one
// (or when f is not shared at all).
func (h *Host) release(f *os.File) error {
	h.mu.Lock()
	n, ok := h.refs[f]
	if ok && n > 1 {
		h.refs[f] = n - 1
		h.mu.Unlock()
		return nil
	}
	delete(h.refs, f)
	h.mu.Unlock()
	return f.Close()
}

// releaseStream releases a standard stream of an ended process if it is
// a shared host file (a pipe end or a file handed over by spawn); other
// streams (the host's own) are never closed.
func (h *Host) releaseStream(s any) {
	f, ok := s.(*os.File)
	if !ok {
		return
	}
	h.mu.Lock()
	_, shared := h.refs[f]
	h.mu.Unlock()
	if shared {
		h.release(f)
	}
}

// closeFile closes f for the file table t: through the host when the
// file may be shared with other processes.
func (t *fdTable) closeFile(f *os.File) error {
	if t.host != nil {
		return t.host.release(f)
	}
	return f.Close()
}

// lockedWriter wraps w so that writes from all the host's processes are
// serialised, and so that none keeps its process from ending once the
// host is interrupted; nil stays nil.
func (h *Host) lockedWriter(w io.Writer) io.Writer {
	if w == nil {
		return nil
	}
	return &syncWriter{mu: &h.outMu, w: w, stop: h.stopped(), mayBlock: mayBlock(w)}
}

// mayBlock reports whether a write to w may block for as long as nobody
// reads: w is a file that is not a regular one (fileMayBlock).
func mayBlock(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && fileMayBlock(f)
}

// lockedReader wraps r so that reads from all the host's processes are
// serialised and cut short by Interrupt; nil stays nil.
func (h *Host) lockedReader(r io.Reader) io.Reader {
	if r == nil {
		return nil
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.init()
	return h.newHostReader(r)
}

// syncWriter is a writer shared by the host's processes.
type syncWriter struct {
	mu *sync.Mutex
	w  io.Writer
	// stop is the host's, closed by Interrupt.
	stop <-chan struct{}
	// mayBlock is set when a write to w may block for ever (mayBlock).
	mayBlock bool
	// stuck is set, under mu, once a write to w was given up after
	// Interrupt: it may still be blocked, so no other write follows it.
	stuck bool
}

// errOutputStuck is what a write to a host stream returns once the host
// is interrupted and a write to the stream has blocked for longer than
// stuckAfter.
var errOutputStuck = errors.New("vm: output blocked after the host was interrupted")

// stuckAfter is how long a write to a host stream may still take once
// the host is interrupted: a write that can go through does, so that the
// processes' last output and trap reports come out; one blocked on a
// pipe nobody reads is given up.
const stuckAfter = 100 * time.Millisecond

// Write writes b to the underlying writer under the lock. A write that
// may block runs in a goroutine of its own, on a copy of b, so that
// Interrupt can stop waiting for it (see stuckAfter): a process blocked
// writing to a full pipe then ends like one blocked in a read.
func (s *syncWriter) Write(b []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stuck {
		return 0, errOutputStuck
	}
	if !s.mayBlock {
		return s.w.Write(b)
	}
	own := slices.Clone(b) // the goroutine may outlive the call
	done := make(chan ioResult, 1)
	go func() {
		n, err := s.w.Write(own)
		done <- ioResult{n, err}
	}()
	select {
	case r := <-done:
		return r.n, r.err
	case <-s.stop:
	}
	select {
	case r := <-done:
		return r.n, r.err
	case <-time.After(stuckAfter):
		s.stuck = true
		return 0, errOutputStuck
	}
}

// unwrap returns the writer behind the host's lock.
func unwrap(w io.Writer) io.Writer {
	if s, ok := w.(*syncWriter); ok {
		return s.w
	}
	return w
}
