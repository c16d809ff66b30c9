package dbg

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"

	"linkvm/dynld"
	"linkvm/vm"
	"linkvm/vm/isa"
)

// The commands that look at the stopped program: info, backtrace, print,
// set.

// env is the environment expressions are evaluated in: the process's
// registers and memory if it can be inspected, the symbols either way.
func (s *Session) env() env {
	p, _ := s.alive()
	return procEnv{s, p}
}

// formatValue shows a value: "42 (0x2a)", or "0x10050 <fib>" when it is
// an address a symbol names.
func (s *Session) formatValue(v uint64) string {
	if l := s.syms.label(v); l != "" {
		return fmt.Sprintf("%#x <%s>", v, l)
	}
	return fmt.Sprintf("%d (%#x)", int64(v), v)
}

// cmdInfo is info registers|breakpoints|sharedlibrary|symbol.
func (s *Session) cmdInfo(args string) error {
	sub, rest, _ := strings.Cut(args, " ")
	rest = strings.TrimSpace(rest)
	type info struct {
		name, alias string
		run         func(string) error
	}
	infos := []info{
		{"registers", "r", s.infoRegisters},
		{"breakpoints", "b", func(string) error { return s.infoBreakpoints() }},
		{"watchpoints", "", func(string) error { return s.infoBreakpoints() }},
		{"sharedlibrary", "dll", func(string) error { return s.infoShared() }},
		{"symbol", "", s.infoSymbol},
	}
	if sub == "" {
		return errors.New("info what? registers, breakpoints, sharedlibrary or symbol")
	}
	var found []info
	for _, in := range infos {
		if in.name == sub || in.alias == sub {
			return in.run(rest)
		}
		if strings.HasPrefix(in.name, sub) {
			found = append(found, in)
		}
	}
	if len(found) != 1 {
		return fmt.Errorf("info %s: the choices are registers, breakpoints, sharedlibrary and symbol", sub)
	}
	return found[0].run(rest)
}

// infoRegisters is info registers [REG...]: name, hex, decimal (or, for
// pc and lr, the address named).
func (s *Session) infoRegisters(args string) error {
	p, err := s.alive()
	if err != nil {
		return err
	}
	regs := p.Regs()
	var which []int
	if args == "" {
		for r := range isa.NumRegs {
			which = append(which, r)
		}
		which = append(which, regPC)
	}
	for _, f := range strings.Fields(args) {
		r, ok := regNumber(strings.TrimPrefix(f, "$"))
		if !ok {
			return fmt.Errorf("no register %s (the registers are r0..r27, ip, fp, lr, sp and pc)", f)
		}
		which = append(which, r)
	}
	for _, r := range which {
		v := p.PC()
		if r != regPC {
			v = regs[r]
		}
		natural := strconv.FormatInt(int64(v), 10)
		if r == regPC || r == isa.RegLR {
			natural = fmt.Sprintf("%#x", v)
			if l := s.syms.label(v); l != "" {
				natural += " <" + l + ">"
			}
		}
		s.printf("%-4s %-18s %s\n", regName(r), fmt.Sprintf("%#x", v), natural)
	}
	return nil
}

// infoShared is info sharedlibrary: every module mapped, with the
// addresses it spans and how many of its symbol bindings are resolved.
func (s *Session) infoShared() error {
	if _, err := s.alive(); err != nil {
		return err
	}
	w := tabwriter.NewWriter(s.out, 0, 8, 2, ' ', 0)
	fmt.Fprintln(w, "From\tTo\tBound\tModule")
	for _, m := range s.syms.mods {
		lo, hi := m.extent()
		bound := "-"
		if total := dynld.BindingTotal(m.vm); total > 0 {
			bound = fmt.Sprintf("%d/%d", dynld.Bindings(s.proc, m.vm), total)
		}
		name := m.vm.Name
		if !m.exe {
			name = m.name + " (" + m.vm.Path + ")"
		}
		fmt.Fprintf(w, "%#x\t%#x\t%s\t%s\n", lo, hi, bound, name)
	}
	return w.Flush()
}

// infoSymbol is info symbol ADDRESS: the symbol, section and module.
func (s *Session) infoSymbol(args string) error {
	n, err := parseExpr(args)
	if err != nil {
		return err
	}
	addr, err := n.eval(s.env())
	if err != nil {
		return err
	}
	sec := s.syms.section(addr)
	if sec == nil {
		return fmt.Errorf("no module holds %#x", addr)
	}
	s.printf("%s is %s in section %s of %s\n", fmt.Sprintf("%#x", addr), s.syms.name(addr), sec.sec.Name, sec.mod.vm.Name)
	return nil
}

