package vm

import (
	"encoding/binary"
	"fmt"
	"sort"
	"strings"
	"unsafe"

	"linkvm/objfmt"
)

// NullLimit is the end of the null area: addresses below it are never
// mapped, and touching them traps as a null pointer access.
const NullLimit = objfmt.NullLimit

// AddrLimit is the end of the 47-bit guest address space; no segment may
// reach beyond it.
const AddrLimit = 1 << 47

// StackTop is the address just above the stack.
const StackTop = 0x80000000

// DefaultStackSize is the stack size when Config.StackSize is 0.
const DefaultStackSize = 1 << 20

// StackGuard is the size of the unmapped area below the stack in which an
// access traps as a stack overflow rather than a memory fault.
const StackGuard = 1 << 20

// DefaultHeapLimit is the most the heap can grow with brk/sbrk when
// Config.HeapLimit and Config.MaxMemory are 0 (the heap limit defaults to
// the memory limit).
const DefaultHeapLimit = DefaultMaxMemory

// perm is a segment's access rights.
type perm uint8

const (
	permR perm = 1 << iota // loads
	permW                  // stores
	permX                  // instruction fetch
)

// segment is one mapped range [base, end) of a process's address space.
// Read-only segments may share data with the image and with other
// processes; the interpreter never writes to a segment without permW.
type segment struct {
	base, end uint64
	data      []byte // len(data) == end - base
	perm      perm
	name      string          // section name, "[heap]" or "[stack]", for trap messages
	sec       *objfmt.Section // the mapped section, nil for heap and stack
	mod       *Module         // the module the section belongs to, for symbols and lines
	dec       *decoded        // an executable segment's decoded form (decode.go)
}

// String names the segment in messages: "section .data", "section .text
// of libgreet.vso" (in a shared module), "the stack".
func (s *segment) String() string {
	if s.sec != nil {
		if s.mod != nil && s.mod.shared() {
			return "section " + s.name + " of " + s.mod.Name
		}
		return "section " + s.name
	}
	return "the " + strings.Trim(s.name, "[]")
}

// addrSpace is a process's segment table, sorted by base, non-overlapping.
// Empty segments (a heap with no pages yet) stay in the table but contain
// no address.
type addrSpace struct {
	segs []*segment
	code []codeSeg // the executable segments holding a whole word, by base (see codeSeg)
	// writableCode is set when a segment is both writable and executable:
	// its decoded form must follow the changes to its code (decode.go).
	writableCode bool
	// limit bounds the private segments' total size (limits.go); 0 means
	// no limit.
	limit uint64
	// maps counts the segments mapped and unmapped (see MapGeneration).
	maps uint64
}

// find returns the segment containing addr, or nil.
func (as *addrSpace) find(addr uint64) *segment {
	segs := as.segs
	i := sort.Search(len(segs), func(i int) bool { return segs[i].end > addr })
	if i < len(segs) && segs[i].base <= addr && addr < segs[i].end {
		return segs[i]
	}
	return nil
}

// next returns the lowest base of a segment starting at or above addr, or
// limit if there is none below limit.
func (as *addrSpace) next(addr, limit uint64) uint64 {
	for _, s := range as.segs {
		if s.base >= addr && s.base < limit {
			return s.base
		}
	}
	return limit
}

// mapSegment adds s to the table. It is how MapModule (for the
// executable and for shared modules) populates an address space.
func (as *addrSpace) mapSegment(s *segment) error {
	if s.end < s.base || s.base < NullLimit || s.end > AddrLimit {
		return fmt.Errorf("%s [%#x, %#x) is outside the address space [%#x, %#x)", s, s.base, s.end, NullLimit, uint64(AddrLimit))
	}
	i := sort.Search(len(as.segs), func(i int) bool { return as.segs[i].base >= s.base })
	if s.end > s.base {
		if i > 0 && as.segs[i-1].end > s.base {
			o := as.segs[i-1]
			return fmt.Errorf("%s [%#x, %#x) overlaps %s [%#x, %#x)", s, s.base, s.end, o, o.base, o.end)
		}
		if i < len(as.segs) && as.segs[i].base < s.end {
			o := as.segs[i]
			return fmt.Errorf("%s [%#x, %#x) overlaps %s [%#x, %#x)", s, s.base, s.end, o, o.base, o.end)
		}
	}
	if err := as.checkLimit(s); err != nil {
		return err
	}
	as.segs = append(as.segs, nil)
	copy(as.segs[i+1:], as.segs[i:])
	as.segs[i] = s
	as.maps++
	if s.perm&permX != 0 {
		as.rebuildCode()
	}
	return nil
}

