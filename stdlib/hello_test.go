package stdlib

import (
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"linkvm/objfmt"
)

func TestHello(t *testing.T) {
	t.Parallel()
	runBoth(t, testdata(t, "hello"), func(t *testing.T, r runResult) {
		requireOK(t, r)
		assert.Equal(t, "Hello, world!\n", r.stdout)
	})
}

// extracted lists the archive members a link extracted, from its
// --why-extract report.
func extracted(t *testing.T, why string) []string {
	t.Helper()
	var members []string
	for _, line := range strings.Split(strings.TrimSpace(why), "\n")[1:] {
		f := strings.Split(line, "\t")
		require.Len(t, f, 3, line)
		i := strings.LastIndexByte(f[1], '(')
		members = append(members, strings.TrimSuffix(f[1][i+1:], ")"))
	}
	sort.Strings(members)
	return members
}

// TestStaticHelloMembers: a static hello extracts only what it needs.
// Static only: which members of libstd.va a static link copies is the
// point (TestDynamicHelloMembers is the dynamic side).
func TestStaticHelloMembers(t *testing.T) {
	t.Parallel()
	hello := testdata(t, "hello")
	l := link(t, static, hello.name, hello.assemble(t))
	assert.Equal(t, []string{"crt0.vo", "exit.vo", "putchar.vo", "puts.vo", "strlen.vo"}, extracted(t, l.whyExtract))

	hp := program{name: "hp.s", src: `
        .text
        .global main
main:   enter 0
        la    r0, s
        call  printf
        li    r0, 0
        leave
        ret
        .rodata
s:      .asciz "Hello, %s!\n"
`}
	l = link(t, static, hp.name, hp.assemble(t))
	assert.Equal(t, []string{"crt0.vo", "exit.vo", "fprintf.vo", "printf.vo", "vformat.vo"}, extracted(t, l.whyExtract))
}

// TestDynamicHelloMembers: a dynamic hello takes only the startup code
// from libstd_nonshared.va; everything else stays in libstd.vso, which it
// needs by its soname.
func TestDynamicHelloMembers(t *testing.T) {
	t.Parallel()
	hello := testdata(t, "hello")
	l := link(t, dynamic, hello.name, hello.assemble(t))
	assert.Equal(t, []string{StartupName}, extracted(t, l.whyExtract))
	require.NotNil(t, l.img.Dynamic)
	assert.Equal(t, []string{Soname}, l.img.Dynamic.Needed)
}

// TestHelloSizes: hello linked dynamically needs less memory than hello
// linked statically: its loaded sections (code, PLT, data, GOT, bss) hold
// fewer bytes. It logs the figures of the closing note of issue 5
// (go test -run TestHelloSizes -v ./stdlib). The file sizes are logged,
// not compared: every loaded PROGBITS section of an image starts at a
// page-aligned file offset, so a small image is mostly padding, and the
// dynamic hello stores four such sections (.text, .plt, .rodata, .got)
// where the static one stores three (its .bss takes no file space): it is
// a page longer on disk.
func TestHelloSizes(t *testing.T) {
	t.Parallel()
	hello := testdata(t, "hello")
	obj := hello.assemble(t)
	st := link(t, static, hello.name, obj)
	dy := link(t, dynamic, hello.name, obj)
	dir := t.TempDir()
	fileSize := func(path string) int64 {
		t.Helper()
		fi, err := os.Stat(path)
		require.NoError(t, err)
		return fi.Size()
	}
	written := func(name string, img *objfmt.File) int64 {
		t.Helper()
		path := filepath.Join(dir, name)
		require.NoError(t, objfmt.WriteFile(path, img))
		return fileSize(path)
	}
	// loaded is the size of the sections a process maps for img, and how
	// many of them are stored in the file (page-aligned).
	loaded := func(img *objfmt.File) (size uint64, stored int) {
		for _, s := range img.Sections {
			if s.Flags&objfmt.FlagAlloc != 0 {
				size += s.Size
				if s.Kind != objfmt.KindNobits {
					stored++
				}
			}
		}
		return size, stored
	}
	staticFile, dynamicFile := written("hello-static.img", st.img), written("hello-dynamic.img", dy.img)
	staticLoaded, staticN := loaded(st.img)
	dynamicLoaded, dynamicN := loaded(dy.img)
	vsoFile := fileSize(filepath.Join(libDir, SharedName))
	members := extracted(t, st.whyExtract)
	all, err := Members()
	require.NoError(t, err)
	t.Logf("static hello: %d bytes on disk (%d stored sections), %d bytes loaded", staticFile, staticN, staticLoaded)
	t.Logf("dynamic hello: %d bytes on disk (%d stored sections), %d bytes loaded", dynamicFile, dynamicN, dynamicLoaded)
	t.Logf("%s: %d bytes on disk", SharedName, vsoFile)
	t.Logf("a static hello pulls in %d of the %d members of %s: %s", len(members), len(all), ArchiveName, strings.Join(members, " "))
	assert.Less(t, dynamicLoaded, staticLoaded, "the dynamic hello's sections are smaller")
	assert.Less(t, dynamicFile, staticFile, "the dynamic hello's file is smaller")
}

// TestSources: every source is in the archive, and the archive's members
// are the sources, each defining at least one global symbol.
func TestSources(t *testing.T) {
	members, err := Members()
	require.NoError(t, err)
	names, err := fs.Glob(Sources, "src/*.s")
	require.NoError(t, err)
	require.Len(t, members, len(names))
	for _, m := range members {
		f, err := m.File()
		require.NoError(t, err)
		globals := 0
		for _, s := range f.Symbols {
			if s.Bind == objfmt.BindGlobal && s.Section != objfmt.SecUndef {
				globals++
			}
		}
		assert.Positive(t, globals, m.Name)
	}
}
