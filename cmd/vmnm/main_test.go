package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"linkvm/asm"
	"linkvm/internal/golden"
	"linkvm/objfmt"
	"linkvm/staticld"
)

// vmnm runs the command in-process.
func vmnm(args ...string) (code int, stdout, stderr string) {
	var o, e bytes.Buffer
	code = run(args, &o, &e)
	return code, o.String(), e.String()
}

// fixture makes a temporary directory the working directory and builds in
// it, from testdata: kinds.vo and other.vo (asm.Assemble), prog.img
// (staticld.Link of both) and libk.va holding both. It returns the
// absolute path of testdata.
func fixture(t *testing.T) string {
	t.Helper()
	testdata, err := filepath.Abs("testdata")
	require.NoError(t, err)
	t.Chdir(t.TempDir())
	var inputs []staticld.Input
	var members []*objfmt.Member
	for _, name := range []string{"kinds", "other"} {
		src, err := os.ReadFile(filepath.Join(testdata, name+".s"))
		require.NoError(t, err)
		f, err := asm.Assemble(name+".s", src, asm.Options{})
		require.NoError(t, err)
		require.NoError(t, objfmt.WriteFile(name+".vo", f))
		data, err := os.ReadFile(name + ".vo")
		require.NoError(t, err)
		inputs = append(inputs, staticld.Input{Name: name + ".vo", File: f})
		members = append(members, &objfmt.Member{Name: name + ".vo", Data: data})
	}
	img, err := staticld.Link(staticld.Config{Entry: "main"}, inputs)
	require.NoError(t, err)
	require.NoError(t, objfmt.WriteFile("prog.img", img))
	a, err := objfmt.BuildArchive(members)
	require.NoError(t, err)
	require.NoError(t, objfmt.WriteArchive("libk.va", a))
	return testdata
}

func TestGolden(t *testing.T) {
	testdata := fixture(t)
	tests := []struct {
		golden string
		args   []string
	}{
		{"kinds", []string{"kinds.vo"}},
		{"kinds-u", []string{"-u", "kinds.vo"}},
		{"kinds-g", []string{"-g", "kinds.vo"}},
		{"kinds-n", []string{"-n", "kinds.vo"}},
		{"kinds-p", []string{"-p", "kinds.vo"}},
		{"kinds-gA", []string{"-gA", "kinds.vo"}},
		{"prog.img-n", []string{"-n", "prog.img"}},
		{"libk.va", []string{"libk.va"}},
		{"libk.va-A", []string{"-A", "libk.va"}},
		{"several", []string{"-g", "kinds.vo", "libk.va"}},
	}
	for _, tt := range tests {
		t.Run(tt.golden, func(t *testing.T) {
			code, stdout, stderr := vmnm(tt.args...)
			require.Equal(t, 0, code, stderr)
			assert.Empty(t, stderr)
			golden.Check(t, filepath.Join(testdata, tt.golden+".golden"), stdout)
		})
	}
}

// TestTypeLetters checks the letter of every symbol of kinds.vo, so that
// the goldens cannot drift from the documented meaning.
func TestTypeLetters(t *testing.T) {
	fixture(t)
	f, err := objfmt.Open("kinds.vo")
	require.NoError(t, err)
	got := map[string]string{}
	for i := range f.Symbols {
		if s := &f.Symbols[i]; s.Type != objfmt.SymSection {
			got[s.Name] = string(typeLetter(f, s))
		}
	}
	assert.Equal(t, map[string]string{
		"main": "T", "local_fn": "t", "fallback": "W", "helper": "U", "maybe": "w",
		"table": "R", "msg": "r", "count": "D", "state": "d", "ext_ptr": "D",
		"extern_obj": "U", "buf": "b", "pool": "B", "limit": "A",
	}, got)
}

func TestNoSymbols(t *testing.T) {
	fixture(t)
	f := &objfmt.File{Type: objfmt.TypeRel, Sections: []*objfmt.Section{
		{Name: ".text", Kind: objfmt.KindProgbits, Flags: objfmt.FlagAlloc | objfmt.FlagExec, Align: 8, Size: 8, Data: make([]byte, 8)},
	}}
	require.NoError(t, objfmt.WriteFile("empty.vo", f))
	code, stdout, stderr := vmnm("empty.vo")
	assert.Equal(t, 0, code)
	assert.Empty(t, stdout)
	assert.Equal(t, "vmnm: empty.vo: no symbols\n", stderr)
}

func TestErrors(t *testing.T) {
	fixture(t)
	require.NoError(t, os.WriteFile("bad.vo", []byte("garbage!"), 0o644))
	kinds, err := os.ReadFile("kinds.vo")
	require.NoError(t, err)
	a := &objfmt.Archive{Members: []*objfmt.Member{{Name: "kinds.vo", Data: kinds}, {Name: "junk.vo", Data: []byte("junk")}}}
	data, err := a.Encode()
	require.NoError(t, err)
	require.NoError(t, os.WriteFile("bad.va", data, 0o644))

	tests := []struct {
		name   string
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{"bad magic", []string{"bad.vo"}, 1, "",
			"vmnm: bad.vo: objfmt: bad magic \"garb\" at offset 0x0\n"},
		{"missing", []string{"nothere.vo"}, 1, "",
			"vmnm: nothere.vo: no such file or directory\n"},
		{"bad member", []string{"-u", "bad.va"}, 1,
			"\nkinds.vo:\n                 U extern_obj\n                 U helper\n                 w maybe\n",
			"vmnm: bad.va(junk.vo): objfmt: bad magic \"junk\" at offset 0x0\n"},
		{"keeps going", []string{"-u", "bad.vo", "other.vo"}, 1, "\nother.vo:\n",
			"vmnm: bad.vo: objfmt: bad magic \"garb\" at offset 0x0\n"},
		{"no files", nil, 2, "", "vmnm: error: no input files\n" + usage},
		{"-n and -p", []string{"-n", "-p", "kinds.vo"}, 2, "",
			"vmnm: error: -n and -p cannot be used together\n" + usage},
		{"unknown flag", []string{"-x", "kinds.vo"}, 2, "",
			"vmnm: error: flag provided but not defined: -x\n" + usage},
		{"help", []string{"-h"}, 0, "", usage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := vmnm(tt.args...)
			assert.Equal(t, tt.code, code)
			assert.Equal(t, tt.stdout, stdout)
			assert.Equal(t, tt.stderr, stderr)
		})
	}
}
