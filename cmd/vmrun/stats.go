package main

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"sync"

	"linkvm/dynld"
	"linkvm/objfmt"
	"linkvm/vm"
)

// stats records every process the host loads, for the report --stats
// prints once they have all ended.
type stats struct {
	mu    sync.Mutex
	procs []*vm.Process
}

// add records p; it is safe to call from the loader of any process.
func (s *stats) add(p *vm.Process) {
	s.mu.Lock()
	s.procs = append(s.procs, p)
	s.mu.Unlock()
}

// moduleStats is one module file's line of the report: the sum over the
// processes that mapped the same parsed file.
type moduleStats struct {
	name, path string
	first      int // the lowest pid that mapped it: the tie-breaker
	procs      int
	shared     uint64 // read-only section bytes, counted once
	private    uint64 // writable section bytes, summed over the processes
	bindings   int    // resolved bindings, summed over the processes
}

// write prints the report (docs/linking.md, "Seeing the sharing"): one
// line per module file, sorted by name, then path; a total; then one line
// per process, sorted by pid. Call it after every process has ended.
func (s *stats) write(w io.Writer) {
	s.mu.Lock()
	procs := slices.Clone(s.procs)
	s.mu.Unlock()
	slices.SortFunc(procs, func(a, b *vm.Process) int { return cmp.Compare(a.ID(), b.ID()) })

	byFile := map[*objfmt.File]*moduleStats{}
	var mods []*moduleStats
	for _, p := range procs {
		for _, m := range p.Modules() {
			ms := byFile[m.File]
			if ms == nil {
				ms = &moduleStats{name: m.Name, path: m.Path, first: p.ID()}
				ms.shared, _ = m.Footprint()
				byFile[m.File] = ms
				mods = append(mods, ms)
			}
			_, private := m.Footprint()
			ms.procs++
			ms.private += private
			ms.bindings += dynld.Bindings(p, m)
		}
	}
	slices.SortFunc(mods, func(a, b *moduleStats) int {
		return cmp.Or(strings.Compare(a.name, b.name), strings.Compare(a.path, b.path), cmp.Compare(a.first, b.first))
	})

	fmt.Fprintf(w, "vmrun: stats: %d processes, %d module files\n", len(procs), len(mods))
	rows := [][]string{{"module", "procs", "shared", "private", "bindings"}}
	var shared, private uint64
	var bindings int
	for _, m := range mods {
		rows = append(rows, []string{m.name, itoa(m.procs), utoa(m.shared), utoa(m.private), itoa(m.bindings)})
		shared += m.shared
		private += m.private
		bindings += m.bindings
	}
	rows = append(rows, []string{"total", itoa(len(procs)), utoa(shared), utoa(private), itoa(bindings)})
	table(w, rows)
	fmt.Fprintln(w)
	rows = [][]string{{"pid", "steps", "image"}}
	for _, p := range procs {
		name := "?"
		if m := p.Main(); m != nil {
			name = m.Name
		}
		rows = append(rows, []string{itoa(p.ID()), strconv.FormatUint(p.Steps(), 10), name})
	}
	table(w, rows)
}

// table prints rows in columns two spaces apart: the first column (and a
// last column of names) left-aligned, the numbers right-aligned.
func table(w io.Writer, rows [][]string) {
	widths := make([]int, len(rows[0]))
	for _, r := range rows {
		for i, c := range r {
			widths[i] = max(widths[i], len(c))
		}
	}
	last := len(widths) - 1
	for _, r := range rows {
		var b strings.Builder
		for i, c := range r {
			if i > 0 {
				b.WriteString("  ")
			}
			switch {
			case i == last && len(rows) > 1 && !isNumber(rows[1][i]):
				b.WriteString(c)
			case i == 0:
				fmt.Fprintf(&b, "%-*s", widths[i], c)
			default:
				fmt.Fprintf(&b, "%*s", widths[i], c)
			}
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
}

// isNumber reports whether s is a decimal number.
func isNumber(s string) bool {
	_, err := strconv.ParseUint(s, 10, 64)
	return err == nil
}

// itoa formats an int.
func itoa(n int) string { return strconv.Itoa(n) }

// utoa formats a uint64.
func utoa(n uint64) string { return strconv.FormatUint(n, 10) }
