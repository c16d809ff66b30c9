package dynld

import (
	"strings"

	"linkvm/vm"
)

// debug writes VM_DEBUG output, formatted like glibc's LD_DEBUG: each line
// starts with the process id right-aligned in 5 columns, a colon and a
// tab. Only what the categories ask for is written; with no process (Tree)
// nothing is.
type debug struct {
	p                             *vm.Process
	onLibs, onBindings, onSymbols bool
}

// newDebug parses VM_DEBUG's comma-separated categories (libs, bindings,
// symbols, all) for process p. An unknown category gets a warning line.
func newDebug(spec string, p *vm.Process) debug {
	d := debug{p: p}
	if p == nil {
		return d
	}
	for _, c := range strings.Split(spec, ",") {
		switch strings.TrimSpace(c) {
		case "":
		case "libs":
			d.onLibs = true
		case "bindings":
			d.onBindings = true
		case "symbols":
			d.onSymbols = true
		case "all":
			d.onLibs, d.onBindings, d.onSymbols = true, true, true
		default:
			d.printf("warning: debug option '%s' unknown; try VM_DEBUG=all", strings.TrimSpace(c))
		}
	}
	return d
}

// printf writes one line with the process prefix.
func (d *debug) printf(format string, args ...any) {
	d.p.Debugf("%5d:\t"+format, append([]any{d.p.ID()}, args...)...)
}

// libs writes a line of the libs category (search, load addresses, init
// and fini calls).
func (d *debug) libs(format string, args ...any) {
	if d.onLibs {
		d.printf(format, args...)
	}
}

// binding writes the bindings line for a symbol reference from module
// from resolved to module to.
func (d *debug) binding(from, to *module, sym string) {
	if d.onBindings {
		d.printf("binding file %s [0] to %s [0]: normal symbol '%s'", from.name, to.name, sym)
	}
}

// lookup writes the symbols line for looking sym up in module m.
func (d *debug) lookup(sym string, m *module) {
	if d.onSymbols {
		d.printf("symbol=%s;  lookup in file=%s [0]", sym, m.name)
	}
}
