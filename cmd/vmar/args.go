package main

import (
	"errors"
	"fmt"
	"strings"
)

// command is a parsed command line.
type command struct {
	// op is the operation: 'r', 't', 'x', 'd' or 's'.
	op byte
	// create is the c modifier: r creates the archive without a warning.
	create bool
	// verbose is the v modifier.
	verbose bool
	// help is set by -h or --help.
	help bool
	// archive is the archive's file name.
	archive string
	// names are the files (r) or member names (t, x, d) after the archive.
	names []string
}

// usage is the help printed by -h.
const usage = `usage: vmar [-]{r|t|x|d|s}[cvs] archive.va [file...]

Creates, lists and changes static libraries (.va) of relocatable modules.

operations:
  r  insert the files as members named by their base names, replacing
     members of the same name in place and appending new ones; creates
     the archive if needed
  t  list the members (all, or the named ones), in archive order
  x  extract the members (all, or the named ones) into the current directory
  d  delete the named members
  s  rebuild the symbol index
modifiers:
  c  (with r) do not warn when creating the archive
  v  verbose: t also prints sizes; r, x and d name each member they touch
  s  (with r or d) write the symbol index; it is always written
`

// shortUsage follows a command-line error.
const shortUsage = "usage: vmar [-]{r|t|x|d|s}[cvs] archive.va [file...] (vmar -h for help)\n"

// parseArgs parses the command line: a key of one operation and any
// modifiers, with or without a leading '-', then the archive, then names.
func parseArgs(args []string) (*command, error) {
	if len(args) == 0 {
		return nil, errors.New("missing operation")
	}
	if args[0] == "-h" || args[0] == "--help" || args[0] == "-help" {
		return &command{help: true}, nil
	}
	key := strings.TrimPrefix(args[0], "-")
	if key == "" {
		return nil, errors.New("missing operation")
	}
	c := &command{}
	var ops []byte
	sMod := false
	for i := 0; i < len(key); i++ {
		switch k := key[i]; k {
		case 'r', 't', 'x', 'd':
			if len(ops) == 0 || ops[len(ops)-1] != k {
				ops = append(ops, k)
			}
		case 's':
			sMod = true
		case 'c':
			c.create = true
		case 'v':
			c.verbose = true
		default:
			return nil, fmt.Errorf("unknown operation or modifier %q in %q", string(k), args[0])
		}
	}
	switch {
	case len(ops) > 1:
		return nil, fmt.Errorf("more than one operation in %q", args[0])
	case len(ops) == 1:
		c.op = ops[0]
	case sMod:
		c.op = 's'
	default:
		return nil, fmt.Errorf("no operation in %q", args[0])
	}
	switch {
	case c.create && c.op != 'r':
		return nil, fmt.Errorf("modifier 'c' needs operation r")
	case sMod && (c.op == 't' || c.op == 'x'):
		return nil, fmt.Errorf("modifier 's' needs operation r or d")
	}
	if len(args) < 2 {
		return nil, errors.New("missing archive name")
	}
	c.archive, c.names = args[1], args[2:]
	switch {
	case c.op == 'd' && len(c.names) == 0:
		return nil, errors.New("operation d needs member names")
	case c.op == 's' && len(c.names) > 0:
		return nil, errors.New("operation s takes no member names")
	}
	return c, nil
}
