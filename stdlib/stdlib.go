// Package stdlib is linkvm's standard library, libstd (docs/stdlib.md):
// its sources, written in linkvm assembly, are embedded here so that a
// program built from `go install` can still make the library, and
// BuildArchive assembles them into the static archive libstd.va. Each
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
	"linkvm/internal/atomicfile"
	"linkvm/objfmt"
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

// BuildArchive assembles the sources and writes the static library
// dir/libstd.va (atomically), returning its path.
func BuildArchive(dir string) (string, error) {
	members, err := Members()
	if err != nil {
		return "", err
	}
	a, err := objfmt.BuildArchive(members)
	if err != nil {
		return "", err
	}
	out := filepath.Join(dir, ArchiveName)
	if err := objfmt.WriteArchive(out, a); err != nil {
		return "", err
	}
	return out, nil
}

// StartupName is the file name of the startup object (crt0.s assembled)
// that a dynamically linked executable links in itself.
const StartupName = "crt0.vo"

// BuildStartup assembles crt0.s and writes the module dir/crt0.vo
// (atomically), returning its path: the same bytes as the archive's
// crt0.vo member.
func BuildStartup(dir string) (string, error) {
	members, err := Members()
	if err != nil {
		return "", err
	}
	for _, m := range members {
		if m.Name == StartupName {
			out := filepath.Join(dir, StartupName)
			return out, atomicfile.WriteFile(out, m.Data, 0o644)
		}
	}
	return "", fmt.Errorf("stdlib: no %s among the sources", StartupName)
}
