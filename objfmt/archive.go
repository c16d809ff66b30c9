package objfmt

import (
	"errors"
	"fmt"
	"strings"
)

// This file holds the static library (.va) API: the in-memory Archive,
// building one from modules, and the rules an Archive must follow to be
// encoded. The byte layout is in archive_disk.go, the reader in
// archive_read.go and the writer in archive_write.go; docs/objfmt.md
// ("Static libraries") specifies the format.

// Archive is a static library (.va): relocatable modules (.vo) as members,
// plus a symbol index like ar's armap, so that a linker can find the
// member defining a symbol without parsing every member.
type Archive struct {
	// Members are the modules, in archive order.
	Members []*Member
	// Symbols is the index: every global or weak symbol with a non-empty
	// name DEFINED (in a section or absolute) by a member, in member order
	// and, within a member, in symbol table order.
	Symbols []ArchiveSymbol
}

// Member is one module of an Archive.
type Member struct {
	// Name is the member's name, a base name such as "strlen.vo": not
	// empty, not "." or "..", and without '/', '\\' or NUL.
	Name string
	// Data is the member's bytes: an encoded relocatable module.
	Data []byte
	// Off is the file offset of Data in the archive it was read from (0
	// for an archive built in memory), for error messages.
	Off int64
}

// ArchiveSymbol is one entry of an Archive's symbol index.
type ArchiveSymbol struct {
	// Name is the symbol's name.
	Name string
	// Member is the index in Archive.Members of the member defining it.
	Member int
}

// IsArchive reports whether prefix, the first bytes of a file, starts
// with ArchiveMagic. Four bytes are enough to tell.
func IsArchive(prefix []byte) bool {
	return len(prefix) >= len(ArchiveMagic) && string(prefix[:len(ArchiveMagic)]) == ArchiveMagic
}

// File parses the member's bytes as an object file (Parse(m.Data)).
func (m *Member) File() (*File, error) {
	return Parse(m.Data)
}

// BuildArchive makes an Archive of the given members, in that order, and
// computes its symbol index. Every member must be a valid relocatable
// module; an error about a member's contents starts with the member's
// name ("strlen.vo: objfmt: bad magic ... at offset 0x0"). Member names
// must be valid and unique. The Archive refers to the given Members; they
// are not modified.
func BuildArchive(members []*Member) (*Archive, error) {
	a := &Archive{Members: make([]*Member, len(members))}
	copy(a.Members, members)
	for i, m := range members {
		if m == nil {
			return nil, fmt.Errorf("objfmt: archive member %d is nil", i)
		}
		if p := memberNameProblem(m.Name); p != "" {
			return nil, fmt.Errorf("objfmt: archive member %d: name %q %s", i, m.Name, p)
		}
		f, err := m.File()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", m.Name, err)
		}
		if f.Type != TypeRel {
			return nil, fmt.Errorf("%s: objfmt: %s file, not a relocatable module", m.Name, f.Type)
		}
		for _, s := range f.Symbols {
			if s.Name != "" && s.Section != SecUndef && (s.Bind == BindGlobal || s.Bind == BindWeak) {
				a.Symbols = append(a.Symbols, ArchiveSymbol{Name: s.Name, Member: i})
			}
		}
	}
	if err := a.validate(); err != nil {
		return nil, err
	}
	return a, nil
}

// memberNameProblem says what is wrong with a member name, completing
// "name "x" ...", or returns "" if the name is valid. The rules make every
// name a plain file name that extraction cannot turn into another path.
func memberNameProblem(name string) string {
	switch {
	case name == "":
		return "is empty"
	case name == "." || name == "..":
		return "is not a file name"
	case strings.IndexByte(name, 0) >= 0:
		return "contains NUL"
	case strings.IndexByte(name, '/') >= 0:
		return "contains '/'"
	case strings.IndexByte(name, '\\') >= 0:
		return `contains '\'`
	}
	return ""
}

// validate reports the first reason a cannot be encoded, or nil. The
// reader enforces the same rules (archive_read.go), so that every Archive
// it returns can be encoded again.
func (a *Archive) validate() error {
	if a == nil {
		return errors.New("objfmt: nil Archive")
	}
	if uint64(len(a.Members)) > maxCount {
		return fmt.Errorf("objfmt: too many archive members (%d)", len(a.Members))
	}
	if uint64(len(a.Symbols)) > maxCount {
		return fmt.Errorf("objfmt: too many archive symbols (%d)", len(a.Symbols))
	}
	seen := make(map[string]int, len(a.Members))
	for i, m := range a.Members {
		if m == nil {
			return fmt.Errorf("objfmt: archive member %d is nil", i)
		}
		if p := memberNameProblem(m.Name); p != "" {
			return fmt.Errorf("objfmt: archive member %d: name %q %s", i, m.Name, p)
		}
		if j, dup := seen[m.Name]; dup {
			return fmt.Errorf("objfmt: archive member %d: duplicate name %q (also member %d)", i, m.Name, j)
		}
		seen[m.Name] = i
	}
	for i, s := range a.Symbols {
		switch {
		case s.Name == "":
			return fmt.Errorf("objfmt: archive symbol %d: empty name", i)
		case strings.IndexByte(s.Name, 0) >= 0:
			return fmt.Errorf("objfmt: archive symbol %d (%q): name contains NUL", i, s.Name)
		case s.Member < 0 || s.Member >= len(a.Members):
			return fmt.Errorf("objfmt: archive symbol %d (%q): member %d out of range (%d members)", i, s.Name, s.Member, len(a.Members))
		case i > 0 && s.Member < a.Symbols[i-1].Member:
			return fmt.Errorf("objfmt: archive symbol %d (%q): member %d before member %d of the previous symbol", i, s.Name, s.Member, a.Symbols[i-1].Member)
		}
	}
	return nil
}
