package main

import (
	"bytes"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"linkvm/asm"
	"linkvm/objfmt"
	"linkvm/staticld"
)

// image assembles src, links it alone and writes it to a temporary file.
func image(t *testing.T, src string) string {
	t.Helper()
	obj, err := asm.Assemble("t.s", []byte(src), asm.Options{})
	require.NoError(t, err)
	img, err := staticld.Link(staticld.Config{}, []staticld.Input{{Name: "t.vo", File: obj}})
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "t.img")
	require.NoError(t, objfmt.WriteFile(path, img))
	return path
}

func TestPairs(t *testing.T) {
	// li, three rounds of addi+bnez (the branch back makes bnez, addi no
	// pair: the addi is not the word after the bnez), then li and halt.
	path := image(t, `
	.global _start
_start:	li r1, 3
1:	addi r1, r1, -1
	bnez r1, 1b
	li r0, 0
	halt`)
	var out, errb bytes.Buffer
	require.NoError(t, run([]string{"-top", "3", path}, &out, &errb))
	assert.Equal(t, `9 instructions

instruction       share
addi              33.3%
bnez              33.3%
li                22.2%

pair              share
addi bnez         33.3%
bnez li           11.1%
li addi           11.1%
`, out.String())
	assert.Empty(t, errb.String())
}

func TestPairsUsage(t *testing.T) {
	var out, errb bytes.Buffer
	assert.EqualError(t, run(nil, &out, &errb), "usage: pairs [-top N] image.img [args...]")
	assert.EqualError(t, run([]string{"/nonexistent.img"}, &out, &errb), "open /nonexistent.img: no such file or directory")
}
