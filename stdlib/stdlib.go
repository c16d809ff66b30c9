// Package stdlib is linkvm's standard library, libstd (docs/stdlib.md):
// its sources, written in linkvm assembly, are embedded here so that a
// program built from `go install` can still make the library (Install). Each
// source file defines one function or a small group, so that a static
// link extracts only the members a program needs.
package stdlib

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"linkvm/asm"
	"linkvm/objfmt"
	"linkvm/staticld"
)

//go:embed src/*.s
var sources embed.FS

// Sources are libstd's assembly sources: the files src/NAME.s.
var Sources fs.FS = sources

// ArchiveName is the file name of the static library: vmld -lstd finds it.
const ArchiveName = "libstd.va"

// Members assembles every source and returns the modules, one member
// NAME.vo per src/NAME.s, sorted by name. Errors name the source file.
func Members() ([]*objfmt.Member, error) {
	names, err := fs.Glob(sources, "src/*.s")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	members := make([]*objfmt.Member, 0, len(names))
	for _, name := range names {
		src, err := sources.ReadFile(name)
		if err != nil {
			return nil, err
		}
		f, err := asm.Assemble("stdlib/"+name, src, asm.Options{
			ReadFile: func(inc string) ([]byte, error) {
				return sources.ReadFile(path.Join("src", filepath.Base(inc)))
			},
		})
		if err != nil {
			return nil, err
		}
		data, err := f.Encode()
		if err != nil {
			return nil, fmt.Errorf("stdlib/%s: %w", name, err)
		}
		base := strings.TrimSuffix(path.Base(name), ".s")
		members = append(members, &objfmt.Member{Name: base + ".vo", Data: data})
	}
	return members, nil
}

// File names of the installed library (docs/linking.md): vmld -lstd links
// SharedName and NonsharedName, or ArchiveName with -static.
const (
	// SharedName is the shared module: every member but the startup code.
	SharedName = "libstd.vso"
	// NonsharedName is the archive of what every executable must contain
	// itself even when libstd is shared: the startup code.
	NonsharedName = "libstd_nonshared.va"
	// Soname is the shared module's name with its major version.
	Soname = "libstd.vso.1"
	// Version is the shared module's MAJOR.MINOR version.
	Version = "1.0"
	// StartupName is the member holding _start (crt0.s assembled).
	StartupName = "crt0.vo"
)

// Install assembles the sources once and writes, atomically, the three
// files of the library into dir: ArchiveName, SharedName and
// NonsharedName.
func Install(dir string) error {
	members, err := Members()
	if err != nil {
		return err
	}
	var shared []staticld.Input
	var startup []*objfmt.Member
	for _, m := range members {
		if m.Name == StartupName {
			startup = append(startup, m)
			continue
		}
		f, err := m.File()
		if err != nil {
			return fmt.Errorf("stdlib: %s: %w", m.Name, err)
		}
		shared = append(shared, staticld.Input{Name: m.Name, File: f})
	}
	if len(startup) == 0 {
		return fmt.Errorf("stdlib: no %s among the sources", StartupName)
	}
	all, err := objfmt.BuildArchive(members)
	if err != nil {
		return err
	}
	nonshared, err := objfmt.BuildArchive(startup)
	if err != nil {
		return err
	}
	vso, err := staticld.Link(staticld.Config{Shared: true, Soname: Soname, Version: Version}, shared)
	if err != nil {
		return fmt.Errorf("stdlib: linking %s: %w", SharedName, err)
	}
	if err := objfmt.WriteArchive(filepath.Join(dir, ArchiveName), all); err != nil {
		return err
	}
	if err := objfmt.WriteArchive(filepath.Join(dir, NonsharedName), nonshared); err != nil {
		return err
	}
	return objfmt.WriteFile(filepath.Join(dir, SharedName), vso)
}
