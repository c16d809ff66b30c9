package vm

import (
	"errors"
	"fmt"
	"math"

	"linkvm/objfmt"
)

// Resource limits (docs/vmrun.md). A process is limited in the memory it
// owns alone and in its open files; a host in its processes (Host.MaxProcs,
// host.go); the instructions a process may run are its step budget
// (monitor.go). Reaching a limit makes the system call that needed more
// fail (sbrk: -ENOMEM, open and pipe: -EMFILE, spawn: -EAGAIN) or, at load
// time, the load fail with an error that says which limit: the host
// itself never runs out.

// DefaultMaxMemory is the memory limit of a process when Config.MaxMemory
// is 0.
const DefaultMaxMemory = 256 << 20

// DefaultMaxFiles is the size of a process's file descriptor table when
// Config.MaxFiles is 0: fds 0 to 63.
const DefaultMaxFiles = 64

// MaxFilesLimit is the largest Config.MaxFiles.
const MaxFilesLimit = 1 << 16

// ErrMemoryLimit is wrapped by the errors of mappings refused by the
// memory limit (Config.MaxMemory): a module that does not fit at load or
// at dlopen, so that callers test errors.Is(err, vm.ErrMemoryLimit).
var ErrMemoryLimit = errors.New("memory limit")

// setLimits applies cfg's limits to the new process, before its stack is
// mapped, and keeps its environment.
func (p *Process) setLimits(cfg Config) error {
	limit := cfg.MaxMemory
	if limit == 0 {
		limit = DefaultMaxMemory
	}
	p.as.limit = limit
	if p.heapLimit == 0 {
		p.heapLimit = limit // by default the heap may grow as far as memory allows
	}
	files := cfg.MaxFiles
	if files == 0 {
		files = DefaultMaxFiles
	}
	if files < 3 || files > MaxFilesLimit {
		return fmt.Errorf("the file limit %d is not in 3..%d (fds 0, 1 and 2 are the standard streams)", files, MaxFilesLimit)
	}
	p.files.max = files
	p.env = append([]string(nil), cfg.Env...)
	stack := cfg.StackSize
	if stack == 0 {
		stack = DefaultStackSize
	}
	stack = (stack + objfmt.PageSize - 1) &^ (objfmt.PageSize - 1)
	if stack <= MaxStackSize && stack > limit {
		return fmt.Errorf("stack size %d is larger than the memory limit %d", stack, limit)
	}
	return nil
}

// private reports whether the segment's bytes belong to its process
// alone, and so count against the memory limit: writable memory (data,
// bss, GOT, heap, stack) and zero-filled sections. Code and read-only
// data are shared with every process mapping the same file.
func (s *segment) private() bool {
	return s.perm&permW != 0 || (s.sec != nil && privateSection(s.sec))
}

// privateSection reports whether sec, mapped, is private memory (see
// segment.private): writable or zero-filled.
func privateSection(sec *objfmt.Section) bool {
	return sec.Flags&objfmt.FlagWrite != 0 || sec.Kind == objfmt.KindNobits
}

// privateBytes returns the bytes of memory the process owns alone: the
// sizes of its private segments, the heap's up to the break.
func (as *addrSpace) privateBytes() uint64 {
	var n uint64
	for _, s := range as.segs {
		if s.private() {
			n += s.end - s.base
		}
	}
	return n
}

// checkLimit refuses to map the private segment s if it would take the
// process's private memory over the limit.
func (as *addrSpace) checkLimit(s *segment) error {
	if as.limit == 0 || !s.private() {
		return nil
	}
	used, size := as.privateBytes(), s.end-s.base
	if used > as.limit || size > as.limit-used {
		return fmt.Errorf("%s [%#x, %#x) needs %d bytes, over the %w of %d bytes (%d in use)",
			s, s.base, s.end, size, ErrMemoryLimit, as.limit, used)
	}
	return nil
}

// heapRoom returns the largest size the heap may have within the memory
// limit, given the process's other private memory.
func (p *Process) heapRoom() uint64 {
	h := p.heap
	others := p.as.privateBytes() - (h.end - h.base)
	if p.as.limit == 0 {
		return AddrLimit
	}
	if others >= p.as.limit {
		return 0
	}
	return p.as.limit - others
}

// heapFits reports whether the break may move to nb (at or above the
// heap's start) without taking the process over its memory limit.
func (p *Process) heapFits(nb uint64) bool {
	return nb-p.heap.base <= p.heapRoom()
}

// MemoryInUse returns the bytes of memory the process owns alone (its
// stack, its heap up to the break and its modules' writable and
// zero-filled sections), which Config.MaxMemory bounds.
func (p *Process) MemoryInUse() uint64 { return p.as.privateBytes() }

// checkModuleMemory refuses, before anything is allocated, a module whose
// private sections (writable or zero-filled) would take the process over
// its memory limit.
func (p *Process) checkModuleMemory(f *objfmt.File) error {
	if p.as.limit == 0 {
		return nil
	}
	var need uint64
	for _, sec := range f.Sections {
		if sec == nil || sec.Flags&objfmt.FlagAlloc == 0 {
			continue
		}
		if privateSection(sec) {
			if need+sec.Size < need {
				need = math.MaxUint64 // sizes a file may claim: no wrap-around
				break
			}
			need += sec.Size
		}
	}
	used := p.as.privateBytes()
	if used > p.as.limit || need > p.as.limit-used {
		return fmt.Errorf("its writable and zero-filled sections need %d bytes, over the %w of %d bytes (%d in use)",
			need, ErrMemoryLimit, p.as.limit, used)
	}
	return nil
}
