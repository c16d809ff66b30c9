package staticld

import (
	"fmt"
	"strings"
)

// Diag is one diagnostic: a headline and notes naming the places involved,
// rendered in the style of ld.lld:
//
//	error: undefined symbol: print_int
//	>>> referenced by fib.s:21 (fib.vo: function main)
type Diag struct {
	// Msg is the headline, without the "error: " prefix.
	Msg string
	// Notes are the lines that follow the headline, without the ">>> ".
	Notes []string
}

// String renders the diagnostic on one or more lines, without a trailing
// newline.
func (d Diag) String() string {
	var b strings.Builder
	b.WriteString("error: ")
	b.WriteString(d.Msg)
	for _, n := range d.Notes {
		b.WriteString("\n>>> ")
		b.WriteString(n)
	}
	return b.String()
}

// Error is the error Link returns: every diagnostic found before the link
// stopped, in the order they were found.
type Error struct {
	// Diags are the diagnostics; there is at least one.
	Diags []Diag
}

// Error renders every diagnostic, one after the other, separated by newlines.
func (e *Error) Error() string {
	s := make([]string, len(e.Diags))
	for i, d := range e.Diags {
		s[i] = d.String()
	}
	return strings.Join(s, "\n")
}

// errorf records a diagnostic with no notes.
func (l *linker) errorf(format string, args ...any) {
	l.diags = append(l.diags, Diag{Msg: fmt.Sprintf(format, args...)})
}

// report records a diagnostic with notes.
func (l *linker) report(d Diag) {
	l.diags = append(l.diags, d)
}
