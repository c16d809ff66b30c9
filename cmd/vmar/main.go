// Command vmar is linkvm's archiver: it creates, lists and changes static
// libraries (.va) of relocatable modules, which vmld searches for the
// members that define undefined symbols.
//
//	vmar rcs libx.va a.vo b.vo   insert or replace members, create quietly
//	vmar t[v] libx.va [member...] list members (v: with sizes)
//	vmar x libx.va [member...]    extract members into the current directory
//	vmar d libx.va member...      delete members
//	vmar s libx.va                rebuild the symbol index
//
// The key letters follow ar(1) and may be written with a leading '-'.
// Archives are written atomically and deterministically (no timestamps,
// owners or modes); the symbol index is always written. Errors exit with
// status 1, usage errors with 2. See docs/vmar.md and, for the format,
// docs/objfmt.md.
package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"

	"linkvm/internal/atomicfile"
	"linkvm/objfmt"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// Exit statuses.
const (
	exitOK    = 0
	exitError = 1 // the operation failed
	exitUsage = 2 // bad command line
)

// run is vmar with the given arguments (without the program name); it
// returns the exit status.
func run(args []string, stdout, stderr io.Writer) int {
	c, err := parseArgs(args)
	if err != nil {
		fmt.Fprintf(stderr, "vmar: %v\n%s", err, shortUsage)
		return exitUsage
	}
	if c.help {
		fmt.Fprint(stderr, usage)
		return exitOK
	}
	t := &tool{command: c, stdout: stdout, stderr: stderr}
	var ok bool
	switch c.op {
	case 'r':
		ok = t.replace()
	case 't':
		ok = t.list()
	case 'x':
		ok = t.extract()
	case 'd':
		ok = t.delete()
	case 's':
		ok = t.index()
	}
	if !ok {
		return exitError
	}
	return exitOK
}

// tool runs one command.
type tool struct {
	*command
	stdout, stderr io.Writer
}

// fail prints "vmar: <what>: <err>" and returns false.
func (t *tool) fail(what string, err error) bool {
	fmt.Fprintf(t.stderr, "vmar: %s: %s\n", what, describeError(err))
	return false
}

// describeError drops the operation and paths that an *fs.PathError or
// *os.LinkError repeats (the latter would name a temporary file).
func describeError(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err.Error()
	}
	return err.Error()
}

// open reads the archive.
func (t *tool) open() (*objfmt.Archive, bool) {
	a, err := objfmt.OpenArchive(t.archive)
	if err != nil {
		return nil, t.fail(t.archive, err)
	}
	return a, true
}

// write rebuilds the symbol index of members and writes the archive.
func (t *tool) write(members []*objfmt.Member) bool {
	a, err := objfmt.BuildArchive(members)
	if err != nil {
		return t.fail(t.archive, err)
	}
	if err := objfmt.WriteArchive(t.archive, a); err != nil {
		return t.fail("cannot write "+t.archive, err)
	}
	return true
}

// replace is operation r.
func (t *tool) replace() bool {
	a, err := objfmt.OpenArchive(t.archive)
	creating := errors.Is(err, fs.ErrNotExist)
	switch {
	case creating:
		a = &objfmt.Archive{}
	case err != nil:
		return t.fail(t.archive, err)
	}
	members := append([]*objfmt.Member(nil), a.Members...)
	pos := make(map[string]int, len(members))
	for i, m := range members {
		pos[m.Name] = i
	}
	ok := true
	var log []string
	for _, file := range t.names {
		data, err := readModule(file)
		if err != nil {
			ok = t.fail(file, err)
			continue
		}
		m := &objfmt.Member{Name: filepath.Base(file), Data: data}
		if i, found := pos[m.Name]; found {
			members[i] = m
			log = append(log, "r - "+m.Name)
		} else {
			pos[m.Name] = len(members)
			members = append(members, m)
			log = append(log, "a - "+m.Name)
		}
	}
	if !ok {
		return false
	}
	if creating && !t.create {
		fmt.Fprintf(t.stderr, "vmar: creating %s\n", t.archive)
	}
	if !t.write(members) {
		return false
	}
	t.logAll(log)
	return true
}

// readModule reads file and checks that it is a relocatable module.
func readModule(file string) ([]byte, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	f, err := objfmt.Parse(data)
	if err != nil {
		return nil, err
	}
	if f.Type != objfmt.TypeRel {
		return nil, fmt.Errorf("%s file, not a relocatable module", f.Type)
	}
	return data, nil
}

// logAll prints the verbose lines.
func (t *tool) logAll(lines []string) {
	if t.verbose {
		for _, l := range lines {
			fmt.Fprintln(t.stdout, l)
		}
	}
}

// selected returns the members named on the command line, in archive
// order, or all members if none is named. A name that is not a member is
// reported, and then nothing is selected.
func (t *tool) selected(a *objfmt.Archive) ([]*objfmt.Member, bool) {
	if len(t.names) == 0 {
		return a.Members, true
	}
	want := make(map[string]bool, len(t.names))
	for _, n := range t.names {
		want[n] = true
	}
	have := make(map[string]bool, len(a.Members))
	var sel []*objfmt.Member
	for _, m := range a.Members {
		have[m.Name] = true
		if want[m.Name] {
			sel = append(sel, m)
		}
	}
	ok := true
	for _, n := range t.names {
		if !have[n] {
			ok = t.fail(t.archive, fmt.Errorf("no such member: %s", n))
			have[n] = true // report each name once
		}
	}
	return sel, ok
}

// list is operation t.
func (t *tool) list() bool {
	a, ok := t.open()
	if !ok {
		return false
	}
	sel, ok := t.selected(a)
	if !ok {
		return false
	}
	width := 1
	for _, m := range sel {
		width = max(width, len(strconv.Itoa(len(m.Data))))
	}
	for _, m := range sel {
		if t.verbose {
			fmt.Fprintf(t.stdout, "%*d %s\n", width, len(m.Data), m.Name)
		} else {
			fmt.Fprintln(t.stdout, m.Name)
		}
	}
	return true
}

// extract is operation x.
func (t *tool) extract() bool {
	a, ok := t.open()
	if !ok {
		return false
	}
	sel, ok := t.selected(a)
	if !ok {
		return false
	}
	for _, m := range sel {
		// The reader accepts only plain file names; check anyway, as
		// this is where a bad name would do harm.
		if !filepath.IsLocal(m.Name) || filepath.Base(m.Name) != m.Name {
			return t.fail(t.archive, fmt.Errorf("member name %q is not a plain file name", m.Name))
		}
		if err := atomicfile.WriteFile(m.Name, m.Data, 0o644); err != nil {
			return t.fail("cannot write "+m.Name, err)
		}
		t.logAll([]string{"x - " + m.Name})
	}
	return true
}

// delete is operation d.
func (t *tool) delete() bool {
	a, ok := t.open()
	if !ok {
		return false
	}
	sel, ok := t.selected(a)
	if !ok {
		return false
	}
	gone := make(map[*objfmt.Member]bool, len(sel))
	var log []string
	for _, m := range sel {
		gone[m] = true
		log = append(log, "d - "+m.Name)
	}
	var keep []*objfmt.Member
	for _, m := range a.Members {
		if !gone[m] {
			keep = append(keep, m)
		}
	}
	if !t.write(keep) {
		return false
	}
	t.logAll(log)
	return true
}

// index is operation s.
func (t *tool) index() bool {
	a, ok := t.open()
	if !ok {
		return false
	}
	return t.write(a.Members)
}