// cmdBacktrace is backtrace: the frames from the stopped instruction out.
func (s *Session) cmdBacktrace(args string) error {
	if args != "" {
		return errors.New("backtrace takes no arguments")
	}
	p, err := s.alive()
	if err != nil {
		return err
	}
	for i, pc := range s.backtrace(p) {
		s.printf("#%-2d %#x in %s\n", i, pc, s.syms.locate(pc))
	}
	return nil
}

// backtrace returns the pcs of the program's frames, innermost first:
// the VM's backtrace, which ends at the function of the executable's
// entry point, since by the ABI nothing called it (whatever lr still
// holds there).
func (s *Session) backtrace(p *vm.Process) []uint64 {
	var entry *symbol
	for _, m := range s.syms.mods {
		if m.exe {
			if sec := m.section(m.File().Entry); sec != nil {
				entry = sec.symbolAt(m.File().Entry)
			}
		}
	}
	var pcs []uint64
	for _, f := range p.Backtrace() {
		pcs = append(pcs, f.PC)
		if entry != nil && s.syms.locate(f.PC).fn == entry {
			break
		}
	}
	return pcs
}

// cmdPrint is print [/x|/d|/u] EXPRESSION. A bare symbol of data also
// shows what it holds.
func (s *Session) cmdPrint(args string) error {
	format := ""
	if rest, ok := strings.CutPrefix(args, "/"); ok {
		format, args, _ = strings.Cut(rest, " ")
		if format != "x" && format != "d" && format != "u" {
			return fmt.Errorf("print/%s: the formats are /x, /d and /u", format)
		}
	}
	n, err := parseExpr(strings.TrimSpace(args))
	if err != nil {
		return err
	}
	v, err := n.eval(s.env())
	if err != nil {
		return err
	}
	var text string
	switch format {
	case "x":
		text = fmt.Sprintf("%#x", v)
	case "d":
		text = strconv.FormatInt(int64(v), 10)
	case "u":
		text = strconv.FormatUint(v, 10)
	default:
		text = s.formatValue(v)
	}
	s.printf("%s = %s\n", n.text, text)
	if n.isSym && format == "" {
		if sym := s.syms.lookup(n.name); sym != nil && !sym.sec.exec {
			s.printData(sym)
		}
	}
	return nil
}

// printData shows what a data symbol holds: an integer of its size (1, 2,
// 4 or 8 bytes, 8 if unknown), else a string if it holds one, else its
// first bytes.
func (s *Session) printData(sym *symbol) {
	p, err := s.alive()
	if err != nil {
		return // only the address, which the symbol table gives
	}
	size := sym.size
	if size == 0 {
		size = 8
	}
	at := fmt.Sprintf("%s: %d bytes at %#x", sym.name, size, sym.addr)
	b := make([]byte, min(size, 64))
	if err := p.ReadMemory(sym.addr, b); err != nil {
		s.printf("%s: cannot be read: %v\n", at, err)
		return
	}
	switch size {
	case 1, 2, 4, 8:
		var v uint64
		for i := len(b) - 1; i >= 0; i-- {
			v = v<<8 | uint64(b[i])
		}
		s.printf("%s = %d (%#x)\n", at, int64(v), v)
		return
	}
	if i := strings.IndexByte(string(b), 0); i >= 0 && printable(b[:i]) {
		s.printf("%s = %q\n", at, b[:i])
		return
	}
	more := ""
	if uint64(len(b)) < size {
		more = " ..."
	}
	s.printf("%s = {% x%s}\n", at, b, more)
}

// printable reports whether b is printable ASCII text (tabs and newlines
// included).
func printable(b []byte) bool {
	for _, c := range b {
		if (c < ' ' || c > '~') && c != '\n' && c != '\t' {
			return false
		}
	}
	return true
}

// cmdSet is set [var] $REGISTER = EXPRESSION.
func (s *Session) cmdSet(args string) error {
	args = strings.TrimPrefix(args, "var ")
	lhs, rhs, ok := strings.Cut(args, "=")
	if !ok {
		return errors.New("set needs $REGISTER = EXPRESSION")
	}
	lhs = strings.TrimSpace(lhs)
	r, ok := regNumber(strings.TrimPrefix(lhs, "$"))
	if !ok {
		return fmt.Errorf("set %s: only registers can be set ($r0..$r27, $ip, $fp, $lr, $sp)", lhs)
	}
	if r == regPC {
		return errors.New("set $pc: the program counter cannot be set")
	}
	p, err := s.running()
	if err != nil {
		return err
	}
	n, err := parseExpr(strings.TrimSpace(rhs))
	if err != nil {
		return err
	}
	v, err := n.eval(s.env())
	if err != nil {
		return err
	}
	p.SetReg(r, v)
	s.printf("$%s = %s\n", regName(r), s.formatValue(v))
	return nil
}
