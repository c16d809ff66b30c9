package main

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"linkvm/asm"
	"linkvm/objfmt"
	"linkvm/vm"
)

// assemble assembles src as name and returns the module.
func assemble(t *testing.T, name, src string) *objfmt.File {
	t.Helper()
	f, err := asm.Assemble(name, []byte(src), asm.Options{})
	require.NoError(t, err, name)
	return f
}

// memberSource is member fNN of the 50-member library: fNN(x) = x + NN;
// f42 also calls f17 first.
func memberSource(n int) string {
	if n == 42 {
		return `
        .text
        .global f42
f42:    enter 0
        call  f17
        addi  r0, r0, 42
        leave
        ret
`
	}
	return fmt.Sprintf(`
        .text
        .global f%02[1]d
f%02[1]d:    addi  r0, r0, %[1]d
        ret
`, n)
}

const mainSource = `
        .text
        .global _start
_start:
        li    r0, 0
        call  f03
        call  f42
        sys   0
`

// runImage loads and runs the image file path and returns its exit status.
func runImage(t *testing.T, path string) int {
	t.Helper()
	img, err := objfmt.Open(path)
	require.NoError(t, err)
	p, err := vm.Load(img, path, vm.Config{Args: []string{path}})
	require.NoError(t, err)
	status, err := p.Run()
	require.NoError(t, err)
	return status
}

// TestLinkFromFiftyMemberArchive is issue 3's done-means: a program using
// two functions of a 50-member library links only the members it needs,
// and -Map and --why-extract say why.
func TestLinkFromFiftyMemberArchive(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	require.NoError(t, os.Mkdir("objs", 0o755))
	var members []*objfmt.Member
	var objs []string // the same modules as plain objects, for comparison
	for n := range 50 {
		name := fmt.Sprintf("f%02d.vo", n)
		f := assemble(t, fmt.Sprintf("f%02d.s", n), memberSource(n))
		data, err := f.Encode()
		require.NoError(t, err)
		members = append(members, &objfmt.Member{Name: name, Data: data})
		objs = append(objs, write(t, "objs", name, f))
	}
	require.NoError(t, os.Mkdir("lib", 0o755))
	ar, err := objfmt.BuildArchive(members)
	require.NoError(t, err)
	require.NoError(t, objfmt.WriteArchive(filepath.Join("lib", "libfuncs.va"), ar))
	write(t, ".", "main.vo", assemble(t, "main.s", mainSource))

	status, stdout, stderr := vmld("-o", "prog.img", "main.vo", "-L", "lib", "-lfuncs", "--why-extract=-", "-Map", "prog.map")
	require.Equal(t, 0, status, stderr)
	assert.Empty(t, stderr)
	assert.Equal(t, "reference\textracted\tsymbol\n"+
		"main.vo\tlib/libfuncs.va(f03.vo)\tf03\n"+
		"main.vo\tlib/libfuncs.va(f42.vo)\tf42\n"+
		"lib/libfuncs.va(f42.vo)\tlib/libfuncs.va(f17.vo)\tf17\n", stdout)
	mp, err := os.ReadFile("prog.map")
	require.NoError(t, err)
	assert.Equal(t, `Entry point: _start = 0x10000

Archive members included to satisfy references:

lib/libfuncs.va(f03.vo)         main.vo (f03)
lib/libfuncs.va(f42.vo)         main.vo (f42)
lib/libfuncs.va(f17.vo)         lib/libfuncs.va(f42.vo) (f17)

Memory map:

     VMA     Size Align Out     In      Symbol
   10000       68     8 .text
   10000       20     8         main.vo:(.text)
   10000       20                       _start
   10020       10     8         lib/libfuncs.va(f03.vo):(.text)
   10020       10                       f03
   10030       28     8         lib/libfuncs.va(f42.vo):(.text)
   10030       28                       f42
   10058       10     8         lib/libfuncs.va(f17.vo):(.text)
   10058       10                       f17
`, string(mp))
	assert.Equal(t, 3+17+42, runImage(t, "prog.img"))

	// The same modules as objects: everything is linked.
	status, _, stderr = vmld(append([]string{"-o", "all.img", "main.vo"}, objs...)...)
	require.Equal(t, 0, status, stderr)
	assert.Equal(t, 3+17+42, runImage(t, "all.img"))
	img, err := objfmt.Open("prog.img")
	require.NoError(t, err)
	all, err := objfmt.Open("all.img")
	require.NoError(t, err)
	require.Len(t, img.Sections, 1)
	assert.Equal(t, uint64(0x20+0x10+0x28+0x10), img.Sections[0].Size)
	assert.Equal(t, uint64(0x20+49*0x10+0x28), all.Sections[0].Size)
	assert.Len(t, img.Symbols, 4)
	assert.Len(t, all.Symbols, 51)
	small, big := fileSize(t, "prog.img"), fileSize(t, "all.img")
	assert.Less(t, small, big)
}

// fileSize returns the size of the file path.
func fileSize(t *testing.T, path string) int64 {
	t.Helper()
	fi, err := os.Stat(path)
	require.NoError(t, err)
	return fi.Size()
}
