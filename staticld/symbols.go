package staticld

import "linkvm/objfmt"

// symID indexes linker.syms.
type symID int32

// noSym is the symID of a local symbol, which has no global entry.
const noSym symID = -1

// globalSym is the resolution of one global or weak symbol name.
type globalSym struct {
	// name is the interned name, shared with the input that first used it.
	name string
	// def is the chosen definition, or noRef if the name is undefined or
	// lazy.
	def symRef
	// lazy is the archive member that can define the name, when def is
	// noRef and some archive's index lists the name (lazy.ar >= 0).
	lazy memberRef
	// firstRef is the first object that listed the name as an undefined
	// global symbol (the reference that extracts a lazy definition), or -1.
	firstRef int32
	// defBind is the binding of def: BindGlobal or BindWeak.
	defBind objfmt.SymBind
	// strongRef is set if some module lists the name as an undefined
	// global (not weak) symbol: then staying undefined is an error.
	strongRef bool
	// shared is the shared module's export that defines the name, when def
	// is noRef and a shared module came before any archive listing it; or
	// noShared.
	shared sharedRef
	// traced is set for the names of Config.TraceSymbols.
	traced bool
	// sharedRef is set if a shared module input imports the name: an
	// executable exports its definition.
	sharedRef bool
	// dups are the global definitions after the first (duplicate-symbol
	// errors); nil in a correct link.
	dups []symRef
}

// intern returns the symID of name, creating an undefined entry on first
// use. The map key and the entry share name's bytes: no copy is made.
func (l *linker) intern(name string) symID {
	if id, ok := l.names[name]; ok {
		return id
	}
	id := symID(len(l.syms))
	l.names[name] = id
	l.syms = append(l.syms, globalSym{name: name, def: noRef, lazy: noMember, shared: noShared, firstRef: -1})
	return id
}

// lookup returns the global symbol called name, or nil.
func (l *linker) lookup(name string) *globalSym {
	if id, ok := l.names[name]; ok {
		return &l.syms[id]
	}
	return nil
}
