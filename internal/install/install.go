// Package install finds the installation's default library directory, the
// one vmld -lstd, vmrun and vmldd search when nothing else names one.
//
// Built with `make`, the tools live in PREFIX/bin and libstd in PREFIX/lib.
// Installed with `go install ./cmd/...`, there is no lib directory beside
// the binaries: libstd is then built on first use, from the sources
// embedded in the binary, into a per-user cache directory whose name
// carries a hash of those sources (so a newer toolchain never uses an
// older library).
package install

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"

	"linkvm/objfmt"
	"linkvm/stdlib"
)

// LibDirs returns the default library directories: PREFIX/lib when it
// holds libstd, else the cache directory, filled on first use. It returns
// nil when neither can be had (no writable cache directory), and the tools
// then search only what they are told to.
func LibDirs() []string {
	once.Do(func() { dirs = find() })
	return dirs
}

var (
	once sync.Once
	dirs []string
)

func find() []string {
	if exe, err := os.Executable(); err == nil {
		if exe, err = filepath.EvalSymlinks(exe); err == nil {
			lib := filepath.Join(filepath.Dir(exe), "..", "lib")
			if hasLibstd(lib) {
				return []string{filepath.Clean(lib)}
			}
		}
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		return nil
	}
	dir := filepath.Join(cache, "linkvm", "lib-"+sourcesHash())
	if hasLibstd(dir) {
		return []string{dir}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil
	}
	if err := stdlib.Install(dir); err != nil {
		return nil
	}
	return []string{dir}
}

// hasLibstd reports whether dir holds all three files of libstd.
func hasLibstd(dir string) bool {
	for _, name := range []string{stdlib.ArchiveName, stdlib.SharedName, stdlib.NonsharedName} {
		if fi, err := os.Stat(filepath.Join(dir, name)); err != nil || !fi.Mode().IsRegular() {
			return false
		}
	}
	return true
}

// sourcesHash is a short hash of libstd's embedded sources and of the
// object format's versions.
func sourcesHash() string {
	h := sha256.New()
	// The format versions count too: a library cached by a toolchain that
	// wrote an older format cannot be read by this one.
	fmt.Fprintf(h, "objfmt %d, archive %d\n", objfmt.Version, objfmt.ArchiveVersion)
	_ = fs.WalkDir(stdlib.Sources, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(stdlib.Sources, path)
		if err != nil {
			return err
		}
		h.Write([]byte(path))
		h.Write([]byte{0})
		h.Write(b)
		return nil
	})
	return hex.EncodeToString(h.Sum(nil))[:16]
}
