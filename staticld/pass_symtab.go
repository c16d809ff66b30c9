package staticld

import (
	"runtime"
	"sync"
	"sync/atomic"

	"linkvm/objfmt"
)

// symtabPass writes the image's symbol table: every defined symbol of every
// loaded module, locals included (so that traps and disassembly can name
// them), except section symbols, symbols of discarded or removed sections
// and global or weak definitions that lost to another. Modules come in
// objs order, then symbols in file order. Values become addresses and
// section indices refer to the image's sections; a symbol of an empty,
// left-out section becomes absolute.
func symtabPass(l *linker) {
	// Each module's kept symbols are listed, then written to their place,
	// spread over the CPUs.
	kept := make([][]int32, len(l.objs))
	starts := make([]int, len(l.objs)+1)
	parallelN(len(l.objs), 64, func(k int) {
		o := l.objs[k]
		var idx []int32
		for i := range o.file.Symbols {
			if l.keepSymbol(o, i) {
				idx = append(idx, int32(i))
			}
		}
		kept[k] = idx
		starts[k+1] = len(idx)
	})
	for k := range l.objs {
		starts[k+1] += starts[k]
	}
	syms := make([]objfmt.Symbol, starts[len(l.objs)])
	parallelN(len(l.objs), 64, func(k int) {
		o := l.objs[k]
		dst := syms[starts[k]:starts[k+1]]
		for j, i := range kept[k] {
			s := o.file.Symbols[i]
			if s.Section >= 0 {
				switch out := o.secOut[s.Section]; out {
				case secEmpty:
					s.Value += o.secAddr[s.Section]
					s.Section = objfmt.SecAbs
				default:
					s.Value += o.secAddr[s.Section]
					s.Section = int(out)
				}
			}
			dst[j] = s
		}
	})
	l.out.Symbols = syms
}

// parallelN calls f(k) for every k in [0, n), spread over the CPUs in runs
// of chunk consecutive indices, and returns when all calls have.
func parallelN(n, chunk int, f func(k int)) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), (n+chunk-1)/chunk) {
		wg.Go(func() {
			for {
				from := int(next.Add(int64(chunk))) - chunk
				if from >= n {
					return
				}
				for k := from; k < min(from+chunk, n); k++ {
					f(k)
				}
			}
		})
	}
	wg.Wait()
}

// keepSymbol reports whether symbol i of o goes into the image's symbol
// table (see symtabPass).
func (l *linker) keepSymbol(o *object, i int) bool {
	s := &o.file.Symbols[i]
	if !isDefined(s) || s.Type == objfmt.SymSection {
		return false
	}
	if id := o.gids[i]; id != noSym && l.syms[id].def != (symRef{obj: o.idx, sym: int32(i)}) {
		return false
	}
	if s.Section >= 0 {
		if out := o.secOut[s.Section]; out == secDiscarded || out == secGC {
			return false
		}
	}
	return true
}
