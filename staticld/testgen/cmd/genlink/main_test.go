package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"linkvm/objfmt"
	"linkvm/staticld/testgen"
)

func TestWritesModules(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	var stdout, stderr bytes.Buffer
	code := run([]string{"-n", "3", "-m", "2", "-seed", "5", "-o", dir}, &stdout, &stderr)
	require.Equal(t, exitOK, code, stderr.String())
	assert.Equal(t, "wrote 3 modules, 6 functions, 37 relocations to "+dir+"\n"+
		"link with: bin/vmld -o "+filepath.Join(dir, "out.img")+" "+filepath.Join(dir, "mod*.vo")+"\n", stdout.String())
	assert.Empty(t, stderr.String())
	c := testgen.Config{Modules: 3, Funcs: 2, Seed: 5}
	for i := range 3 {
		f, err := objfmt.Open(filepath.Join(dir, testgen.ModuleName(i)))
		require.NoError(t, err)
		want, err := testgen.Module(c, i)
		require.NoError(t, err)
		require.Equal(t, want, f)
	}
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Len(t, entries, 3)
}

func TestUsage(t *testing.T) {
	tests := []struct {
		args   []string
		code   int
		stderr string
	}{
		{[]string{"-n", "1", "-o", "x"}, exitUsage, "genlink: testgen: need at least 2 modules, got 1\n"},
		{[]string{"-n", "2"}, exitUsage, "genlink: -o DIR is required\n"},
		{[]string{"-o", "x", "extra"}, exitUsage, "genlink: unexpected argument \"extra\"\n"},
	}
	for _, tt := range tests {
		var stdout, stderr bytes.Buffer
		assert.Equal(t, tt.code, run(tt.args, &stdout, &stderr), tt.args)
		assert.Equal(t, tt.stderr, stderr.String(), tt.args)
		assert.Empty(t, stdout.String())
	}
	var stdout, stderr bytes.Buffer
	assert.Equal(t, exitOK, run([]string{"-h"}, &stdout, &stderr))
	assert.Contains(t, stderr.String(), "usage: genlink [-n N] [-m M] [-calls C] [-seed S] -o DIR\n")
	assert.Equal(t, exitUsage, run([]string{"-bogus"}, &stdout, &stderr))
}
