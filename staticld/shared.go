package staticld

import (
	"path/filepath"
	"strings"

	"linkvm/objfmt"
)

// This file holds the linker's view of shared module inputs (.vso): their
// exported symbols become shared definitions in the global symbol table,
// and the modules that resolve something are recorded as needed. It also
// checks the naming options of a shared module output (Config.Soname,
// Config.Version). docs/linking.md, "Shared modules", has the rules.

// sharedLib is one shared module input.
type sharedLib struct {
	// name is Input.Name.
	name string
	file *objfmt.File
	// soname is what the output's Dynamic.Needed records: the module's
	// Soname, or the base name of its file if it has none (as ld does).
	soname string
	// asNeeded is Input.AsNeeded.
	asNeeded bool
	// used is set when a linked module's reference resolves to one of its
	// symbols (see picPass).
	used bool
}

// sharedRef names one exported symbol of one shared module input.
type sharedRef struct {
	lib int32 // index in linker.shlibs
	sym int32 // index in its Dynamic.Symbols
}

// noShared is a sharedRef that names nothing.
var noShared = sharedRef{lib: -1, sym: -1}

// newSharedLib checks a shared module input and returns its sharedLib, or
// nil after recording an error.
func newSharedLib(l *linker, in Input) *sharedLib {
	f := in.File
	switch {
	case l.cfg.Static:
		l.errorf("%s: cannot link a shared module in a static link (-static)", in.Name)
		return nil
	case f.Dynamic == nil:
		l.errorf("%s: shared module without dynamic-linking information", in.Name)
		return nil
	}
	soname := f.Dynamic.Soname
	if soname == "" {
		soname = filepath.Base(in.Name)
	}
	return &sharedLib{name: in.Name, file: f, soname: soname, asNeeded: in.AsNeeded}
}

// addShared enters the dynamic symbols of shared module si into the symbol
// table: each export defines a name that is not yet defined, lazy or
// defined by an earlier shared module; each import marks the name as one
// an executable must export.
func (l *linker) addShared(si int32) {
	sh := l.shlibs[si]
	syms := sh.file.Dynamic.Symbols
	for i := range syms {
		s := &syms[i]
		if s.Name == "" {
			continue
		}
		id := l.intern(s.Name)
		g := &l.syms[id]
		if !s.Defined {
			g.sharedRef = true
			continue
		}
		if g.traced {
			l.trace(sh.name, "shared definition of", s.Name)
		}
		if g.def == noRef && g.lazy == noMember && g.shared == noShared {
			g.shared = sharedRef{lib: si, sym: int32(i)}
		}
	}
}

// sharedSym returns the export r names.
func (l *linker) sharedSym(r sharedRef) *objfmt.DynSymbol {
	return &l.shlibs[r.lib].file.Dynamic.Symbols[r.sym]
}

// checkSharedConfig checks the options of a shared module output and sets
// l.cfg.Version to its default, MAJOR.0.
func checkSharedConfig(l *linker) {
	c := &l.cfg
	if !c.Shared {
		switch {
		case c.Soname != "":
			l.errorf("a soname (-soname %s) is only for a shared module (-shared)", c.Soname)
		case c.Version != "":
			l.errorf("a module version (--module-version %s) is only for a shared module (-shared)", c.Version)
		}
		return
	}
	if c.Static {
		l.errorf("-static and -shared cannot be used together")
	}
	if c.Soname == "" {
		l.errorf("a shared module needs a soname: -soname NAME.vso.MAJOR (such as libgreet.vso.1)")
		return
	}
	major, ok := sonameMajor(c.Soname)
	if !ok {
		l.errorf("soname %q is not NAME.vso.MAJOR (such as libgreet.vso.1)", c.Soname)
		return
	}
	if c.Version == "" {
		c.Version = major + ".0"
		return
	}
	vmajor, minor, ok := strings.Cut(c.Version, ".")
	if !ok || !isNumber(vmajor) || !isNumber(minor) {
		l.errorf("module version %q is not MAJOR.MINOR (such as 1.2)", c.Version)
		return
	}
	if vmajor != major {
		l.errorf("module version %s does not match the soname %s (major version %s)", c.Version, c.Soname, major)
	}
}

// sonameMajor returns the MAJOR of a soname "NAME.vso.MAJOR".
func sonameMajor(soname string) (string, bool) {
	i := strings.LastIndex(soname, ".vso.")
	if i <= 0 || strings.ContainsRune(soname, '/') {
		return "", false
	}
	major := soname[i+len(".vso."):]
	return major, isNumber(major)
}

// isNumber reports whether s is a decimal number of 1 to 9 digits without
// leading zeros (objfmt's limit for versions).
func isNumber(s string) bool {
	if s == "" || len(s) > 9 || (len(s) > 1 && s[0] == '0') {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
