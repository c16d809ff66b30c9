package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"linkvm/asm"
	"linkvm/objfmt"
	"linkvm/staticld"
)

// toolsDir holds the sources of the teaching tools' test programs.
const toolsDir = "testdata/tools"

// assembleTo assembles the source src into dir/NAME.vo, NAME being the
// source's base name, as `vmas -o NAME.vo NAME.s` run in src's directory
// would: the line table names the file NAME.s.
func assembleTo(t *testing.T, dir, src string) string {
	t.Helper()
	text, err := os.ReadFile(src)
	require.NoError(t, err)
	base := filepath.Base(src)
	f, err := asm.Assemble(base, text, asm.Options{})
	require.NoError(t, err)
	out := filepath.Join(dir, strings.TrimSuffix(base, ".s")+".vo")
	require.NoError(t, objfmt.WriteFile(out, f))
	return out
}

// linkTo links the inputs (paths) into dir/out with cfg, as vmld does.
func linkTo(t *testing.T, dir, out string, cfg staticld.Config, inputs ...string) {
	t.Helper()
	args := make([]staticld.InputArg, len(inputs))
	for i, in := range inputs {
		args[i] = staticld.InputArg{Path: in}
	}
	ins, err := staticld.ReadInputs(cfg, args)
	require.NoError(t, err)
	img, err := staticld.Link(cfg, ins)
	require.NoError(t, err)
	require.NoError(t, objfmt.WriteFile(filepath.Join(dir, out), img))
}

// buildStatic builds dir/NAME.img from the sources srcs:
//
//	vmas -o a.vo a.s; ...; vmld -o NAME.img a.vo ...
func buildStatic(t *testing.T, dir, name string, srcs ...string) {
	t.Helper()
	var objs []string
	for _, s := range srcs {
		objs = append(objs, assembleTo(t, dir, s))
	}
	linkTo(t, dir, name+".img", staticld.Config{}, objs...)
}

// buildGreet builds the dynamic test program in dir: libgreet.vso and
// prog.img, which needs it and finds it beside itself:
//
//	vmas -o greet.vo greet.s
//	vmld -shared -soname libgreet.vso.1 -o libgreet.vso greet.vo
//	vmas -o main.vo main.s
//	vmld -o prog.img main.vo libgreet.vso -rpath '$ORIGIN'
func buildGreet(t *testing.T, dir string) {
	t.Helper()
	greet := assembleTo(t, dir, filepath.Join(toolsDir, "greet.s"))
	linkTo(t, dir, "libgreet.vso", staticld.Config{Shared: true, Soname: "libgreet.vso.1"}, greet)
	main := assembleTo(t, dir, filepath.Join(toolsDir, "main.s"))
	linkTo(t, dir, "prog.img", staticld.Config{Runpath: []string{"$ORIGIN"}}, main, filepath.Join(dir, "libgreet.vso"))
}

// inDir builds the test programs with build in a new directory and makes
// it the current one, so that the programs run under the short names the
// documentation shows (the image's name appears in reports).
func inDir(t *testing.T, build func(dir string)) {
	t.Helper()
	dir := t.TempDir()
	build(dir)
	t.Chdir(dir)
}
