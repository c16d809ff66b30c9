package dbg

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// command is one debugger command.
type command struct {
	name    string
	aliases []string // gdb's abbreviations
	usage   string   // the arguments, for help
	summary string
	run     func(s *Session, args string) error
	// repeat: an empty line at the terminal runs the command again, as in
	// gdb (step, next, x, list ...).
	repeat bool
}

// commands is the command table, in the order help lists it.
var commands []*command

func init() {
	commands = []*command{
		{name: "run", aliases: []string{"r"}, usage: "[ARGS...] [< FILE]",
			summary: "start the program (again), with new arguments and standard input if given",
			run:     (*Session).cmdRun},
		{name: "start", usage: "[ARGS...] [< FILE]",
			summary: "run to the start of main (or stop at the first instruction without a main)",
			run:     (*Session).cmdStart},
		{name: "continue", aliases: []string{"c", "cont"}, summary: "let the stopped program go on",
			run: (*Session).cmdContinue, repeat: true},
		{name: "step", aliases: []string{"s"}, usage: "[N]",
			summary: "run to the next source line, into calls", run: stepper(modeStep), repeat: true},
		{name: "next", aliases: []string{"n"}, usage: "[N]",
			summary: "run to the next source line, over calls", run: stepper(modeNext), repeat: true},
		{name: "stepi", aliases: []string{"si"}, usage: "[N]",
			summary: "run one instruction (N instructions)", run: stepper(modeStepi), repeat: true},
		{name: "nexti", aliases: []string{"ni"}, usage: "[N]",
			summary: "run one instruction, a call with everything it runs as one", run: stepper(modeNexti), repeat: true},
		{name: "finish", aliases: []string{"fin"}, summary: "run until the current function returns, and show r0",
			run: (*Session).cmdFinish, repeat: true},
		{name: "kill", aliases: []string{"k"}, summary: "end the program", run: (*Session).cmdKill},
		{name: "break", aliases: []string{"b", "br"}, usage: "[LOCATION] [if CONDITION]",
			summary: "stop at LOCATION: a symbol (mod:sym), FILE:LINE, LINE or *ADDRESS",
			run:     func(s *Session, args string) error { return s.addBreakpoint(args, false) }},
		{name: "tbreak", usage: "[LOCATION] [if CONDITION]", summary: "break, once",
			run: func(s *Session, args string) error { return s.addBreakpoint(args, true) }},
		{name: "watch", usage: "[/SIZE] EXPRESSION",
			summary: "stop when the 8 (or SIZE) bytes at the address EXPRESSION change",
			run:     (*Session).addWatchpoint},
		{name: "delete", aliases: []string{"d"}, usage: "[N...]",
			summary: "delete breakpoints and watchpoints N..., or all of them",
			run:     (*Session).deleteBreakpoints},
		{name: "backtrace", aliases: []string{"bt", "where"}, summary: "the stack of calls that led here",
			run: (*Session).cmdBacktrace},
		{name: "print", aliases: []string{"p"}, usage: "[/x|/d|/u] EXPRESSION",
			summary: "the value of an expression: $r3, $pc, a symbol's address and value, *ADDRESS, ...",
			run:     (*Session).cmdPrint},
		{name: "set", usage: "$REGISTER = EXPRESSION", summary: "change a register of the stopped program",
			run: (*Session).cmdSet},
		{name: "x", usage: "[/NFU] [ADDRESS]",
			summary: "examine memory: N units of format F (x hex and ASCII, d, u decimal, s strings, i instructions) and size U (b, h, w, g: 1, 2, 4, 8 bytes)",
			run:     (*Session).cmdExamine, repeat: true},
		{name: "disassemble", aliases: []string{"disas"}, usage: "[ADDRESS]",
			summary: "the instructions of the function at pc (or at ADDRESS)", run: (*Session).cmdDisassemble},
		{name: "list", aliases: []string{"l"}, usage: "[LOCATION | -]",
			summary: "ten source lines around the current line (or LOCATION); again for the next ten, - for the ten before",
			run:     (*Session).cmdList, repeat: true},
		{name: "info", aliases: []string{"i"}, usage: "registers [REG...] | breakpoints | sharedlibrary | symbol ADDRESS",
			summary: "registers (i r), breakpoints and watchpoints (i b), loaded modules (info sharedlibrary), the symbol at an address",
			run:     (*Session).cmdInfo},
		{name: "echo", usage: "TEXT", summary: `print TEXT (\n is a newline), for scripts`, run: (*Session).cmdEcho},
		{name: "help", aliases: []string{"h"}, usage: "[COMMAND]", summary: "this list, or the details of one command",
			run: (*Session).cmdHelp},
		{name: "quit", aliases: []string{"q", "exit"}, summary: "end the program and the debugger",
			run: (*Session).cmdQuit},
	}
}

