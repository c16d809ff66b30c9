package dbg

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"linkvm/vm"
)

// The commands that start, resume and end the program, and the reports
// of where it stopped or how it ended.

// cmdRun is run [ARGS...] [< FILE]: (re)start the program and let it run.
func (s *Session) cmdRun(args string) error {
	if err := s.restart(args); err != nil {
		return err
	}
	if s.state != stateLoaded {
		s.reportEnd()
		return nil
	}
	s.printf("Starting program: %s\n", s.argsString())
	s.resume(resumeCmd{mode: modeContinue, checkHere: true})
	return nil
}

// cmdStart is start [ARGS...] [< FILE]: run to main, with a temporary
// breakpoint there; a program without main stops at its first
// instruction.
func (s *Session) cmdStart(args string) error {
	if err := s.restart(args); err != nil {
		return err
	}
	if s.state != stateLoaded {
		s.reportEnd()
		return nil
	}
	if s.syms.lookup("main") == nil {
		s.printf("Starting program: %s\n", s.argsString())
		s.state = stateStopped
		s.reportStop(stop{})
		return nil
	}
	if err := s.addBreakpoint("main", true); err != nil {
		return err
	}
	s.printf("Starting program: %s\n", s.argsString())
	s.resume(resumeCmd{mode: modeContinue, checkHere: true})
	return nil
}

// restart makes the program ready to run: with new arguments (if args
// gives any) or after it has run, a new process; else the one loaded and
// held at its first instruction.
func (s *Session) restart(args string) error {
	newArgs := args != ""
	if newArgs {
		argv, stdin, err := splitArgs(args)
		if err != nil {
			return err
		}
		if stdin != "" {
			f, err := os.Open(stdin)
			if err != nil {
				return fmt.Errorf("the program's standard input: %v", err)
			}
			f.Close()
		}
		s.args, s.stdinFile = argv, stdin
	}
	if s.state == stateLoaded && !newArgs {
		return nil
	}
	s.kill()
	if err := s.start(); err != nil {
		s.state = stateNone
		return err
	}
	return nil
}

// splitArgs splits run's arguments as a shell would, simply: blanks
// separate words, quotes ('...' or "...") group them, and "< FILE" (or
// "<FILE") names the program's standard input.
func splitArgs(line string) (args []string, stdin string, err error) {
	var words []string
	var cur strings.Builder
	inWord, redirect := false, false
	var quote byte
	flush := func() {
		if inWord {
			words = append(words, cur.String())
			cur.Reset()
			inWord = false
		}
	}
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			} else {
				cur.WriteByte(c)
			}
		case c == '\'' || c == '"':
			quote, inWord = c, true
		case c == ' ' || c == '\t':
			flush()
		case c == '<' && !inWord:
			flush()
			words = append(words, "<")
		default:
			cur.WriteByte(c)
			inWord = true
		}
	}
	if quote != 0 {
		return nil, "", fmt.Errorf("unterminated %c quote in %q", quote, line)
	}
	flush()
	for i := 0; i < len(words); i++ {
		if words[i] != "<" {
			args = append(args, words[i])
			continue
		}
		if redirect || i+1 >= len(words) || words[i+1] == "<" {
			return nil, "", errors.New("< needs one file for the program's standard input")
		}
		redirect = true
		stdin = words[i+1]
		i++
	}
	return args, stdin, nil
}

// cmdContinue lets the stopped program go on.
func (s *Session) cmdContinue(args string) error {
	if args != "" {
		return errors.New("continue takes no arguments")
	}
	if _, err := s.running(); err != nil {
		return err
	}
	s.resume(resumeCmd{mode: modeContinue})
	return nil
}

// stepper returns the command for step, next, stepi or nexti.
func stepper(mode runMode) func(s *Session, args string) error {
	return func(s *Session, args string) error {
		n, err := count(args)
		if err != nil {
			return err
		}
		if _, err := s.running(); err != nil {
			return err
		}
		s.resume(resumeCmd{mode: mode, count: n})
		return nil
	}
}

// cmdFinish runs until the function of frame 0 returns.
func (s *Session) cmdFinish(args string) error {
	if args != "" {
		return errors.New("finish takes no arguments")
	}
	p, err := s.running()
	if err != nil {
		return err
	}
	if len(s.backtrace(p)) < 2 {
		return errors.New("finish: the outermost function has no caller to return to")
	}
	s.printf("Run till exit from #0 %s\n", s.syms.locate(p.PC()))
	s.resume(resumeCmd{mode: modeFinish})
	return nil
}

// cmdKill ends the program.
func (s *Session) cmdKill(args string) error {
	if args != "" {
		return errors.New("kill takes no arguments")
	}
	if !s.kill() {
		return errors.New("the program is not being run")
	}
	s.printf("[program killed]\n")
	return nil
}

// reportStop tells where the program stopped and why.
func (s *Session) reportStop(st stop) {
	p := s.proc
	pc := p.PC()
	loc := s.syms.locate(pc)
	locLine := s.last == nil || !s.last.sameFunction(loc) || s.mon.cmd.mode == modeFinish
	for _, h := range st.watches {
		s.printf("\nWatchpoint %d: %s\nOld value = %s\nNew value = %s\n", h.bp.num, s.watchedWhat(h.bp),
			watchValue(h.old, h.oldOK), watchValue(h.new, h.nOK))
		locLine = true
	}
	if st.condErr != nil {
		s.printf("\nError in the condition of breakpoint %d (%s): %v\n", st.condBP.num, st.condBP.cond.text, st.condErr)
		locLine = true
	}
	if st.interrupted {
		s.printf("\nProgram interrupted.\n")
		locLine = true
	}
	if len(st.bps) > 0 {
		bp := st.bps[0]
		s.printf("\n%s %d, ", bp.kind(), bp.num)
		locLine = true
	}
	s.showLocation(loc, locLine)
	if st.stepped && s.mon.cmd.mode == modeFinish {
		s.printf("Value returned: $r0 = %s\n", s.formatValue(p.Regs()[0]))
	}
	s.last = &loc
	s.list = listState{}
	drop := map[int]bool{}
	for _, bp := range st.bps {
		if bp.temp {
			drop[bp.num] = true
		}
	}
	if len(drop) > 0 {
		s.removeBreakpoints(drop)
	}
}

// watchValue shows a watched value.
func watchValue(v uint64, ok bool) string {
	if !ok {
		return "<unreadable>"
	}
	return fmt.Sprintf("%d (%#x)", int64(v), v)
}

// showLocation prints where pc is: the location line if asked, then the
// source line or, without source, the instruction.
func (s *Session) showLocation(loc location, locLine bool) {
	if locLine {
		s.printf("%s\n", loc)
	}
	if text, ok := s.sourceLine(loc.file, loc.line); ok {
		if loc.lineStart {
			s.printf("%d\t%s\n", loc.line, text)
		} else {
			s.printf("%#x\t%d\t%s\n", loc.pc, loc.line, text)
		}
		return
	}
	line, _ := s.disasmLine(loc.pc)
	s.printf("=> %s\n", line)
}

// reportEnd tells how the program ended.
func (s *Session) reportEnd() {
	e := s.result
	var trap *vm.Trap
	switch {
	case errors.As(e.err, &trap):
		s.printf("\nProgram trapped: %s\n", trap.Msg)
		loc := s.syms.locate(trap.PC)
		s.showLocation(loc, true)
		s.last = &loc
		s.list = listState{}
	case e.err != nil:
		s.printf("[program ended: %v]\n", e.err)
	default:
		s.printf("[program exited with status %d]\n", e.status&0xff)
	}
}
