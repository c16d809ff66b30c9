package vm

import (
	"encoding/binary"
	"fmt"
	"io"
	"strings"
	"sync/atomic"
	"time"

	"linkvm/objfmt"
	"linkvm/vm/isa"
)

// MaxStackSize is the largest stack a process may ask for.
const MaxStackSize = 1 << 30

// Config is what a process gets from its host besides the image.
type Config struct {
	// Args are the program's arguments, argv[0] included.
	Args []string
	// Stdin is read by read(0, ...); nil reads as empty.
	Stdin io.Reader
	// Stdout receives fd 1; nil discards it.
	Stdout io.Writer
	// Stderr receives fd 2; nil discards it.
	Stderr io.Writer
	// Dirs are the host directories the program may open files in.
	Dirs []DirGrant
	// LoadRoot, if not empty, is the host directory whose tree must hold
	// every image the program spawns and every module it dlopens by a
	// path (a name with a '/'), symbolic links followed; vmrun sets it to
	// the directory of the program's image. "" allows any path.
	LoadRoot string
	// StackSize is the stack's size in bytes, rounded up to a page;
	// 0 means DefaultStackSize.
	StackSize uint64
	// HeapLimit is how far brk/sbrk may grow the heap (the address
	// range kept free for it); 0 means the memory limit.
	HeapLimit uint64
	// MaxMemory bounds the memory the process owns alone: its stack,
	// heap and the writable and zero-filled sections of its modules
	// (limits.go); 0 means DefaultMaxMemory.
	MaxMemory uint64
	// MaxFiles is the size of the file descriptor table: open, pipe and
	// spawn use fds below it; 0 means DefaultMaxFiles.
	MaxFiles int
	// Env is the program's environment, "NAME=VALUE" strings, put on the
	// stack after argv (docs/abi.md); spawned children inherit it.
	Env []string
	// MaxSteps is the instruction budget: a process that has executed
	// MaxSteps instructions without exiting ends with an ErrStepLimit
	// trap. 0 means no limit.
	MaxSteps uint64
	// OnCreate, if set, is called with the process as soon as it is
	// created (its stack and arguments set up, no module mapped yet),
	// before any of its instructions runs, the init functions the loader
	// calls included: where a tool sets a Monitor that must see every
	// instruction (vmrun --trace, --count, --profile).
	OnCreate func(*Process)
}

// DirGrant gives the program access to the host directory Host under the
// guest path Guest: the guest path Guest/a/b is the host file Host/a/b.
type DirGrant struct {
	// Host is the host directory.
	Host string
	// Guest is the absolute guest path where Host appears; a relative
	// Guest is taken relative to "/", and "" means "/".
	Guest string
	// ReadOnly refuses opens for writing, creating or truncating with
	// -EACCES.
	ReadOnly bool
}

// Process is one program with the modules mapped into it: its registers,
// address space, open files and output buffers. A Process is used by one
// goroutine at a time; different processes share nothing writable.
type Process struct {
	id int

	mods []*Module // in mapping order
	main *Module   // the executable (the first TypeExec module mapped)

	regs    [isa.NumRegs]uint64
	pc      uint64
	steps   uint64
	pauseAt uint64 // the step count at which exec next stops (monitor.go)

	maxSteps    uint64      // Config.MaxSteps
	monitor     Monitor     // nil, or called at monitorAt
	monitorAt   uint64      // the step count of the monitor's next call
	interrupted atomic.Bool // set by Interrupt
	initSP      uint64      // sp at process start, below argv
	argv        uint64      // the address of the argv array
	started     bool

	as        addrSpace
	stack     *segment
	heap      *segment // nil until the executable is mapped (or Start)
	heapMax   uint64   // the highest break brk may set
	heapLimit uint64   // Config.HeapLimit or its default

	linker DynamicLinker
	dlerr  string // the last dl error, for dlerror

	calls   []savedState // the callers suspended by Call, innermost last
	running int          // how many exec loops are active (nested by Call)

	out    output
	stdin  io.Reader
	files  fdTable
	grants []grant
	// loadRoot is Config.LoadRoot's real path, "" for none (loadroot.go).
	loadRoot string
	args     []string
	env      []string // Config.Env

	start  time.Time
	status int
	exited bool  // the program exited (exit or halt), perhaps inside a Call
	exits  int   // how many Calls ended with the program exiting
	inExit bool  // Run is running the linker's Exit: Calls are allowed
	trap   *Trap // a trap inside a Call, which ends the process
	cfgErr error // why cfg was unusable (NewProcess), returned by every use
	ran    bool
	done   bool // Run has returned
}

// lastPID numbers the processes of this host.
var lastPID atomic.Int64

// NewProcess creates a process with its stack (holding the arguments),
// heap limit, granted directories and output set up from cfg, and no
// modules: map them with MapModule, then Start and Run it. If cfg cannot
// be used (a stack that is too large, arguments that do not fit, a
// directory that cannot be opened), MapModule, Call and Run return the
// error.
func NewProcess(cfg Config) *Process {
	p, err := newProcess(cfg, "vm")
	if err != nil {
		p.cfgErr = err
	}
	return p
}

