package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"linkvm/objfmt"
)

// vmas runs the command in-process.
func vmas(args ...string) (code int, stdout, stderr string) {
	var o, e bytes.Buffer
	code = run(args, &o, &e)
	return code, o.String(), e.String()
}

func write(t *testing.T, path, content string) {
	t.Helper()
	require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
	require.NoError(t, os.WriteFile(path, []byte(content), 0o644))
}

func TestDefaultOutput(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "prog.s")
	write(t, in, "\t.global _start\n_start:\tli r0, 0\n\tsys 0\n")
	code, stdout, stderr := vmas(in)
	require.Equal(t, 0, code, stderr)
	assert.Empty(t, stdout)
	assert.Empty(t, stderr)
	f, err := objfmt.Open(filepath.Join(dir, "prog.vo"))
	require.NoError(t, err)
	assert.Equal(t, objfmt.TypeRel, f.Type)
	require.Len(t, f.Symbols, 1)
	assert.Equal(t, "_start", f.Symbols[0].Name)
}

func TestOutputFlagAndIncludeDirs(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "inc", "defs.s"), "EXIT = 0\n")
	in := filepath.Join(dir, "src", "main.asm")
	write(t, in, ".include \"defs.s\"\n\tsys EXIT\n")
	out := filepath.Join(dir, "out.vo")
	code, _, stderr := vmas("-I", filepath.Join(dir, "nowhere"), "-I", filepath.Join(dir, "inc"), "-o", out, in)
	require.Equal(t, 0, code, stderr)
	_, err := objfmt.Open(out)
	require.NoError(t, err)
	// Without -s suffix and without -o, .vo is appended.
	code, _, stderr = vmas("-I", filepath.Join(dir, "inc"), in)
	require.Equal(t, 0, code, stderr)
	_, err = os.Stat(in + ".vo")
	require.NoError(t, err)
}

func TestAssemblyErrors(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "bad.s")
	write(t, in, "\tfrob\n\tnop\n\tadd r1\n")
	out := filepath.Join(dir, "bad.vo")
	write(t, out, "old contents")
	code, stdout, stderr := vmas(in)
	assert.Equal(t, 1, code)
	assert.Empty(t, stdout)
	assert.Equal(t, in+":1:2: error: unknown mnemonic \"frob\"\n"+
		in+":3:2: error: add expects 3 operands (add ra, rb, rc), got 1\n", stderr)
	got, err := os.ReadFile(out)
	require.NoError(t, err)
	assert.Equal(t, "old contents", string(got), "an existing output is left untouched")

	// No output file is created either.
	code, _, _ = vmas("-o", filepath.Join(dir, "new.vo"), in)
	assert.Equal(t, 1, code)
	_, err = os.Stat(filepath.Join(dir, "new.vo"))
	assert.True(t, os.IsNotExist(err))
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Len(t, entries, 2, "no temporary files are left behind")
}

func TestMissingInput(t *testing.T) {
	in := filepath.Join(t.TempDir(), "nope.s")
	code, _, stderr := vmas(in)
	assert.Equal(t, 1, code)
	assert.Equal(t, "vmas: error: open "+in+": no such file or directory\n", stderr)
}

func TestUnwritableOutput(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "a.s")
	write(t, in, "\tnop\n")
	code, _, stderr := vmas("-o", filepath.Join(dir, "no", "such", "dir", "a.vo"), in)
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "vmas: error: ")
}

func TestUsage(t *testing.T) {
	for _, args := range [][]string{{"-h"}, {"--help"}} {
		code, stdout, stderr := vmas(args...)
		assert.Equal(t, 0, code, args)
		assert.Empty(t, stdout)
		assert.Equal(t, usage, stderr)
	}
	tests := []struct {
		args []string
		want string
	}{
		{nil, "vmas: error: expected exactly one input file, got 0\n"},
		{[]string{"a.s", "b.s"}, "vmas: error: expected exactly one input file, got 2\n"},
		{[]string{"-x", "a.s"}, "vmas: error: flag provided but not defined: -x\n"},
		{[]string{"-o"}, "vmas: error: flag needs an argument: -o\n"},
	}
	for _, tt := range tests {
		code, stdout, stderr := vmas(tt.args...)
		assert.Equal(t, 2, code, tt.args)
		assert.Empty(t, stdout)
		assert.Equal(t, tt.want+usage, stderr)
	}
	code, _, stderr := vmas("-o", "x.s", "x.s")
	assert.Equal(t, 2, code)
	assert.Equal(t, "vmas: error: output file x.s would overwrite the input\n", stderr)
}
