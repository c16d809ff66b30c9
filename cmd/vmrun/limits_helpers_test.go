package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"linkvm/asm"
	"linkvm/objfmt"
	"linkvm/staticld"
	"linkvm/stdlib"
)

// limitsDir holds the sources of the limit, sandbox and interrupt test
// programs.
const limitsDir = "testdata/limits"

// limitsProg builds testdata/limits/NAME.s into a temporary directory, as
//
//	vmas -o NAME.vo NAME.s; vmld -static -o NAME.img NAME.vo -lstd
//
// would with libstd installed (a program with its own _start is linked
// without it), and returns the image's path.
func limitsProg(t *testing.T, name string) string {
	t.Helper()
	src, err := os.ReadFile(filepath.Join(limitsDir, name+".s"))
	require.NoError(t, err)
	obj, err := asm.Assemble(name+".s", src, asm.Options{})
	require.NoError(t, err)
	dir := t.TempDir()
	inputs := []staticld.Input{{Name: name + ".vo", File: obj}}
	cfg := staticld.Config{Static: true}
	if !definesStart(obj) {
		lib := filepath.Join(dir, "lib")
		require.NoError(t, os.Mkdir(lib, 0o755))
		require.NoError(t, stdlib.Install(lib))
		cfg.LibDirs = []string{lib}
		std, err := staticld.ReadInputs(cfg, []staticld.InputArg{{Library: "std"}})
		require.NoError(t, err)
		inputs = append(inputs, std...)
	}
	img, err := staticld.Link(cfg, inputs)
	require.NoError(t, err)
	path := filepath.Join(dir, name+".img")
	require.NoError(t, objfmt.WriteFile(path, img))
	return path
}

// definesStart reports whether obj defines _start.
func definesStart(obj *objfmt.File) bool {
	for _, s := range obj.Symbols {
		if s.Name == "_start" && s.Section != objfmt.SecUndef {
			return true
		}
	}
	return false
}