// newProcess is NewProcess returning the configuration error, whose
// message starts with prefix (but for a directory that cannot be granted).
// The process is usable for Close and error reporting either way.
func newProcess(cfg Config, prefix string) (*Process, error) {
	p := &Process{
		id:        int(lastPID.Add(1)),
		stdin:     cfg.Stdin,
		args:      append([]string(nil), cfg.Args...),
		start:     time.Now(),
		heapLimit: cfg.HeapLimit,
		maxSteps:  cfg.MaxSteps,
	}
	p.schedule()
	p.out.init(cfg.Stdout, cfg.Stderr)
	if err := p.setLimits(cfg); err != nil {
		return p, fmt.Errorf("%s: %w", prefix, err)
	}
	if err := p.mapStack(cfg.StackSize); err != nil {
		return p, fmt.Errorf("%s: %w", prefix, err)
	}
	if err := p.setupArgs(); err != nil {
		return p, fmt.Errorf("%s: %w", prefix, err)
	}
	if err := p.setLoadRoot(cfg.LoadRoot); err != nil {
		return p, fmt.Errorf("%s: %w", prefix, err)
	}
	if err := p.openGrants(cfg.Dirs); err != nil {
		return p, err
	}
	if cfg.OnCreate != nil {
		cfg.OnCreate(p)
	}
	return p, nil
}

// mapStack maps the stack below StackTop.
func (p *Process) mapStack(size uint64) error {
	if size == 0 {
		size = DefaultStackSize
	}
	if size > MaxStackSize {
		return fmt.Errorf("stack size %d is larger than the maximum %d", size, MaxStackSize)
	}
	size = (size + objfmt.PageSize - 1) &^ (objfmt.PageSize - 1)
	p.stack = &segment{base: StackTop - size, end: StackTop, data: make([]byte, size), perm: permR | permW, name: "[stack]"}
	return p.as.mapSegment(p.stack)
}

// setupArgs puts the argument and environment strings on the top of the
// stack, below them the argv array and, after its 0, the envp array, and
// sets r0 = argc, r1 = argv, r2 = envp, sp (see Start).
func (p *Process) setupArgs() error {
	st := p.stack
	strs := append(append([]string(nil), p.args...), p.env...)
	var strBytes uint64
	for _, a := range strs {
		strBytes += uint64(len(a)) + 1
	}
	need := strBytes + 8*uint64(len(strs)+2) + 16
	if need > uint64(len(st.data))/2 {
		return fmt.Errorf("the arguments and environment (%d bytes) do not fit in half of the %d-byte stack", need, len(st.data))
	}
	strAddr := StackTop - strBytes
	argv := (strAddr - 8*uint64(len(strs)+2)) &^ 15
	slot := argv // the next pointer; argv's 0 is left between the arrays
	for i, a := range strs {
		off := strAddr - st.base
		copy(st.data[off:], a)
		st.data[off+uint64(len(a))] = 0
		if i == len(p.args) {
			slot += 8
		}
		binary.LittleEndian.PutUint64(st.data[slot-st.base:], strAddr)
		slot += 8
		strAddr += uint64(len(a)) + 1
	}
	p.argv, p.initSP = argv, argv
	p.resetRegs()
	return nil
}

// resetRegs sets the registers as at process start: r0 = argc, r1 = argv,
// r2 = envp, sp below argv, everything else 0.
func (p *Process) resetRegs() {
	p.regs = [isa.NumRegs]uint64{}
	p.regs[0] = uint64(len(p.args))
	p.regs[1] = p.argv
	p.regs[2] = p.argv + 8*uint64(len(p.args)+1)
	p.regs[isa.RegSP] = p.initSP
}

// Start makes the process ready to Run from entry with the registers
// docs/abi.md describes: r0 = argc, r1 = argv, r2 = envp (already on the
// stack), sp 16-aligned below them, every other register 0. An entry that is not an
// instruction traps as a bad jump when the process runs.
func (p *Process) Start(entry uint64) {
	if p.stack != nil {
		p.resetRegs()
	}
	if p.heap == nil && p.cfgErr == nil {
		p.mapHeap(p.highestBelowStack())
	}
	p.pc = entry
	p.started = true
}

// ID returns the process's id: 1 for the first process created by this
// host (this Go program), 2 for the next and so on.
func (p *Process) ID() int { return p.id }

// Debugf writes a line (the format's output, with a newline added if it
// has none) to the process's standard error stream, buffered and ordered
// with the program's own output as a write to fd 2 would be, even if the
// program closed fd 2. After Run has returned, the line is written at once.
func (p *Process) Debugf(format string, args ...any) {
	s := fmt.Sprintf(format, args...)
	if !strings.HasSuffix(s, "\n") {
		s += "\n"
	}
	p.out.write(2, []byte(s))
	if p.done { // Run has flushed for the last time
		p.out.flush()
	}
}

// Steps returns the number of instructions executed so far.
func (p *Process) Steps() uint64 { return p.steps }
