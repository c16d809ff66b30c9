package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"

	"golang.org/x/term"

	"linkvm/internal/dbg"
)

// The interactive command line: golang.org/x/term's line editor (arrows,
// Ctrl-A/E/K/U/W, history with up and down, Tab completing command
// names) on the terminal in raw mode while a command is typed, and in its
// usual mode while the program runs, so that the program reads and writes
// it as under vmrun. Ctrl-C while the program runs stops it; at the
// prompt it clears the line; Ctrl-D on an empty line quits.

// tty is the terminal vmdbg talks to.
type tty struct {
	in  *os.File
	out *os.File
}

// terminal returns the terminal if both stdin and stdout are one, else
// nil.
func terminal(stdin io.Reader, stdout io.Writer) *tty {
	in, ok1 := stdin.(*os.File)
	out, ok2 := stdout.(*os.File)
	if !ok1 || !ok2 || !term.IsTerminal(int(in.Fd())) || !term.IsTerminal(int(out.Fd())) {
		return nil
	}
	return &tty{in, out}
}

// serve reads and runs commands until quit or Ctrl-D.
func (t *tty) serve(sess *dbg.Session) {
	fd := int(t.in.Fd())
	line := term.NewTerminal(struct {
		io.Reader
		io.Writer
	}{clearOnCtrlC{t.in}, t.out}, prompt)
	line.AutoCompleteCallback = completeCommand
	line.History = &history{}

	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt)
	defer signal.Stop(sigs)
	go func() {
		for range sigs {
			sess.Interrupt()
		}
	}()

	last := ""
	for {
		if w, h, err := term.GetSize(fd); err == nil {
			line.SetSize(w, h)
		}
		text, err := readLine(fd, line)
		if err != nil {
			fmt.Fprintln(t.out, "quit")
			return
		}
		if strings.TrimSpace(text) == "" && last != "" && dbg.Repeatable(last) {
			text = last
		}
		if strings.TrimSpace(text) != "" {
			last = text
		}
		if sess.Exec(text) {
			return
		}
	}
}

// readLine reads one line with the terminal in raw mode, restoring it
// after.
func readLine(fd int, line *term.Terminal) (string, error) {
	old, err := term.MakeRaw(fd)
	if err != nil {
		return "", err
	}
	defer term.Restore(fd, old)
	return line.ReadLine()
}

// maxHistory is how many lines the history keeps.
const maxHistory = 1000

// history is the lines typed, for Up and Down (term.History): without
// empty lines, which repeat a command, nor a line just like the one
// before.
type history struct {
	lines []string // oldest first
}

func (h *history) Add(line string) {
	if strings.TrimSpace(line) == "" || len(h.lines) > 0 && h.lines[len(h.lines)-1] == line {
		return
	}
	h.lines = append(h.lines, line)
	if len(h.lines) > maxHistory {
		h.lines = h.lines[1:]
	}
}

func (h *history) Len() int { return len(h.lines) }

// At returns the line typed i lines ago (0: the last one).
func (h *history) At(i int) string { return h.lines[len(h.lines)-1-i] }

// completeCommand completes the command name at the start of the line
// when Tab is pressed and only one name fits.
func completeCommand(line string, pos int, key rune) (string, int, bool) {
	if key != '\t' || pos != len(line) || strings.ContainsAny(line, " /") {
		return "", 0, false
	}
	var fits []string
	for _, name := range dbg.CommandNames() {
		if strings.HasPrefix(name, line) {
			fits = append(fits, name)
		}
	}
	if len(fits) != 1 {
		return "", 0, false
	}
	return fits[0] + " ", len(fits[0]) + 1, true
}

// clearOnCtrlC reads the terminal, turning Ctrl-C into Ctrl-E Ctrl-U (go
// to the end of the line, erase it): x/term's line editor would end the
// input on Ctrl-C as on Ctrl-D, while at a prompt it should only drop
// what was typed.
type clearOnCtrlC struct{ r io.Reader }

func (c clearOnCtrlC) Read(b []byte) (int, error) {
	if len(b) < 2 {
		return c.r.Read(b)
	}
	buf := make([]byte, len(b)/2)
	n, err := c.r.Read(buf)
	out := bytes.ReplaceAll(buf[:n], []byte{3}, []byte{5, 21})
	return copy(b, out), err
}
