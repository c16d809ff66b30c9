package dbg

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"linkvm/stdlib"
)

// Source lines: list, and the line shown at each stop.

// listSize is how many lines list shows.
const listSize = 10

// listState is what a bare list continues from.
type listState struct {
	file        string
	first, last int // the lines listed last
	valid       bool
}

// sourceFile is a source file read once, or why it could not be.
type sourceFile struct {
	lines []string
	err   error
}

// sourceLines returns the lines of the source file name, as the line
// table names it: an absolute path, or a path relative to the image's
// directory or to the current one. libstd's sources (stdlib/src/*.s) are
// also found in the copy built into the debugger, the one the installed
// library was built from.
func (s *Session) sourceLines(name string) ([]string, error) {
	if f, ok := s.sources[name]; ok {
		return f.lines, f.err
	}
	var tried []string
	var data []byte
	var err error
	if filepath.IsAbs(name) {
		tried = []string{name}
	} else {
		tried = []string{filepath.Join(s.imageDir(), name)}
		if cwd := filepath.Clean(name); cwd != tried[0] {
			tried = append(tried, cwd)
		}
	}
	for _, path := range tried {
		if data, err = os.ReadFile(path); err == nil {
			break
		}
	}
	if err != nil {
		if rest, ok := strings.CutPrefix(name, "stdlib/src/"); ok {
			data, err = fs.ReadFile(stdlib.Sources, "src/"+rest)
		}
	}
	var f sourceFile
	if err != nil {
		f.err = fmt.Errorf("cannot find the source file %s (looked for %s)", name, strings.Join(tried, " and "))
	} else {
		f.lines = strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
		for i, l := range f.lines {
			f.lines[i] = strings.TrimSuffix(l, "\r")
		}
	}
	s.sources[name] = &f
	return f.lines, f.err
}

// sourceLine returns line n of file, if it can be read.
func (s *Session) sourceLine(file string, n uint32) (string, bool) {
	if file == "" || n == 0 {
		return "", false
	}
	lines, err := s.sourceLines(file)
	if err != nil || int(n) > len(lines) {
		return "", false
	}
	return lines[n-1], true
}

// home is where list and break LINE look when the program has not
// stopped yet: main, or the entry point.
func (s *Session) home() location {
	if sym := s.syms.lookup("main"); sym != nil {
		return s.syms.locate(sym.addr)
	}
	for _, m := range s.syms.mods {
		if m.exe {
			return s.syms.locate(m.File().Entry)
		}
	}
	return location{}
}

// here is the location list and break LINE start from: the last stop,
// else home.
func (s *Session) here() location {
	if s.last != nil && s.last.file != "" {
		return *s.last
	}
	return s.home()
}

// currentFile is the source file that a bare line number refers to.
func (s *Session) currentFile() string {
	if s.list.valid {
		return s.list.file
	}
	return s.here().file
}

// cmdList is list [LOCATION | -].
func (s *Session) cmdList(args string) error {
	var file string
	var first int
	center := 0 // the line asked for, if one was
	switch {
	case args == "" && s.list.valid:
		file, first = s.list.file, s.list.last+1
	case args == "":
		l := s.here()
		if l.file == "" {
			return fmt.Errorf("no source line for %s", l)
		}
		file, first = l.file, int(l.line)-listSize/2
	case args == "-":
		if !s.list.valid {
			return errors.New("list - needs an earlier list")
		}
		if s.list.first <= 1 {
			return fmt.Errorf("already at the start of %s", s.list.file)
		}
		file, first = s.list.file, s.list.first-listSize
	default:
		f, line, err := s.listLocation(args)
		if err != nil {
			return err
		}
		file, first, center = f, line-listSize/2, line
	}
	lines, err := s.sourceLines(file)
	if err != nil {
		return err
	}
	first = max(first, 1)
	if center > len(lines) {
		return fmt.Errorf("line %d is past the end of %s, which has %d lines", center, file, len(lines))
	}
	if first > len(lines) {
		return fmt.Errorf("line %d is past the end of %s, which has %d lines", first, file, len(lines))
	}
	last := min(first+listSize-1, len(lines))
	for n := first; n <= last; n++ {
		s.printf("%d\t%s\n", n, lines[n-1])
	}
	s.list = listState{file: file, first: first, last: last, valid: true}
	return nil
}

// listLocation finds the file and line list centres on: LINE (in the
// current file), FILE:LINE, or any location break takes.
func (s *Session) listLocation(spec string) (string, int, error) {
	file, lineText, hasFile := cutLast(spec, ":")
	if !hasFile {
		file, lineText = s.currentFile(), spec
	}
	if n, err := strconv.Atoi(lineText); err == nil && !strings.HasPrefix(spec, "*") {
		if file == "" {
			return "", 0, errors.New("no current source file: name one, as in list fib.s:12")
		}
		if n < 1 {
			return "", 0, fmt.Errorf("there is no line %d (lines start at 1)", n)
		}
		if hasFile {
			if f, ok := s.syms.fileName(file); ok {
				file = f
			}
		}
		return file, n, nil
	}
	addr, pending, err := s.resolve(spec)
	if err != nil {
		return "", 0, err
	}
	if pending {
		return "", 0, fmt.Errorf("no symbol %s in the loaded modules", spec)
	}
	l := s.syms.locate(addr)
	if l.file == "" {
		return "", 0, fmt.Errorf("no source line for %s", l)
	}
	return l.file, int(l.line), nil
}
