// Command pairs counts the instructions a program runs and the pairs of
// consecutive instructions (the second at the word after the first), the
// measurement the interpreter's superinstructions were chosen from
// (docs/performance.md, "Interpreter"):
//
//	go run ./examples/bench/pairs [-top 15] build/examples/fib-static.img 20
//
// It runs a static image single-stepped under a vm.Monitor, so it is slow:
// give it small arguments.
package main

import (
	"cmp"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"

	"linkvm/objfmt"
	"linkvm/vm"
	"linkvm/vm/isa"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "pairs:", err)
		os.Exit(1)
	}
}

func run(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("pairs", flag.ContinueOnError)
	fs.SetOutput(stderr)
	top := fs.Int("top", 15, "how many instructions and pairs to print")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() < 1 {
		return errors.New("usage: pairs [-top N] image.img [args...]")
	}
	img, err := objfmt.Open(fs.Arg(0))
	if err != nil {
		return err
	}
	p, err := vm.Load(img, fs.Arg(0), vm.Config{Args: fs.Args(), Stdout: io.Discard, Stderr: io.Discard})
	if err != nil {
		return err
	}
	c := newCounter()
	p.SetMonitor(c, 0)
	if _, err := p.Run(); err != nil {
		return err
	}
	fmt.Fprint(stdout, c.report(*top))
	return nil
}

// counter is a Monitor that counts every instruction before it runs, and
// every instruction that directly follows the previous one in memory.
type counter struct {
	ops    map[isa.Op]uint64
	pairs  map[[2]isa.Op]uint64
	n      uint64
	prev   isa.Op
	prevPC uint64
	word   []byte
}

func newCounter() *counter {
	return &counter{ops: map[isa.Op]uint64{}, pairs: map[[2]isa.Op]uint64{}, word: make([]byte, isa.WordSize)}
}

// Pause counts the instruction at p.PC() and asks to be called again
// before the next one.
func (c *counter) Pause(p *vm.Process) (uint64, error) {
	pc := p.PC()
	if err := p.ReadMemory(pc, c.word); err != nil {
		return 1, nil // not an instruction: the process traps there
	}
	op := isa.Op(c.word[0])
	c.ops[op]++
	if c.n > 0 && pc == c.prevPC+isa.WordSize {
		c.pairs[[2]isa.Op{c.prev, op}]++
	}
	c.n++
	c.prev, c.prevPC = op, pc
	return 1, nil
}

// report lists the top instructions and pairs with their share of all
// instructions run.
func (c *counter) report(top int) string {
	type entry struct {
		name  string
		count uint64
	}
	sorted := func(es []entry) []entry {
		slices.SortFunc(es, func(a, b entry) int {
			return cmp.Or(cmp.Compare(b.count, a.count), cmp.Compare(a.name, b.name))
		})
		return es[:min(top, len(es))]
	}
	var ops, pairs []entry
	for op, n := range c.ops {
		ops = append(ops, entry{op.String(), n})
	}
	for pr, n := range c.pairs {
		pairs = append(pairs, entry{pr[0].String() + " " + pr[1].String(), n})
	}
	out := fmt.Sprintf("%d instructions\n\ninstruction       share\n", c.n)
	for _, e := range sorted(ops) {
		out += fmt.Sprintf("%-16s %5.1f%%\n", e.name, 100*float64(e.count)/float64(c.n))
	}
	out += "\npair              share\n"
	for _, e := range sorted(pairs) {
		out += fmt.Sprintf("%-16s %5.1f%%\n", e.name, 100*float64(e.count)/float64(c.n))
	}
	return out
}
