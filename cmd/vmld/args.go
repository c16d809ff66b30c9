package main

import (
	"fmt"
	"io"
	"strings"

	"linkvm/staticld"
)

// defaultOutput is the image written without -o (ld writes a.out), and
// defaultSharedOutput the shared module written with -shared.
const (
	defaultOutput       = "a.img"
	defaultSharedOutput = "a.vso"
)

// options is the parsed command line.
type options struct {
	output string
	help   bool
	// cfg collects the options that go to staticld.
	cfg    staticld.Config
	inputs []staticld.InputArg
	// mapFile is the -Map file, "-" for -M (standard output), "" for none.
	mapFile string
	// whyExtract is the --why-extract file, "-" for standard output.
	whyExtract string
	// group is the number of the open --start-group, 0 outside groups;
	// groups counts the groups seen.
	group, groups int
	// asNeeded is set between --as-needed and --no-as-needed.
	asNeeded bool
	// outputSet is set by -o.
	outputSet bool
}

// input returns the InputArg of a file or library at this point of the
// command line.
func (o *options) input(path, lib string) staticld.InputArg {
	return staticld.InputArg{Path: path, Library: lib, Group: o.group, AsNeeded: o.asNeeded}
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
	// set applies the option, or returns a command-line error.
	// Unsupported options leave it nil.
	set func(o *options, v string) error
}

// optionTable lists every option vmld knows, in help order.
var optionTable = []option{
	{names: []string{"-o", "--output"}, arg: "FILE", help: "write the image to FILE (default " + defaultOutput + ", " + defaultSharedOutput + " with -shared)",
		set: func(o *options, v string) error { o.output, o.outputSet = v, true; return nil }},
	{names: []string{"-e", "--entry"}, arg: "SYMBOL", help: "start execution at SYMBOL (default _start)",
		set: func(o *options, v string) error { o.cfg.Entry = v; return nil }},
	{names: []string{"-L", "--library-path"}, arg: "DIR", help: "add DIR to the -l search path",
		set: func(o *options, v string) error { o.cfg.LibDirs = append(o.cfg.LibDirs, v); return nil }},
	{names: []string{"-l", "--library"}, arg: "NAME", help: "link libNAME.vso or libNAME.va from the search path (-l:FILE: FILE)",
		set: func(o *options, v string) error {
			o.inputs = append(o.inputs, o.input("", v))
			return nil
		}},
	{names: []string{"-static", "-Bstatic", "--static"}, help: "link statically: -l finds only libNAME.va, shared modules are refused",
		set: func(o *options, _ string) error { o.cfg.Static = true; return nil }},
	{names: []string{"-shared"}, help: "make a shared module (.vso) instead of an executable",
		set: func(o *options, _ string) error { o.cfg.Shared = true; return nil }},
	{names: []string{"-soname", "--soname"}, arg: "NAME", help: "name the shared module NAME.vso.MAJOR (required with -shared)",
		set: func(o *options, v string) error { o.cfg.Soname = v; return nil }},
	{names: []string{"--module-version"}, arg: "MAJOR.MINOR", help: "the shared module's version (default MAJOR.0, MAJOR from the soname)",
		set: func(o *options, v string) error { o.cfg.Version = v; return nil }},
	{names: []string{"-rpath", "--rpath"}, arg: "DIR", help: "search DIR first for needed modules at load time ($ORIGIN allowed)",
		set: func(o *options, v string) error { o.cfg.Runpath = append(o.cfg.Runpath, v); return nil }},
	{names: []string{"-init"}, arg: "SYMBOL", help: "run SYMBOL when the module is loaded (default _init, if defined)",
		set: func(o *options, v string) error { o.cfg.Init = v; return nil }},
	{names: []string{"-fini"}, arg: "SYMBOL", help: "run SYMBOL when the module is unloaded (default _fini, if defined)",
		set: func(o *options, v string) error { o.cfg.Fini = v; return nil }},
	{names: []string{"--as-needed"}, help: "need the shared modules that follow only if they resolve a reference",
		set: func(o *options, _ string) error { o.asNeeded = true; return nil }},
	{names: []string{"--no-as-needed"}, help: "need every shared module that follows (the default)",
		set: func(o *options, _ string) error { o.asNeeded = false; return nil }},
	{names: []string{"-E", "--export-dynamic"}, help: "export every global symbol of an executable to shared modules",
		set: func(o *options, _ string) error { o.cfg.ExportDynamic = true; return nil }},
	{names: []string{"-Bsymbolic"}, help: "bind a shared module's references to its own symbols at link time",
		set: func(o *options, _ string) error { o.cfg.Symbolic = true; return nil }},
	{names: []string{"-z"}, arg: "KEYWORD", help: "undefs: a shared module may import undefined symbols; defs: not (default)",
		set: func(o *options, v string) error {
			switch v {
			case "undefs":
				o.cfg.AllowUndefined = true
			case "defs":
				o.cfg.AllowUndefined = false
			default:
				return fmt.Errorf("unknown -z keyword: %s (expected defs or undefs)", v)
			}
			return nil
		}},
	{names: []string{"--start-group", "-("}, help: "start a group of inputs (only --warn-backrefs uses groups)",
		set: func(o *options, _ string) error {
			if o.group != 0 {
				return fmt.Errorf("nested --start-group")
			}
			o.groups++
			o.group = o.groups
			return nil
		}},
	{names: []string{"--end-group", "-)"}, help: "end a group of inputs",
		set: func(o *options, _ string) error {
			if o.group == 0 {
				return fmt.Errorf("stray --end-group")
			}
			o.group = 0
			return nil
		}},
	{names: []string{"-u", "--undefined"}, arg: "SYMBOL", help: "treat SYMBOL as referenced (extracted; a --gc-sections root)",
		set: func(o *options, v string) error { o.cfg.Undefined = append(o.cfg.Undefined, v); return nil }},
	{names: []string{"--gc-sections"}, help: "remove sections unreachable from the entry symbol",
		set: func(o *options, _ string) error { o.cfg.GCSections = true; return nil }},
	{names: []string{"--no-gc-sections"}, help: "keep every section (the default)",
		set: func(o *options, _ string) error { o.cfg.GCSections = false; return nil }},
	{names: []string{"--print-gc-sections"}, help: "list the sections --gc-sections removes",
		set: func(o *options, _ string) error { o.cfg.PrintGCSections = true; return nil }},
	{names: []string{"--warn-backrefs"}, help: "warn about libraries listed before the files that need them",
		set: func(o *options, _ string) error { o.cfg.WarnBackrefs = true; return nil }},
	{names: []string{"-y", "--trace-symbol"}, arg: "SYMBOL", help: "print each file that defines or refers to SYMBOL",
		set: func(o *options, v string) error { o.cfg.TraceSymbols = append(o.cfg.TraceSymbols, v); return nil }},
	{names: []string{"--why-extract"}, arg: "FILE", help: "write why each library member was linked to FILE (-: stdout)",
		set: func(o *options, v string) error { o.whyExtract = v; return nil }},
	{names: []string{"-Map"}, arg: "FILE", help: "write the link map to FILE",
		set: func(o *options, v string) error { o.mapFile = v; return nil }},
	{names: []string{"-M", "--print-map"}, help: "print the link map on stdout",
		set: func(o *options, _ string) error { o.mapFile = "-"; return nil }},
	{names: []string{"-h", "--help"}, help: "print this help and exit",
		set: func(o *options, _ string) error { o.help = true; return nil }},
}

