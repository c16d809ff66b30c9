package vmtrace

import (
	"linkvm/vm"
)

// maxBlock bounds a basic block's length, so that reading a long
// straight run of code for a block that is left early costs little.
const maxBlock = 64

// block is a basic block: a straight run of instructions that, once the
// first runs, all run (unless one traps), ending with a transfer of
// control. A monitor that pauses at each block's start sees every
// transfer while pausing far less often than once per instruction.
type block struct {
	pcs   []uint64 // the address of each instruction (a li64 takes two words)
	last  insn     // the last instruction
	term  bool     // last transfers control (else the block ends before an alone instruction, an unknown sp, or at maxBlock)
	minSP int64    // the lowest sp reached, relative to sp at the start (<= 0)

	count uint64   // how many times the block ran (Counter)
	funcs []string // the function of each instruction (Counter)
}

// steps returns how many instructions the block runs: the pause to ask
// for after its first.
func (b *block) steps() uint64 { return uint64(len(b.pcs)) }

// blocks caches the basic blocks of a process by address. The cache is
// emptied after each dynamic-loading system call, which may unmap code
// and map other code at the same addresses; the blocks made before stay
// in all, with their counts.
type blocks struct {
	p     *vm.Process
	byPC  map[uint64]*block
	all   []*block
	funcs bool // fill in each block's funcs
}

// newBlocks returns an empty cache for p.
func newBlocks(p *vm.Process, funcs bool) *blocks {
	return &blocks{p: p, byPC: map[uint64]*block{}, funcs: funcs}
}

// flush forgets the cached blocks (their counts stay in all).
func (c *blocks) flush() { c.byPC = map[uint64]*block{} }

// at returns the block starting at pc, or nil if pc holds no
// instruction: a function run by the host returning to it
// (Process.Call), or a bad jump about to trap. That nil is not cached, as
// code may be mapped there later; a cached block costs one map lookup.
func (c *blocks) at(pc uint64) *block {
	if b := c.byPC[pc]; b != nil {
		return b
	}
	b := &block{}
	var sp int64
	for a := pc; len(b.pcs) < maxBlock; {
		in, ok := readInsn(c.p, a)
		if !ok {
			if len(b.pcs) == 0 {
				return nil
			}
			break // the block ends where the process would trap
		}
		if in.alone() && len(b.pcs) > 0 {
			break
		}
		b.pcs = append(b.pcs, a)
		b.last = in
		d, known := in.spDelta()
		sp += d
		b.minSP = min(b.minSP, sp)
		if in.transfers() {
			b.term = true
			break
		}
		if !known {
			break
		}
		a = in.end()
	}
	if c.funcs {
		b.funcs = make([]string, len(b.pcs))
		for i, a := range b.pcs {
			b.funcs[i] = FuncName(c.p.Frame(a))
		}
	}
	c.byPC[pc] = b
	c.all = append(c.all, b)
	return b
}