// errQuit is how quit ends the command loop.
var errQuit = errors.New("quit")

// lookupCommand finds the command word: a name, an alias, or a prefix of
// exactly one name.
func lookupCommand(word string) (*command, error) {
	var found []*command
	for _, c := range commands {
		if c.name == word || slices.Contains(c.aliases, word) {
			return c, nil
		}
		if strings.HasPrefix(c.name, word) {
			found = append(found, c)
		}
	}
	switch len(found) {
	case 0:
		return nil, fmt.Errorf("unknown command %q (help lists the commands)", word)
	case 1:
		return found[0], nil
	}
	names := make([]string, len(found))
	for i, c := range found {
		names[i] = c.name
	}
	return nil, fmt.Errorf("ambiguous command %q: %s", word, strings.Join(names, ", "))
}

// splitCommand splits a command line into its command word and the rest:
// the word ends at a blank or a '/' (x/4g, p/x).
func splitCommand(line string) (word, args string) {
	line = strings.TrimSpace(line)
	i := strings.IndexAny(line, " \t/")
	if i < 0 {
		return line, ""
	}
	return line[:i], strings.TrimSpace(line[i:])
}

// Exec runs one command line, printing its output and, if it fails, the
// error. It reports whether the line was quit.
func (s *Session) Exec(line string) (quit bool) {
	word, args := splitCommand(line)
	if word == "" || strings.HasPrefix(word, "#") {
		return false
	}
	c, err := lookupCommand(word)
	if err == nil {
		err = c.run(s, args)
	}
	switch {
	case err == errQuit:
		return true
	case err != nil:
		s.failed++
		fmt.Fprintf(s.errw, "error: %v\n", err)
	}
	return false
}

// Repeatable reports whether an empty line after line runs line again
// (at the terminal, as in gdb).
func Repeatable(line string) bool {
	word, _ := splitCommand(line)
	c, err := lookupCommand(word)
	return err == nil && c.repeat
}

// cmdHelp is help [COMMAND].
func (s *Session) cmdHelp(args string) error {
	if args != "" {
		c, err := lookupCommand(args)
		if err != nil {
			return err
		}
		s.printf("%s\n  %s\n", usageLine(c), c.summary)
		if len(c.aliases) > 0 {
			s.printf("  also: %s\n", strings.Join(c.aliases, ", "))
		}
		return nil
	}
	s.printf("%s", HelpText())
	return nil
}

// HelpText is help's list of the commands.
func HelpText() string {
	var b strings.Builder
	for _, c := range commands {
		name := c.name
		if len(c.aliases) > 0 {
			name += " (" + strings.Join(c.aliases, ", ") + ")"
		}
		fmt.Fprintf(&b, "%s\n", name)
		if c.usage != "" {
			fmt.Fprintf(&b, "    %s\n", usageLine(c))
		}
		fmt.Fprintf(&b, "    %s\n", c.summary)
	}
	return b.String()
}

// usageLine is "name ARGS" ("x[/NFU] [ADDRESS]").
func usageLine(c *command) string {
	switch {
	case c.usage == "":
		return c.name
	case strings.HasPrefix(c.usage, "[/"):
		return c.name + c.usage
	}
	return c.name + " " + c.usage
}

// CommandNames returns the commands' full names, for completion.
func CommandNames() []string {
	var names []string
	for _, c := range commands {
		names = append(names, c.name)
	}
	return names
}

// count parses the optional repeat count of step, next, stepi, nexti.
func count(args string) (int, error) {
	if args == "" {
		return 1, nil
	}
	n, err := strconv.Atoi(args)
	if err != nil || n < 1 {
		return 0, fmt.Errorf("%q is not a positive count", args)
	}
	return n, nil
}

// cmdEcho prints its text with \n turned into newlines.
func (s *Session) cmdEcho(args string) error {
	s.printf("%s", strings.ReplaceAll(args, `\n`, "\n"))
	return nil
}

// cmdQuit ends the session.
func (s *Session) cmdQuit(args string) error {
	if args != "" {
		return fmt.Errorf("quit takes no arguments")
	}
	s.kill()
	return errQuit
}
