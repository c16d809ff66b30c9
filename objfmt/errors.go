package objfmt

import (
	"errors"
	"strconv"
)

// Sentinel errors. A *FormatError wraps one of them when it fits, so that
// errors.Is(err, ErrNotObject) tells a caller that the input is not an
// object file at all, rather than a damaged one.
var (
	// ErrNotObject means the input does not start with Magic.
	ErrNotObject = errors.New("objfmt: not a linkvm object file")
	// ErrVersion means the input is an object file of a version this
	// package does not read.
	ErrVersion = errors.New("objfmt: unsupported object format version")
	// ErrTruncated means a header, table or section extends past the end
	// of the input.
	ErrTruncated = errors.New("objfmt: truncated object file")
)

// FormatError reports malformed input: Msg says what is wrong, Off where.
type FormatError struct {
	// Off is the file offset of the offending byte or field.
	Off int64
	// Msg describes the problem.
	Msg string

	err error // sentinel wrapped by this error, or nil
}

// Error returns "objfmt: <Msg> at offset 0x<Off>".
func (e *FormatError) Error() string {
	return "objfmt: " + e.Msg + " at offset 0x" + strconv.FormatInt(e.Off, 16)
}

// Unwrap returns the sentinel error (ErrNotObject, ErrVersion,
// ErrTruncated) that describes e, or nil.
func (e *FormatError) Unwrap() error { return e.err }
