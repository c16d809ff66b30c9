package vm

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"linkvm/objfmt"
)

func TestLoadErrors(t *testing.T) {
	src := `
_start:	halt
	.rodata
	.quad 1
	.data
	.quad 2`
	for _, tc := range []struct {
		name   string
		change func(f *objfmt.File, cfg *Config)
		want   string
	}{
		{"nil image", nil, "t.img: no image"},
		{"relocatable", func(f *objfmt.File, _ *Config) { f.Type = objfmt.TypeRel }, "t.img: not an executable image (type relocatable)"},
		{"shared", func(f *objfmt.File, _ *Config) { f.Type = objfmt.TypeShared }, "t.img: not an executable image (type shared)"},
		{"null area", func(f *objfmt.File, _ *Config) { f.Sections[1].Addr = 0xf000 },
			"t.img: section .rodata at 0xf000 is in the null area (below 0x10000)"},
		{"overlap", func(f *objfmt.File, _ *Config) { f.Sections[2].Addr = 0x11004 },
			"t.img: section .data [0x11004, 0x1100c) overlaps section .rodata [0x11000, 0x11008)"},
		{"beyond 47 bits", func(f *objfmt.File, _ *Config) { f.Sections[2].Addr = 1<<47 - 4 },
			"t.img: section .data [0x7ffffffffffc, +0x8) does not fit in the 47-bit address space"},
		{"wraps around", func(f *objfmt.File, _ *Config) { f.Sections[2].Addr = ^uint64(0) - 3 },
			"t.img: section .data [0xfffffffffffffffc, +0x8) does not fit in the 47-bit address space"},
		{"size mismatch", func(f *objfmt.File, _ *Config) { f.Sections[1].Size = 100 },
			"t.img: section .rodata: size 100 but 8 bytes of data"},
		{"bad kind", func(f *objfmt.File, _ *Config) { f.Sections[1].Kind = 4 },
			"t.img: section .rodata: kind 4 cannot be loaded"},
		{"nil section", func(f *objfmt.File, _ *Config) { f.Sections[1] = nil }, "t.img: nil section"},
		{"misaligned code", func(f *objfmt.File, _ *Config) { f.Sections[0].Addr = 0x10004; f.Entry = 0x10004 },
			"t.img: executable section .text at 0x10004 is not 8-byte aligned"},
		{"entry in data", func(f *objfmt.File, _ *Config) { f.Entry = 0x11000 },
			"t.img: entry point 0x11000 is not an instruction in an executable section"},
		{"entry misaligned", func(f *objfmt.File, _ *Config) { f.Entry = 0x10001 },
			"t.img: entry point 0x10001 is not an instruction in an executable section"},
		{"entry zero", func(f *objfmt.File, _ *Config) { f.Entry = 0 },
			"t.img: entry point 0x0 is not an instruction in an executable section"},
		{"section on the stack", func(f *objfmt.File, _ *Config) { f.Sections[2].Addr = StackTop - 8 },
			"t.img: section .data [0x7ffffff8, 0x80000000) overlaps the stack [0x7ff00000, 0x80000000)"},
		{"stack too big", func(_ *objfmt.File, c *Config) { c.StackSize = MaxStackSize + 1 },
			"t.img: stack size 1073741825 is larger than the maximum 1073741824"},
		{"arguments too big", func(_ *objfmt.File, c *Config) {
			c.StackSize = 4096
			c.Args = []string{strings.Repeat("x", 3000)}
		}, "t.img: the arguments and environment (3041 bytes) do not fit in half of the 4096-byte stack"},
		{"missing grant", func(_ *objfmt.File, c *Config) { c.Dirs = []DirGrant{{Host: "/nonexistent/dir"}} },
			"cannot grant directory /nonexistent/dir: open /nonexistent/dir: no such file or directory"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var img *objfmt.File
			cfg := Config{}
			if tc.change != nil {
				img = assemble(t, src)
				tc.change(img, &cfg)
			}
			_, err := Load(img, "t.img", cfg)
			assert.EqualError(t, err, tc.want)
		})
	}
}

func TestLoadSharesReadOnlySections(t *testing.T) {
	img := assemble(t, `
_start:	la r1, v
	ld64 r0, [r1]
	addi r0, r0, 1
	st64 r0, [r1]
	halt
	.rodata
	.quad 7
	.data
v:	.quad 41`)
	p1, err := Load(img, "a", Config{})
	require.NoError(t, err)
	p2, err := Load(img, "b", Config{})
	require.NoError(t, err)
	// Code and rodata are the image's bytes; data is private.
	assert.Same(t, &img.Sections[0].Data[0], &p1.as.find(0x10000).data[0])
	assert.Same(t, &img.Sections[0].Data[0], &p2.as.find(0x10000).data[0])
	assert.Same(t, &img.Sections[1].Data[0], &p1.as.find(0x11000).data[0])
	assert.NotSame(t, &img.Sections[2].Data[0], &p1.as.find(0x12000).data[0])
	s1, err := p1.Run()
	require.NoError(t, err)
	s2, err := p2.Run()
	require.NoError(t, err)
	assert.Equal(t, 42, s1)
	assert.Equal(t, 42, s2)
	assert.Equal(t, byte(41), img.Sections[2].Data[0])
}

func TestLoadIgnoresNonAllocAndEmptySections(t *testing.T) {
	img := assemble(t, "\n_start:\thalt")
	img.Sections = append(img.Sections,
		&objfmt.Section{Name: ".comment", Kind: objfmt.KindProgbits, Size: 3, Data: []byte("abc"), Addr: 0},
		&objfmt.Section{Name: ".empty", Kind: objfmt.KindProgbits, Flags: objfmt.FlagAlloc, Addr: 0})
	_, err := Load(img, "t.img", Config{})
	require.NoError(t, err)
}

func TestGrantGuestPaths(t *testing.T) {
	dir := t.TempDir()
	p, err := Load(assemble(t, "\n_start:\thalt"), "t.img", Config{Dirs: []DirGrant{
		{Host: dir, Guest: "/a"}, {Host: dir, Guest: "/a/b/"}, {Host: filepath.Join(dir, "."), Guest: "rel/x/.."},
	}})
	require.NoError(t, err)
	defer p.Close()
	for _, tc := range []struct{ path, guest, rel string }{
		{"/a", "/a", "."},
		{"/a/f", "/a", "f"},
		{"/a/b", "/a/b", "."},
		{"/a/b/c/d", "/a/b", "c/d"},
		{"a/bc", "/a", "bc"},
		{"/rel/f", "/rel", "f"},
		{"/x/../a/./f", "/a", "f"},
	} {
		g, rel, ok := p.resolve(tc.path)
		require.True(t, ok, tc.path)
		assert.Equal(t, tc.guest, g.guest, tc.path)
		assert.Equal(t, tc.rel, rel, tc.path)
	}
	_, _, ok := p.resolve("/ab")
	assert.False(t, ok)
}