// unmapSegment removes s from the table, if it is there.
func (as *addrSpace) unmapSegment(s *segment) {
	for i, x := range as.segs {
		if x == s {
			as.segs = append(as.segs[:i:i], as.segs[i+1:]...)
			as.maps++
			if s.perm&permX != 0 {
				as.rebuildCode()
			}
			return
		}
	}
}

// memCache is the interpreter's fast path for loads and stores: one
// segment with at least 8 bytes, its first byte at ptr, and lim =
// len(data) - 8, so that an access of up to 8 bytes at addr is inside it
// when addr - base <= lim (with unsigned wrap-around rejecting addresses
// below base); the interpreter then reads or writes at ptr + addr - base
// with no bounds check. Accesses in the segment's last 7 bytes take the
// slow path, which handles them exactly.
type memCache struct {
	base, lim uint64
	ptr       unsafe.Pointer // &data[0], which keeps the segment's bytes alive
}

// set makes c cache s if s is long enough for the fast-path test.
func (c *memCache) set(s *segment) {
	if len(s.data) >= 8 {
		c.base, c.lim, c.ptr = s.base, uint64(len(s.data)-8), unsafe.Pointer(&s.data[0])
	}
}

// memCaches is two memCaches, the segment cached last first: a program
// that alternates between two segments (the heap and the allocator's
// data, say) finds both.
type memCaches [2]memCache

// fill makes c cache s first, keeping the previous first one second.
func (c *memCaches) fill(s *segment) {
	if len(s.data) >= 8 {
		c[1] = c[0]
		c[0].set(s)
	}
}

// access checks an access of size bytes at addr needing rights want by the
// instruction at pc and returns the segment, or the trap.
func (p *Process) access(pc, addr, size uint64, want perm) (*segment, error) {
	s := p.as.find(addr)
	if s != nil && addr+size <= s.end && addr+size > addr && s.perm&want == want {
		return s, nil
	}
	return nil, p.memTrap(pc, addr, size, want, s)
}

// memTrap classifies a failed access (see access); s is the segment
// containing addr, if any.
func (p *Process) memTrap(pc, addr, size uint64, want perm, s *segment) *Trap {
	what := "read"
	if want&permW != 0 {
		what = "write"
	}
	t := &Trap{PC: pc, Addr: addr}
	var stackLo uint64 = StackTop
	if p.stack != nil { // nil only in a process whose Config was refused
		stackLo = p.stack.base
	}
	sp := p.regs[31]
	switch {
	case s != nil && s.perm&want != want:
		t.Kind = ErrWriteProtect
		t.Msg = fmt.Sprintf("write to read-only memory at %#x (%s)", addr, s)
	case s != nil:
		t.Kind = ErrMemoryFault
		t.Msg = fmt.Sprintf("memory fault: %d-byte %s at %#x runs past the end of %s", size, what, addr, s)
	case addr < NullLimit:
		t.Kind = ErrNullPointer
		t.Msg = fmt.Sprintf("null pointer %s at %#x", what, addr)
	case addr < stackLo && (stackLo-addr <= StackGuard || (sp < stackLo && addr >= sp-StackGuard)):
		t.Kind = ErrStackOverflow
		t.Msg = fmt.Sprintf("stack overflow: %s at %#x, below the stack at %#x", what, addr, stackLo)
	default:
		t.Kind = ErrMemoryFault
		t.Msg = fmt.Sprintf("memory fault: %s at %#x (unmapped)", what, addr)
	}
	return t
}

