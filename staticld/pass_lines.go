package staticld

import (
	"runtime"
	"sync"

	"linkvm/objfmt"
)

// linesPass merges the line tables of each output section's inputs, in
// placement order, with offsets rebased to the output section. The result
// stays sorted because inputs are placed at increasing offsets. Inputs are
// copied in parallel: each knows where its entries go.
func linesPass(l *linker) {
	for _, out := range l.outs {
		starts := make([]int, len(out.inputs)+1)
		for k, p := range out.inputs {
			starts[k+1] = starts[k] + len(p.obj.file.Sections[p.sec].Lines)
		}
		n := starts[len(out.inputs)]
		if n == 0 {
			continue
		}
		lines := make([]objfmt.Line, n)
		copyLines := func(from, to int) {
			for k := from; k < to; k++ {
				p := out.inputs[k]
				dst := lines[starts[k]:starts[k+1]]
				for j, ln := range p.obj.file.Sections[p.sec].Lines {
					ln.Offset += p.off
					dst[j] = ln
				}
			}
		}
		nw := min(runtime.GOMAXPROCS(0), max(1, n/100000))
		var wg sync.WaitGroup
		k := 0
		for w := range nw {
			from := k
			for k < len(out.inputs) && (w == nw-1 || starts[k] < n*(w+1)/nw) {
				k++
			}
			to := k
			wg.Go(func() { copyLines(from, to) })
		}
		wg.Wait()
		out.sec.Lines = lines
	}
}
