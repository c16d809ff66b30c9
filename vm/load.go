package vm

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
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
	// StackSize is the stack's size in bytes, rounded up to a page;
	// 0 means DefaultStackSize.
	StackSize uint64
	// HeapLimit is how far brk/sbrk may grow the heap; 0 means
	// DefaultHeapLimit.
	HeapLimit uint64
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

// Process is one loaded program: its registers, address space, open files
// and output buffers. A Process is used by one goroutine at a time;
// different processes share nothing writable.
type Process struct {
	name string
	mod  *module

	regs  [isa.NumRegs]uint64
	pc    uint64
	steps uint64

	as      addrSpace
	stack   *segment
	heap    *segment
	heapMax uint64 // the highest break brk may set

	out    output
	stdin  io.Reader
	files  fdTable
	grants []grant
	args   []string

	start  time.Time
	status int
	ran    bool
}

// module is a loaded image: what symbolization needs.
type module struct {
	name string
	img  *objfmt.File
}

// Load checks img, an executable image named name (used in messages), and
// makes a process ready to Run: sections mapped, stack built with the
// arguments, registers set as docs/abi.md says.
func Load(img *objfmt.File, name string, cfg Config) (*Process, error) {
	if img == nil {
		return nil, fmt.Errorf("%s: no image", name)
	}
	if img.Type != objfmt.TypeExec {
		return nil, fmt.Errorf("%s: not an executable image (type %s)", name, img.Type)
	}
	p := &Process{
		name:  name,
		mod:   &module{name: name, img: img},
		stdin: cfg.Stdin,
		args:  append([]string(nil), cfg.Args...),
		start: time.Now(),
	}
	p.out.init(cfg.Stdout, cfg.Stderr)
	if err := p.mapImage(img); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if p.codeAt(img.Entry) == nil {
		return nil, fmt.Errorf("%s: entry point %#x is not an instruction in an executable section", name, img.Entry)
	}
	if err := p.mapStackAndHeap(cfg); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if err := p.setupArgs(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if err := p.openGrants(cfg.Dirs); err != nil {
		return nil, err
	}
	p.pc = img.Entry
	return p, nil
}

// mapImage maps every allocated section of img: read-only ones in place,
// writable ones as private copies.
func (p *Process) mapImage(img *objfmt.File) error {
	for _, sec := range img.Sections {
		if sec == nil {
			return errors.New("nil section")
		}
		if sec.Flags&objfmt.FlagAlloc == 0 {
			continue
		}
		switch sec.Kind {
		case objfmt.KindProgbits:
			if uint64(len(sec.Data)) != sec.Size {
				return fmt.Errorf("section %s: size %d but %d bytes of data", sec.Name, sec.Size, len(sec.Data))
			}
		case objfmt.KindNobits:
		default:
			return fmt.Errorf("section %s: kind %d cannot be loaded", sec.Name, sec.Kind)
		}
		if sec.Size == 0 {
			continue
		}
		if sec.Addr < NullLimit {
			return fmt.Errorf("section %s at %#x is in the null area (below %#x)", sec.Name, sec.Addr, NullLimit)
		}
		if sec.Addr >= AddrLimit || sec.Size > AddrLimit-sec.Addr {
			return fmt.Errorf("section %s [%#x, +%#x) does not fit in the 47-bit address space", sec.Name, sec.Addr, sec.Size)
		}
		if sec.Flags&objfmt.FlagExec != 0 && sec.Addr%isa.WordSize != 0 {
			return fmt.Errorf("executable section %s at %#x is not 8-byte aligned", sec.Name, sec.Addr)
		}
		s := &segment{base: sec.Addr, end: sec.Addr + sec.Size, perm: permR, name: sec.Name, sec: sec, mod: p.mod}
		if sec.Flags&objfmt.FlagExec != 0 {
			s.perm |= permX
		}
		switch {
		case sec.Flags&objfmt.FlagWrite != 0:
			s.perm |= permW
			s.data = make([]byte, sec.Size)
			copy(s.data, sec.Data)
		case sec.Kind == objfmt.KindNobits:
			s.data = make([]byte, sec.Size)
		default:
			s.data = sec.Data[:sec.Size:sec.Size] // shared, never written
		}
		if err := p.as.mapSegment(s); err != nil {
			return err
		}
	}
	return nil
}

// mapStackAndHeap maps the stack below StackTop and an empty heap at the
// first page after the image.
func (p *Process) mapStackAndHeap(cfg Config) error {
	size := cfg.StackSize
	if size == 0 {
		size = DefaultStackSize
	}
	if size > MaxStackSize {
		return fmt.Errorf("stack size %d is larger than the maximum %d", size, MaxStackSize)
	}
	size = (size + objfmt.PageSize - 1) &^ (objfmt.PageSize - 1)
	p.stack = &segment{base: StackTop - size, end: StackTop, data: make([]byte, size), perm: permR | permW, name: "[stack]"}
	if err := p.as.mapSegment(p.stack); err != nil {
		return err
	}
	var top uint64 = NullLimit
	for _, s := range p.as.segs {
		if s != p.stack && s.end > top {
			top = s.end
		}
	}
	start := (top + objfmt.PageSize - 1) &^ (objfmt.PageSize - 1)
	limit := cfg.HeapLimit
	if limit == 0 {
		limit = DefaultHeapLimit
	}
	max := AddrLimit - start
	if limit < max {
		max = limit
	}
	max += start
	if next := p.as.next(start, max); next < max {
		max = next
		if next == p.stack.base {
			max = start
			if next-start > StackGuard {
				max = next - StackGuard
			}
		}
	}
	p.heap = &segment{base: start, end: start, perm: permR | permW, name: "[heap]"}
	p.heapMax = max
	return p.as.mapSegment(p.heap)
}

// setupArgs puts the argument strings and the argv array on the top of the
// stack and sets r0 = argc, r1 = argv, sp.
func (p *Process) setupArgs() error {
	st := p.stack
	var strBytes uint64
	for _, a := range p.args {
		strBytes += uint64(len(a)) + 1
	}
	need := strBytes + 8*uint64(len(p.args)+1) + 16
	if need > uint64(len(st.data))/2 {
		return fmt.Errorf("the arguments (%d bytes) do not fit in half of the %d-byte stack", need, len(st.data))
	}
	strAddr := StackTop - strBytes
	argv := (strAddr - 8*uint64(len(p.args)+1)) &^ 15
	for i, a := range p.args {
		off := strAddr - st.base
		copy(st.data[off:], a)
		st.data[off+uint64(len(a))] = 0
		binary.LittleEndian.PutUint64(st.data[argv-st.base+8*uint64(i):], strAddr)
		strAddr += uint64(len(a)) + 1
	}
	p.regs[0] = uint64(len(p.args))
	p.regs[1] = argv
	p.regs[isa.RegSP] = argv
	return nil
}
