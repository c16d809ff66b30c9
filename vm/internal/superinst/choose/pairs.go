package main

import (
	"cmp"
	"fmt"
	"slices"

	"linkvm/vm/isa"
)

// pairCounts is a benchmark's raw counts, whatever the superinstructions:
// how often it runs each instruction, and each pair of consecutive
// instructions (the second at the word after the first), the measure
// the first superinstructions were chosen from (docs/performance.md).
func pairCounts(tr []step, top int) string {
	ops := map[isa.Op]uint64{}
	pairs := map[[2]isa.Op]uint64{}
	for i, st := range tr {
		ops[st.op]++
		if i > 0 && st.pc == tr[i-1].pc+isa.WordSize {
			pairs[[2]isa.Op{tr[i-1].op, st.op}]++
		}
	}
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
	var opList, pairList []entry
	for op, n := range ops {
		opList = append(opList, entry{op.String(), n})
	}
	for pr, n := range pairs {
		pairList = append(pairList, entry{pr[0].String() + " " + pr[1].String(), n})
	}
	n := float64(len(tr))
	out := fmt.Sprintf("%d instructions\n\ninstruction       share\n", len(tr))
	for _, e := range sorted(opList) {
		out += fmt.Sprintf("%-16s %5.1f%%\n", e.name, 100*float64(e.count)/n)
	}
	out += "\npair              share\n"
	for _, e := range sorted(pairList) {
		out += fmt.Sprintf("%-16s %5.1f%%\n", e.name, 100*float64(e.count)/n)
	}
	return out
}
