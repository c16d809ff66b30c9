package staticld

import (
	"fmt"
	"strings"
)

// Severity says what a diagnostic is.
type Severity uint8

// Severities. The zero value is an error.
const (
	// SevError stops the link; Link returns it in an *Error.
	SevError Severity = iota
	// SevWarning does not stop the link; it goes to Config.Log.
	SevWarning
	// SevInfo is a message asked for by an option (--print-gc-sections);
	// it goes to Config.Log.
	SevInfo
)

// Diag is one diagnostic: a headline and notes naming the places involved,
// rendered in the style of ld.lld:
//
//	error: undefined symbol: print_int
//	>>> referenced by fib.s:21 (fib.vo: function main)
type Diag struct {
	// Severity is error, warning or information.
	Severity Severity
	// Msg is the headline, without the "error: " or "warning: " prefix.
	Msg string
	// Notes are the lines that follow the headline, without the ">>> ".
	Notes []string
}

// String renders the diagnostic on one or more lines, without a trailing
// newline: "error: ", "warning: " or nothing (information), the headline,
// then one ">>> " line per note.
func (d Diag) String() string {
	var b strings.Builder
	switch d.Severity {
	case SevError:
		b.WriteString("error: ")
	case SevWarning:
		b.WriteString("warning: ")
	}
	b.WriteString(d.Msg)
	for _, n := range d.Notes {
		b.WriteString("\n>>> ")
		b.WriteString(n)
	}
	return b.String()
}

// Error is the error Link and ReadInputs return: every error found before
// they stopped, in the order they were found.
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

// errorf records an error with no notes.
func (l *linker) errorf(format string, args ...any) {
	l.diags = append(l.diags, Diag{Msg: fmt.Sprintf(format, args...)})
}

// report records an error with notes.
func (l *linker) report(d Diag) {
	l.diags = append(l.diags, d)
}

// log passes a warning or a message to Config.Log, if set.
func (l *linker) log(sev Severity, msg string) {
	if l.cfg.Log != nil {
		l.cfg.Log(Diag{Severity: sev, Msg: msg})
	}
}
