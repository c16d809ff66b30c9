package vmtrace

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"text/tabwriter"

	"linkvm/vm"
	"linkvm/vm/isa"
)

// Counter is a Monitor that counts the instructions a process runs, per
// function, and its peak memory (vmrun --count). It pauses at each basic
// block and counts the block's instructions, so its counts are exact:
// when the process ends inside a block (a trap, the step limit), only
// the instructions that ran are counted.
type Counter struct {
	p      *vm.Process
	blocks *blocks
	gen    uint64 // the process's MapGeneration when blocks and data were made
	cur    *block // the block running
	curAt  uint64 // the step count when it started
	// before is how many instructions ran before the first pause: the
	// init functions the loader ran before the Counter was attached.
	before uint64

	data uint64 // the modules' private bytes now
	peak Memory
}

// Memory is a process's memory at its peak: what it owned alone, in
// bytes, when that was the most.
type Memory struct {
	// Data is the writable and zero-filled sections of its modules
	// (.data, .bss, GOT).
	Data uint64
	// Heap is the heap up to the break.
	Heap uint64
	// Stack is the stack in use: from its top down to the lowest sp.
	Stack uint64
}

// Total is the sum of the parts.
func (m Memory) Total() uint64 { return m.Data + m.Heap + m.Stack }

// NewCounter returns a Counter for one process.
func NewCounter() *Counter { return &Counter{} }

// Pause counts the block starting here and the memory it may reach.
func (c *Counter) Pause(p *vm.Process) (uint64, error) {
	if c.blocks == nil {
		c.p, c.blocks = p, newBlocks(p, true)
		c.before = p.Steps()
	}
	if g := p.MapGeneration(); g != c.gen { // the first pause, or modules mapped or unmapped
		c.blocks.flush()
		c.data = privateData(p)
		c.gen = g
	}
	b := c.blocks.at(p.PC())
	if b == nil { // no instruction runs here
		c.cur = nil
		return 1, nil
	}
	b.count++
	c.cur, c.curAt = b, p.Steps()
	c.observe(p, b)
	return b.steps(), nil
}

// observe records the memory the process may reach in block b: the data
// and heap now, the stack down to the lowest sp in the block.
func (c *Counter) observe(p *vm.Process, b *block) {
	m := Memory{Data: c.data}
	if start, brk := p.Heap(); brk > start {
		m.Heap = brk - start
	}
	sp := p.Regs()[isa.RegSP]
	low := sp + uint64(b.minSP)
	if low <= sp && low <= vm.StackTop && vm.StackTop-low <= vm.MaxStackSize {
		m.Stack = vm.StackTop - low
	}
	if m.Total() > c.peak.Total() {
		c.peak = m
	}
}

// Finish notes the instruction count and leaves out the instructions of
// the last block that did not run.
func (c *Counter) Finish(p *vm.Process) {
	c.p = p
	if c.blocks == nil { // it never paused: all ran before
		c.before = p.Steps()
	}
	if c.cur == nil {
		return
	}
	ran := p.Steps() - c.curAt
	if ran < c.cur.steps() {
		// Count the part that ran as a block of its own.
		c.cur.count--
		part := &block{pcs: c.cur.pcs[:ran], funcs: c.cur.funcs[:ran], count: 1}
		c.blocks.all = append(c.blocks.all, part)
	}
}

// FuncCount is the number of instructions run in one function.
type FuncCount struct {
	// Func is the function, module-qualified as "libstd.vso:puts"
	// (FuncName).
	Func string
	// Count is the instructions run in it.
	Count uint64
}

// Report is what a Counter counted.
type Report struct {
	// PID is the process's id.
	PID int
	// Image is the executable's name (the path it was run as).
	Image string
	// Instructions is how many instructions the process ran, as
	// Process.Steps counts them.
	Instructions uint64
	// Funcs are the instructions run per function, most first (then by
	// name). Instructions run before the Counter was attached (the
	// loader's init functions, when it is attached after loading rather
	// than from vm.Config.OnCreate or vm.Host.OnCreate) count as
	// "(init functions)".
	Funcs []FuncCount
	// Peak is the memory at its peak.
	Peak Memory
}

// beforeName is the name of the instructions run before the Counter saw
// the process.
const beforeName = "(init functions)"

// Report returns what the Counter counted; call it once the process has
// ended.
func (c *Counter) Report() Report {
	r := Report{Peak: c.peak}
	if c.p == nil {
		return r
	}
	r.PID, r.Instructions = c.p.ID(), c.p.Steps()
	if m := c.p.Main(); m != nil {
		r.Image = m.Name
	}
	byFunc := map[string]uint64{}
	if c.before > 0 {
		byFunc[beforeName] = c.before
	}
	if c.blocks != nil {
		for _, b := range c.blocks.all {
			for _, f := range b.funcs {
				byFunc[f] += b.count
			}
		}
	}
	for f, n := range byFunc {
		if n > 0 {
			r.Funcs = append(r.Funcs, FuncCount{f, n})
		}
	}
	slices.SortFunc(r.Funcs, func(a, b FuncCount) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Func, b.Func))
	})
	return r
}

// Write prints the report (docs/debugging.md):
//
//	vmrun: count: pid 1, fib.img
//	instructions  1107
//	peak memory   1200 bytes (data 0, heap 0, stack 1200)
//
//	 count  share  function
//	   972  87.8%  fib
func (r Report) Write(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 8, 2, ' ', 0)
	fmt.Fprintf(tw, "vmrun: count: pid %d, %s\n", r.PID, r.Image)
	fmt.Fprintf(tw, "instructions\t%d\n", r.Instructions)
	fmt.Fprintf(tw, "peak memory\t%d bytes (data %d, heap %d, stack %d)\n",
		r.Peak.Total(), r.Peak.Data, r.Peak.Heap, r.Peak.Stack)
	if err := tw.Flush(); err != nil {
		return err
	}
	tw = tabwriter.NewWriter(w, 0, 8, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "\ncount\tshare\t  function")
	for _, f := range r.Funcs {
		fmt.Fprintf(tw, "%d\t%s\t  %s\n", f.Count, share(f.Count, r.Instructions), f.Func)
	}
	return tw.Flush()
}

// share formats n as a percentage of total, to a tenth.
func share(n, total uint64) string {
	if total == 0 {
		return "-"
	}
	return fmt.Sprintf("%.1f%%", 100*float64(n)/float64(total))
}

// privateData returns the bytes of the writable and zero-filled sections
// of p's modules.
func privateData(p *vm.Process) uint64 {
	var n uint64
	for _, m := range p.Modules() {
		_, private := m.Footprint()
		n += private
	}
	return n
}
