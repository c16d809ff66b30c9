package dbg

import (
	"encoding/binary"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"text/tabwriter"

	"linkvm/vm"
	"linkvm/vm/isa"
)

// breakpoint is a breakpoint or a watchpoint; they share one numbering,
// as in gdb.
type breakpoint struct {
	num  int
	temp bool   // deleted when hit (tbreak, start)
	spec string // the location as given: "fib", "fib.s:30", "*0x10040"
	cond *node  // stop only if it is not 0; nil for always
	hits int

	// A breakpoint's address, once its location names something in the
	// loaded modules; a symbol that none defines yet leaves it pending
	// until a dlopen brings one that does.
	addr     uint64
	resolved bool

	// A watchpoint watches size bytes at addr (always resolved); old is
	// their value when last looked at (oldOK false if unreadable).
	watch bool
	size  int
	old   uint64
	oldOK bool
}

// kind is the breakpoint's kind as messages say it.
func (bp *breakpoint) kind() string {
	switch {
	case bp.watch:
		return "Watchpoint"
	case bp.temp:
		return "Temporary breakpoint"
	}
	return "Breakpoint"
}

// resolveCode is resolve for a breakpoint, whose address must be an
// instruction.
func (s *Session) resolveCode(spec string) (addr uint64, pending bool, err error) {
	addr, pending, err = s.resolve(spec)
	if err != nil || pending {
		return addr, pending, err
	}
	sec := s.syms.section(addr)
	switch {
	case sec == nil:
		return 0, false, fmt.Errorf("%s: no module holds %#x", spec, addr)
	case !sec.exec || addr%isa.WordSize != 0:
		return 0, false, fmt.Errorf("%s: %#x is not an instruction (it is in %s of %s)", spec, addr, sec.sec.Name, sec.mod.name)
	}
	return addr, false, nil
}

// resolve finds the address of a location: *EXPR (an address),
// FILE:LINE, LINE (in the current source file), or a symbol, "mod:sym"
// naming its module. pending is set when the location is a symbol no
// loaded module defines.
func (s *Session) resolve(spec string) (addr uint64, pending bool, err error) {
	if rest, ok := strings.CutPrefix(spec, "*"); ok {
		n, err := parseExpr(rest)
		if err != nil {
			return 0, false, err
		}
		addr, err := n.eval(s.env())
		return addr, false, err
	}
	if strings.HasPrefix(spec, "0x") {
		v, err := strconv.ParseUint(spec, 0, 64)
		if err != nil {
			return 0, false, fmt.Errorf("bad address %s", spec)
		}
		return v, false, nil
	}
	file, lineText, hasFile := cutLast(spec, ":")
	if !hasFile {
		file, lineText = "", spec
	}
	if line, err := strconv.ParseUint(lineText, 10, 32); err == nil {
		if !hasFile {
			file = s.currentFile()
			if file == "" {
				return 0, false, errors.New("no current source file: name one, as in break fib.s:12")
			}
		}
		if line == 0 {
			return 0, false, fmt.Errorf("there is no line 0 (lines start at 1)")
		}
		if _, ok := s.syms.fileName(file); !ok {
			return 0, false, fmt.Errorf("no source file named %s in the line tables of the loaded modules", file)
		}
		a, _, ok := s.syms.lineAddr(file, uint32(line))
		if !ok {
			return 0, false, fmt.Errorf("%s has no code at line %d or after it", file, line)
		}
		return a, false, nil
	}
	if sym := s.syms.lookup(spec); sym != nil {
		return sym.addr, false, nil
	}
	if !validSymbol(spec) {
		return 0, false, fmt.Errorf("bad location %q: give a symbol, FILE:LINE, LINE or *ADDRESS", spec)
	}
	return 0, true, nil
}

// cutLast is strings.Cut at the last sep.
func cutLast(s, sep string) (before, after string, found bool) {
	if i := strings.LastIndex(s, sep); i >= 0 {
		return s[:i], s[i+len(sep):], true
	}
	return s, "", false
}