// shortUsage follows a command-line error.
const shortUsage = "usage: vmld [options] input... (vmld --help for help)\n"

// printUsage writes the help, generated from optionTable.
func printUsage(w io.Writer) {
	fmt.Fprint(w, "usage: vmld [options] input...\n\n"+
		"Links relocatable modules (.vo), the members of static libraries (.va)\n"+
		"that they need and shared modules (.vso) into an executable image, or with\n"+
		"-shared into a shared module. An input is a file (a module or a library,\n"+
		"told apart by content) or -lNAME. See docs/linking.md.\n\noptions:\n")
	var planned []string
	type row struct{ forms, help string }
	var rows []row
	width := 0
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
		r := row{strings.Join(forms, ", "), opt.help}
		width = max(width, len(r.forms))
		rows = append(rows, r)
	}
	for _, r := range rows {
		fmt.Fprintf(w, "  %-*s  %s\n", width, r.forms, r.help)
	}
	if len(planned) > 0 {
		fmt.Fprintf(w, "\nnot supported yet: %s\n", strings.Join(planned, ", "))
	}
}

// parseArgs parses the command line. "--" ends the options; "-" alone is
// an input name.
func parseArgs(args []string) (*options, error) {
	o := &options{output: defaultOutput}
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			for _, p := range args[i+1:] {
				o.inputs = append(o.inputs, o.input(p, ""))
			}
			break
		}
		if len(a) < 2 || a[0] != '-' {
			o.inputs = append(o.inputs, o.input(a, ""))
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
		if err := opt.set(o, val); err != nil {
			return nil, err
		}
	}
	if o.cfg.Shared && !o.outputSet {
		o.output = defaultSharedOutput
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
