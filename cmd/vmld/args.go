package main

import (
	"fmt"
	"io"
	"strings"
)

// defaultOutput is the image written without -o (ld writes a.out).
const defaultOutput = "a.img"

// options is the parsed command line.
type options struct {
	output string
	entry  string
	help   bool
	inputs []string
}

// option is one row of the option table. Adding an option is adding a row.
//
// Spellings are matched like GNU ld: a one-letter name ("-o") takes its
// argument separately ("-o FILE") or attached ("-oFILE"); a longer name
// ("--output", "-Map") takes it separately or after "=" ("--output=FILE").
type option struct {
	// names are the spellings, the preferred one first.
	names []string
	// arg names the argument in the help ("FILE"); "" if there is none.
	arg string
	// help is the one-line description; the help omits options without one.
	help string
	// set applies the option. Unsupported options leave it nil.
	set func(o *options, v string)
}

// optionTable lists every option vmld knows, in help order.
var optionTable = []option{
	{names: []string{"-o", "--output"}, arg: "FILE", help: "write the image to FILE (default " + defaultOutput + ")",
		set: func(o *options, v string) { o.output = v }},
	{names: []string{"-e", "--entry"}, arg: "SYMBOL", help: "start execution at SYMBOL (default _start)",
		set: func(o *options, v string) { o.entry = v }},
	{names: []string{"-static", "-Bstatic", "--static"}, help: "link statically (the only mode so far; accepted for compatibility)",
		set: func(*options, string) {}},
	{names: []string{"-h", "--help"}, help: "print this help and exit",
		set: func(o *options, _ string) { o.help = true }},
	// Planned; rejected with "not supported yet" until implemented.
	{names: []string{"-L", "--library-path"}, arg: "DIR"},
	{names: []string{"-l", "--library"}, arg: "NAME"},
	{names: []string{"-shared"}},
	{names: []string{"-Map"}, arg: "FILE"},
	{names: []string{"--gc-sections"}},
}

// shortUsage follows a command-line error.
const shortUsage = "usage: vmld [options] file.vo... (vmld --help for help)\n"

// printUsage writes the help, generated from optionTable.
func printUsage(w io.Writer) {
	fmt.Fprint(w, "usage: vmld [options] file.vo...\n\n"+
		"Links relocatable modules (.vo) into an executable image.\n\noptions:\n")
	var planned []string
	for _, opt := range optionTable {
		var forms []string
		for _, n := range opt.names {
			switch {
			case opt.arg == "":
				forms = append(forms, n)
			case strings.HasPrefix(n, "--"):
				forms = append(forms, n+"="+opt.arg)
			default:
				forms = append(forms, n+" "+opt.arg)
			}
		}
		if opt.set == nil {
			planned = append(planned, forms[0])
			continue
		}
		fmt.Fprintf(w, "  %-28s %s\n", strings.Join(forms, ", "), opt.help)
	}
	fmt.Fprintf(w, "\nnot supported yet: %s\n", strings.Join(planned, ", "))
}

// parseArgs parses the command line. "--" ends the options; "-" alone is
// an input name.
func parseArgs(args []string) (*options, error) {
	o := &options{output: defaultOutput}
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			o.inputs = append(o.inputs, args[i+1:]...)
			break
		}
		if len(a) < 2 || a[0] != '-' {
			o.inputs = append(o.inputs, a)
			continue
		}
		opt, name, val, hasVal := matchOption(a)
		if opt == nil {
			return nil, fmt.Errorf("unknown option: %s", a)
		}
		if opt.set == nil {
			return nil, fmt.Errorf("option %s is not supported yet", name)
		}
		switch {
		case opt.arg == "" && hasVal:
			return nil, fmt.Errorf("option %s takes no argument", name)
		case opt.arg != "" && !hasVal:
			if i+1 == len(args) {
				return nil, fmt.Errorf("option %s requires an argument", name)
			}
			i++
			val = args[i]
		}
		if opt.arg != "" && val == "" {
			return nil, fmt.Errorf("option %s requires a non-empty argument", name)
		}
		opt.set(o, val)
	}
	return o, nil
}

// matchOption finds the option that argument a spells, with its name as
// written and its attached value, if any.
func matchOption(a string) (opt *option, name, val string, hasVal bool) {
	for i := range optionTable {
		for _, n := range optionTable[i].names {
			if a == n {
				return &optionTable[i], n, "", false
			}
		}
	}
	if k := strings.IndexByte(a, '='); k > 0 {
		for i := range optionTable {
			for _, n := range optionTable[i].names {
				if len(n) > 2 && a[:k] == n {
					return &optionTable[i], n, a[k+1:], true
				}
			}
		}
	}
	for i := range optionTable {
		for _, n := range optionTable[i].names {
			if len(n) == 2 && optionTable[i].arg != "" && strings.HasPrefix(a, n) {
				return &optionTable[i], n, a[2:], true
			}
		}
	}
	return nil, "", "", false
}