// validSymbol reports whether name could be a symbol ("mod:sym" too).
func validSymbol(name string) bool {
	if name == "" {
		return false
	}
	for i := 0; i < len(name); i++ {
		if c := name[i]; !isWordByte(c) && c != ':' && c != '$' {
			return false
		}
	}
	return true
}

// ifRE finds the "if" that starts a breakpoint's condition.
var ifRE = regexp.MustCompile(`(^|\s)if(\s|$)`)

// addBreakpoint is break and tbreak: LOCATION [if CONDITION].
func (s *Session) addBreakpoint(args string, temp bool) error {
	spec, condText, hasCond := args, "", false
	if m := ifRE.FindStringIndex(args); m != nil {
		spec, condText, hasCond = args[:m[0]], args[m[1]:], true
	}
	spec = strings.TrimSpace(spec)
	bp := &breakpoint{temp: temp, spec: spec}
	if hasCond {
		cond, err := parseExpr(strings.TrimSpace(condText))
		if err != nil {
			return fmt.Errorf("condition: %v", err)
		}
		bp.cond = cond
	}
	if spec == "" {
		p, err := s.alive()
		if err != nil {
			return fmt.Errorf("break needs a location when the program is not stopped: %v", err)
		}
		bp.spec = fmt.Sprintf("*%#x", p.PC())
	}
	addr, pending, err := s.resolveCode(bp.spec)
	if err != nil {
		return err
	}
	bp.num = s.nextBP
	s.nextBP++
	s.bps = append(s.bps, bp)
	if pending {
		s.printf("%s %d (%s) pending: no loaded module defines %s yet\n", bp.kind(), bp.num, bp.spec, bp.spec)
	} else {
		bp.addr, bp.resolved = addr, true
		s.printf("%s %d at %#x: %s\n", bp.kind(), bp.num, addr, s.syms.locate(addr))
	}
	s.indexBreakpoints()
	return nil
}

// addWatchpoint is watch[/SIZE] [*]EXPRESSION: the SIZE (1, 2, 4 or 8)
// bytes at the expression's value; without /SIZE, the size of the data
// object a bare symbol names if it is one of those, else 8.
func (s *Session) addWatchpoint(args string) error {
	size := 0
	if rest, ok := strings.CutPrefix(args, "/"); ok {
		n, expr, _ := strings.Cut(rest, " ")
		v, err := strconv.Atoi(n)
		if err != nil || v != 1 && v != 2 && v != 4 && v != 8 {
			return fmt.Errorf("watch/%s: the size is 1, 2, 4 or 8 bytes", n)
		}
		size, args = v, expr
	}
	// watch *ADDRESS, as in gdb (and break *ADDRESS), is watch ADDRESS.
	args = strings.TrimPrefix(strings.TrimSpace(args), "*")
	n, err := parseExpr(args)
	if err != nil {
		return err
	}
	addr, err := n.eval(s.env())
	if err != nil {
		return err
	}
	if size == 0 {
		size = 8
		if n.isSym {
			if sym := s.syms.lookup(n.name); sym != nil && !sym.fn && (sym.size == 1 || sym.size == 2 || sym.size == 4) {
				size = int(sym.size)
			}
		}
	}
	bp := &breakpoint{num: s.nextBP, spec: args, watch: true, size: size, addr: addr, resolved: true}
	s.nextBP++
	if p, err := s.alive(); err == nil {
		bp.old, bp.oldOK = s.readWatched(p, bp)
	}
	s.bps = append(s.bps, bp)
	s.printf("Watchpoint %d: %s\n", bp.num, s.watchedWhat(bp))
	return nil
}

// watchedWhat describes what a watchpoint watches:
// "0x12000 <counter> (8 bytes)".
func (s *Session) watchedWhat(bp *breakpoint) string {
	what := fmt.Sprintf("%#x", bp.addr)
	if l := s.syms.label(bp.addr); l != "" {
		what += " <" + l + ">"
	}
	return fmt.Sprintf("%s (%d bytes)", what, bp.size)
}

