package asm

import (
	"fmt"
	"strings"

	"github.com/alecthomas/participle/v2/lexer"
)

// MaxErrors is how many errors Assemble reports before it gives up with a
// final "too many errors" line, as Go's assembler does.
const MaxErrors = 10

// Error is one positioned assembly error.
type Error struct {
	// Pos is where the error is: file name as given (or as resolved for
	// included files), 1-based line and column.
	Pos lexer.Position
	// Msg is the message without position or "error:" prefix.
	Msg string
}

// Error renders the error as "file:line:col: error: message".
func (e *Error) Error() string {
	return fmt.Sprintf("%s:%d:%d: error: %s", e.Pos.Filename, e.Pos.Line, e.Pos.Column, e.Msg)
}

// ErrorList is every error found in one assembly, in source order.
type ErrorList struct {
	// Errors holds at most MaxErrors errors.
	Errors []*Error
	// TooMany is set when assembly stopped because more than MaxErrors
	// errors were found.
	TooMany bool
}

// Error renders one line per error, then "too many errors" if TooMany.
func (l *ErrorList) Error() string {
	var b strings.Builder
	for i, e := range l.Errors {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	if l.TooMany {
		if len(l.Errors) > 0 {
			b.WriteByte('\n')
		}
		b.WriteString("too many errors")
	}
	return b.String()
}

// Unwrap returns the individual errors, for errors.Is and errors.As.
func (l *ErrorList) Unwrap() []error {
	errs := make([]error, len(l.Errors))
	for i, e := range l.Errors {
		errs[i] = e
	}
	return errs
}

// add records an error; it reports false once the list is full.
func (l *ErrorList) add(pos lexer.Position, msg string) bool {
	if l.TooMany {
		return false
	}
	if len(l.Errors) == MaxErrors {
		l.TooMany = true
		return false
	}
	l.Errors = append(l.Errors, &Error{Pos: pos, Msg: msg})
	return true
}