// loadSlow is the slow path of a load: it checks the access, reads the
// value and caches the segment in c.
func (p *Process) loadSlow(pc, addr, size uint64, c *memCaches) (uint64, error) {
	s, err := p.access(pc, addr, size, permR)
	if err != nil {
		return 0, err
	}
	c.fill(s)
	b := s.data[addr-s.base:]
	switch size {
	case 1:
		return uint64(b[0]), nil
	case 2:
		return uint64(binary.LittleEndian.Uint16(b)), nil
	case 4:
		return uint64(binary.LittleEndian.Uint32(b)), nil
	}
	return binary.LittleEndian.Uint64(b), nil
}

// storeSlow is the slow path of a store: it checks the access, writes the
// low size bytes of v and caches the segment in c.
//
// A segment that is executable as well is never cached: its stores all
// come here, which decodes again the code they change.
func (p *Process) storeSlow(pc, addr, size, v uint64, c *memCaches) error {
	s, err := p.access(pc, addr, size, permW)
	if err != nil {
		return err
	}
	b := s.data[addr-s.base:]
	switch size {
	case 1:
		b[0] = byte(v)
	case 2:
		binary.LittleEndian.PutUint16(b, uint16(v))
	case 4:
		binary.LittleEndian.PutUint32(b, uint32(v))
	default:
		binary.LittleEndian.PutUint64(b, v)
	}
	if s.perm&permX != 0 {
		if s.dec != nil {
			s.redecodeAt(addr, size)
		}
	} else {
		c.fill(s)
	}
	return nil
}

// read64 reads 8 bytes for the host (backtraces), with no trap.
func (p *Process) read64(addr uint64) (uint64, bool) {
	b, ok := p.guestBytes(addr, 8, permR)
	if !ok {
		return 0, false
	}
	return binary.LittleEndian.Uint64(b), true
}

// guestBytes returns the guest memory [addr, addr+n) if it lies in one
// segment with rights want. The slice aliases guest memory.
func (p *Process) guestBytes(addr, n uint64, want perm) ([]byte, bool) {
	s := p.as.find(addr)
	if s == nil || s.perm&want != want || n > s.end-addr {
		return nil, false
	}
	off := addr - s.base
	return s.data[off : off+n : off+n], true
}

// codeAt returns the executable segment whose words include pc (which must
// be 8-aligned), or nil.
func (p *Process) codeAt(pc uint64) *segment {
	if pc&7 != 0 {
		return nil
	}
	s := p.as.find(pc)
	if s == nil || s.perm&permX == 0 || pc-s.base >= uint64(len(s.data))&^7 {
		return nil
	}
	return s
}

// badJump builds the trap for control reaching target, which is not an
// instruction, from the instruction at pc.
func (p *Process) badJump(pc, target uint64) *Trap {
	t := &Trap{Kind: ErrBadJump, PC: pc, Addr: target}
	s := p.as.find(target)
	switch {
	case target < NullLimit:
		t.Msg = fmt.Sprintf("jump to null address %#x", target)
	case target&7 != 0:
		t.Msg = fmt.Sprintf("bad jump to %#x (misaligned)", target)
	case s == nil:
		if ps := p.as.find(pc); ps != nil && target == pc+8 && ps.perm&permX != 0 {
			t.Msg = fmt.Sprintf("bad jump to %#x (ran off the end of %s)", target, ps)
		} else {
			t.Msg = fmt.Sprintf("bad jump to %#x (unmapped)", target)
		}
	case s.perm&permX == 0:
		t.Msg = fmt.Sprintf("bad jump to %#x (%s is not executable)", target, s)
	default:
		t.Msg = fmt.Sprintf("bad jump to %#x (ran off the end of %s)", target, s)
	}
	return t
}