// readWatched reads the value a watchpoint watches.
func (s *Session) readWatched(p *vm.Process, bp *breakpoint) (uint64, bool) {
	var b [8]byte
	if p.ReadMemory(bp.addr, b[:bp.size]) != nil {
		return 0, false
	}
	return binary.LittleEndian.Uint64(b[:]), true
}

// deleteBreakpoints is delete [N...]: all of them without numbers.
func (s *Session) deleteBreakpoints(args string) error {
	if args == "" {
		s.bps = nil
		s.indexBreakpoints()
		return nil
	}
	drop := map[int]bool{}
	for _, f := range strings.Fields(args) {
		n, err := strconv.Atoi(f)
		if err != nil || s.breakpoint(n) == nil {
			return fmt.Errorf("no breakpoint number %s", f)
		}
		drop[n] = true
	}
	s.removeBreakpoints(drop)
	return nil
}

// removeBreakpoints deletes the breakpoints with the given numbers.
func (s *Session) removeBreakpoints(drop map[int]bool) {
	var keep []*breakpoint
	for _, bp := range s.bps {
		if !drop[bp.num] {
			keep = append(keep, bp)
		}
	}
	s.bps = keep
	s.indexBreakpoints()
}

// breakpoint returns breakpoint number n, or nil.
func (s *Session) breakpoint(n int) *breakpoint {
	for _, bp := range s.bps {
		if bp.num == n {
			return bp
		}
	}
	return nil
}

// resolveAll resolves the breakpoints' locations again in the current
// modules (a new process, a dlopen or a dlclose) and reads the
// watchpoints' values afresh. It returns the breakpoints that were
// pending and now are not.
func (s *Session) resolveAll() []*breakpoint {
	var now []*breakpoint
	for _, bp := range s.bps {
		if bp.watch {
			if s.proc != nil {
				bp.old, bp.oldOK = s.readWatched(s.proc, bp)
			}
			continue
		}
		addr, pending, err := s.resolveCode(bp.spec)
		was := bp.resolved
		bp.addr, bp.resolved = addr, err == nil && !pending
		if bp.resolved && !was {
			now = append(now, bp)
		}
	}
	s.indexBreakpoints()
	return now
}

// reportResolved says which pending breakpoints now have an address.
func (s *Session) reportResolved(now []*breakpoint) {
	for _, bp := range now {
		s.printf("%s %d resolved at %#x: %s\n", bp.kind(), bp.num, bp.addr, s.syms.locate(bp.addr))
	}
}

// indexBreakpoints rebuilds bpAt, which the monitor looks up.
func (s *Session) indexBreakpoints() {
	s.bpAt = map[uint64][]*breakpoint{}
	for _, bp := range s.bps {
		if !bp.watch && bp.resolved {
			s.bpAt[bp.addr] = append(s.bpAt[bp.addr], bp)
		}
	}
}

// infoBreakpoints is info breakpoints: a table of them all.
func (s *Session) infoBreakpoints() error {
	if len(s.bps) == 0 {
		s.printf("No breakpoints or watchpoints.\n")
		return nil
	}
	w := tabwriter.NewWriter(s.out, 0, 8, 2, ' ', 0)
	fmt.Fprintln(w, "Num\tType\tAddress\tHits\tWhat")
	for _, bp := range s.bps {
		typ, addr, what := "breakpoint", "<pending>", bp.spec
		switch {
		case bp.watch:
			typ, addr, what = "watchpoint", fmt.Sprintf("%#x", bp.addr), s.watchedWhat(bp)
		case bp.resolved:
			addr, what = fmt.Sprintf("%#x", bp.addr), s.syms.locate(bp.addr).String()
		}
		if bp.temp {
			typ = "tbreak"
		}
		fmt.Fprintf(w, "%d\t%s\t%s\t%d\t%s\n", bp.num, typ, addr, bp.hits, what)
		if bp.cond != nil {
			fmt.Fprintf(w, "\t\t\t\tstop only if %s\n", bp.cond.text)
		}
	}
	return w.Flush()
}
