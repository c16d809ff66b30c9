// Command choose measures how run tiles the instructions a program runs
// into dispatches with the current superinstructions (superinst.Pairs and
// the longer runs of superinst.Seqs), and proposes the pairs to add next,
// best first:
//
//	go run ./vm/internal/superinst/choose [-n 20] 'build/examples/fib-static.img 20' ...
//
// With -hot it lists the dispatches the current superinstructions make,
// by share; with -pairs N, each benchmark's N most frequent instructions
// and pairs of consecutive instructions, whatever the superinstructions
// (what the first ones were chosen from).
//
// Each argument is a static image and its arguments, one benchmark. The
// program runs single-stepped under a vm.Monitor, so give it small
// arguments. choose replays each trace the way run executes it: each
// word of the image's code starts the superinstruction the decoder would
// choose there (superinst.Tile, which the decoder calls too), which runs
// its words together when they run one after the other,
// so an instruction that runs alone and falls through to the start of the
// next dispatch is a candidate first half. A round adds the pair that saves
// the largest share of dispatches, summed over the benchmarks (each
// weighs the same, whatever its length), measured by replaying the traces
// with it, since a new pair can break an old one (its second half may be
// the first of another). Instructions that run
// leaves to exec (divisions, roundings, system calls), control transfers
// as first halves and li64 (two words) are never proposed.
package main

import (
	"cmp"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"linkvm/objfmt"
	"linkvm/vm"
	"linkvm/vm/internal/superinst"
	"linkvm/vm/isa"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "choose:", err)
		os.Exit(1)
	}
}

func run(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("choose", flag.ContinueOnError)
	fs.SetOutput(stderr)
	rounds := fs.Int("n", 20, "how many pairs to propose")
	hot := fs.Bool("hot", false, "list the dispatches by how often they run, instead")
	rawPairs := fs.Int("pairs", 0, "print each benchmark's N most frequent instructions and pairs of consecutive instructions, instead")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return errors.New("usage: choose [-n N | -hot | -pairs N] 'image.img args' [more benchmarks]")
	}
	var benches []bench
	for _, a := range fs.Args() {
		f := strings.Fields(a)
		if len(f) == 0 {
			return errors.New("an empty benchmark argument")
		}
		tr, code, err := trace(f)
		if err != nil {
			return fmt.Errorf("%s: %w", f[0], err)
		}
		benches = append(benches, bench{name: a, trace: tr, code: code})
	}
	if *rawPairs > 0 {
		for i, b := range benches {
			if i > 0 {
				fmt.Fprintln(stdout)
			}
			fmt.Fprintf(stdout, "%s: %s", b.name, pairCounts(b.trace, *rawPairs))
		}
		return nil
	}
	pairs := map[superinst.Pair]bool{}
	for _, p := range superinst.Pairs {
		pairs[p] = true
	}
	if *hot {
		hotList(stdout, benches, pairs)
		return nil
	}
	fmt.Fprintf(stdout, "with the %d superinstructions of superinst.Pairs:\n", len(pairs))
	report(stdout, benches, pairs)
	fmt.Fprintln(stdout, "\nround  pair               dispatches saved")
	for r := range *rounds {
		// The candidates' first estimate (a dispatch saved per pair
		// found) overrates a pair whose second half is now the first of
		// another: replay the best estimates with each added instead.
		estimate := map[superinst.Pair]float64{}
		base := make([]int, len(benches))
		for i, b := range benches {
			n, cand := replay(b, pairs)
			base[i] = n
			for p, c := range cand {
				estimate[p] += float64(c) / float64(n)
			}
		}
		score := map[superinst.Pair]float64{}
		for _, p := range topPairs(estimate, shortlist) {
			pairs[p] = true
			for i, b := range benches {
				n, _ := replay(b, pairs)
				score[p] += float64(base[i]-n) / float64(base[i])
			}
			delete(pairs, p)
		}
		best, ok := bestPair(score)
		if !ok || score[best] <= 0 {
			break
		}
		pairs[best] = true
		fmt.Fprintf(stdout, "%5d  %-18s %6.2f%%\n", r+1, best.First.String()+" "+best.Second.String(), 100*score[best]/float64(len(benches)))
	}
	fmt.Fprintln(stdout, "\nwith them:")
	report(stdout, benches, pairs)
	return nil
}

