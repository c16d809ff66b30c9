package vm

import (
	"math"
	"unsafe"
)

// The interpreter is two functions. run (exec_run.go) is the hot loop: it
// runs instructions until something rare happens and returns why; it
// calls no function (but to copy the registers back when it returns), so
// the Go compiler keeps its state in machine registers instead of
// spilling it around calls on every instruction. exec (exec_slow.go) is the driver
// around it: it serves what run returns (system calls, loads and stores
// outside the cached segments, traps, jumps to code run cannot find,
// pause points) and calls run again.

// execState is the interpreter's state between run and exec: where run
// continues, what it may run, and why it stopped.
type execState struct {
	// cur is the current code segment: an entry of the process's table
	// (addrSpace.code), or its form without superinstructions (aloneCode).
	// run keeps it in a local, and a jump to another segment changes only
	// that pointer and alt, rather than copying the segment's fields.
	cur  *codeSeg
	i    uint64 // the index in cur of the next word to run
	left uint64 // how many instructions may run before the next pause point

	// alt is the code segment run was in before its last jump to another
	// (&noCode: none): where a call into another module returns to, so
	// run looks there first. exec forgets it whenever modules may have
	// been unmapped.
	alt *codeSeg

	// btb predicts where calls and jumps through PLT stubs go (see
	// btbEntry). exec empties it after every system call.
	btb     [btbSize]btbEntry
	btbUsed bool // btb has an entry

	stk memCache  // the stack
	rd  memCaches // the last segments loaded from
	wr  memCaches // the last segments stored to
	lit memCaches // the last segments ldpc loaded from (GOT slots, literals)

	from, to uint64 // evFar: the instruction jumping (its address) and its target

	// regs is the register file while run runs (it copies p.regs in and
	// back): 256 entries, so that a decoded register field, a byte, needs
	// no bounds check. Only the first isa.NumRegs are used.
	regs [256]uint64
}

// btbSize is the number of entries of execState.btb, a power of two: a
// program's hot calls through the PLT are few.
const btbSize = 32

// btbEntry is where a call or jump through a PLT stub went last, for run
// to go there straight away, like a processor's branch target buffer.
// Without it the stub's jr waits for the GOT slot's load, which waits for
// the stub's decoding and the search for the slot's segment: a chain of
// loads on which every later instruction waits. With it run only checks
// that the slot, whose host address it keeps, still holds to; the
// processor predicts that test and goes on. The entry belongs to the call
// site whose decoded entry's address indexes s.btb (a direct-mapped
// cache), and holds the target's code segment, often another module's.
// Host addresses of memory may change at a system call (the heap grows,
// modules go), and the table of code segments too: exec empties s.btb
// then. Entries are 64 bytes, so that indexing s.btb is a shift.
type btbEntry struct {
	site unsafe.Pointer // the call's or jump's decoded entry; nil: none
	slot unsafe.Pointer // the GOT slot the stub loads, in host memory
	ip   unsafe.Pointer // the target's decoded entry
	seg  *codeSeg       // the target's code segment
	to   uint64         // the target's address, the slot's value
	reg  uint8          // the register the stub loads
	_    [23]byte
}

// btbEntry is 64 bytes: neither constant may be negative.
const (
	_ = unsafe.Sizeof(btbEntry{}) - 64
	_ = 64 - unsafe.Sizeof(btbEntry{})
)

// Why run returned.
const (
	evPause = iota // left is 0 or 1: a pause point is due before index i, or after it
	evSlow         // the instruction at i-1 needs exec: see slowStep
	evFar          // control goes from `from` to `to`, outside the segment, and run cannot find it
	evLost         // ip is in no code segment's lazy form: an internal error
)

// run is generated, with its doc comment, into exec_run.go: its cases
// come from a table of halves, one per instruction
// (vm/internal/genrun/gen), and the superinstructions' from the list of
// pairs in vm/internal/superinst.
//
//go:generate go run ./internal/genrun -o exec_run.go

// pcOff is the offset in its segment of the instruction at ip in the
// segment's decoded form cs.dec: the same as in the decoded form, which
// has one 8-byte entry per word.
func pcOff(ip unsafe.Pointer, cs *codeSeg) uint64 {
	return uint64(uintptr(ip) - uintptr(cs.dec))
}

// b2u is 1 for true and 0 for false.
func b2u(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}

// f64 reads a register's bits as a float64.
func f64(x uint64) float64 { return math.Float64frombits(x) }