// bench is one benchmark's trace, every instruction it ran in order,
// and its code.
type bench struct {
	name  string
	trace []step
	code  []section
}

// section is the words of an executable section of the image, as opcodes,
// at their address.
type section struct {
	base uint64
	ops  []isa.Op
}

// step is one instruction run: its address and opcode.
type step struct {
	pc uint64
	op isa.Op
}

// tracer is a Monitor that records every instruction before it runs.
type tracer struct {
	steps []step
	word  []byte
}

// Pause records the instruction at p.PC() and asks to be called again
// before the next one.
func (t *tracer) Pause(p *vm.Process) (uint64, error) {
	pc := p.PC()
	if err := p.ReadMemory(pc, t.word); err == nil {
		t.steps = append(t.steps, step{pc, isa.Op(t.word[0])})
	}
	return 1, nil
}

// trace runs the static image args[0] with args and returns its trace and
// its code.
func trace(args []string) ([]step, []section, error) {
	img, err := objfmt.Open(args[0])
	if err != nil {
		return nil, nil, err
	}
	var code []section
	for _, sec := range img.Sections {
		if sec.Flags&objfmt.FlagExec == 0 {
			continue
		}
		c := section{base: sec.Addr}
		for k := 0; k+isa.WordSize <= len(sec.Data); k += isa.WordSize {
			c.ops = append(c.ops, isa.Op(sec.Data[k]))
		}
		code = append(code, c)
	}
	p, err := vm.Load(img, args[0], vm.Config{Args: args, Stdout: io.Discard, Stderr: io.Discard})
	if err != nil {
		return nil, nil, err
	}
	t := &tracer{word: make([]byte, isa.WordSize)}
	p.SetMonitor(t, 0)
	if _, err := p.Run(); err != nil {
		return nil, nil, err
	}
	return t.steps, code, nil
}

// tiling is how many instructions the dispatch at each address runs
// (absent: 1), as vm's decoder chooses them with pairs and
// superinst.Seqs (superinst.Tile).
func tiling(code []section, pairs map[superinst.Pair]bool) map[uint64]int {
	unit := map[uint64]int{}
	for _, c := range code {
		fits := func(k int) []int {
			var ls []int
			if k+1 < len(c.ops) {
				if p := (superinst.Pair{First: c.ops[k], Second: c.ops[k+1]}); pairs[p] && fusable(p) {
					ls = append(ls, 2)
				}
			}
			for _, ops := range superinst.Seqs {
				if k+len(ops) <= len(c.ops) && slices.Equal(c.ops[k:k+len(ops)], ops) {
					ls = append(ls, len(ops))
				}
			}
			return ls
		}
		falls := func(k int) bool { return superinst.FallsThrough(c.ops[k]) }
		for k, l := range superinst.Tile(len(c.ops), fits, falls) {
			if l > 1 {
				unit[c.base+uint64(k)*isa.WordSize] = l
			}
		}
	}
	return unit
}

// replay tiles b's trace into dispatches as run does with the
// superinstructions pairs (and superinst.Seqs), and returns how many
// there are and, per candidate pair, how many dispatches it would save
// (before the tiling changes): an instruction that runs alone and falls
// through to the next one run.
func replay(b bench, pairs map[superinst.Pair]bool) (int, map[superinst.Pair]int) {
	tr := b.trace
	unit := tiling(b.code, pairs)
	cand := map[superinst.Pair]int{}
	n := 0
	for i := 0; i < len(tr); {
		n++
		if k := unitAt(tr, i, unit); k > 1 {
			i += k
			continue
		}
		if i+1 < len(tr) && tr[i+1].pc == tr[i].pc+isa.WordSize {
			if p := (superinst.Pair{First: tr[i].op, Second: tr[i+1].op}); !pairs[p] && fusable(p) {
				cand[p]++
			}
		}
		i++
	}
	return n, cand
}

// unitAt is how many instructions of tr, from step i, the dispatch at
// its address runs: unit's length if they follow one another there, else
// 1.
func unitAt(tr []step, i int, unit map[uint64]int) int {
	k := unit[tr[i].pc]
	if k < 2 || i+k > len(tr) {
		return 1
	}
	for j := 1; j < k; j++ {
		if tr[i+j].pc != tr[i].pc+uint64(j)*isa.WordSize {
			return 1
		}
	}
	return k
}

// fusable reports whether run could run p as a superinstruction: a first
// half that falls through to the next word, neither half left to exec.
func fusable(p superinst.Pair) bool {
	switch p.First {
	case isa.JMP, isa.JR, isa.CALL, isa.CALLR, isa.RET, isa.LI64:
		return false
	}
	if p.First >= isa.BEQ && p.First <= isa.BNEZ {
		return false
	}
	return !slow(p.First) && !slow(p.Second)
}

// slow reports whether run leaves op to exec.
func slow(op isa.Op) bool {
	switch op {
	case isa.HALT, isa.TRAP, isa.SYS, isa.DIVS, isa.DIVU, isa.REMS, isa.REMU,
		isa.FFLOOR, isa.FCEIL, isa.FTRUNC:
		return true
	}
	return op >= isa.NumOps
}

// shortlist is how many of the best first estimates a round replays.
const shortlist = 24

// bestPair is the pair with the highest score, the first in opcode order
// on a tie.
func bestPair(score map[superinst.Pair]float64) (superinst.Pair, bool) {
	top := topPairs(score, 1)
	if len(top) == 0 {
		return superinst.Pair{}, false
	}
	return top[0], true
}

// topPairs are the n pairs with the highest scores, best first, in
// opcode order on a tie.
func topPairs(score map[superinst.Pair]float64, n int) []superinst.Pair {
	keys := make([]superinst.Pair, 0, len(score))
	for p := range score {
		keys = append(keys, p)
	}
	slices.SortFunc(keys, func(a, b superinst.Pair) int {
		return cmp.Or(cmp.Compare(score[b], score[a]), cmp.Compare(a.First, b.First), cmp.Compare(a.Second, b.Second))
	})
	return keys[:min(n, len(keys))]
}

// report prints each benchmark's instructions, dispatches and their ratio.
func report(w io.Writer, benches []bench, pairs map[superinst.Pair]bool) {
	for _, b := range benches {
		n, _ := replay(b, pairs)
		fmt.Fprintf(w, "  %-44s %10d instructions %10d dispatches  %.2f per dispatch\n",
			b.name, len(b.trace), n, float64(len(b.trace))/float64(n))
	}
}

// hotList prints the dispatches (an instruction, or a superinstruction's
// pair) by their share of all dispatches, averaged over the benchmarks.
func hotList(w io.Writer, benches []bench, pairs map[superinst.Pair]bool) {
	share := map[string]float64{}
	for _, b := range benches {
		tr := b.trace
		unit := tiling(b.code, pairs)
		units := map[string]int{}
		n := 0
		for i := 0; i < len(tr); {
			n++
			k := unitAt(tr, i, unit)
			var ops []string
			for _, st := range tr[i : i+k] {
				ops = append(ops, st.op.String())
			}
			units[strings.Join(ops, "+")]++
			i += k
		}
		for u, c := range units {
			share[u] += float64(c) / float64(n) / float64(len(benches))
		}
	}
	keys := make([]string, 0, len(share))
	for k := range share {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int { return cmp.Or(cmp.Compare(share[b], share[a]), cmp.Compare(a, b)) })
	for _, k := range keys {
		fmt.Fprintf(w, "%-16s %6.2f%%\n", k, 100*share[k])
	}
}
