package stdlib

import (
	"io/fs"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"linkvm/objfmt"
)

func TestHello(t *testing.T) {
	r := runTestdata(t, "hello", "")
	requireOK(t, r)
	assert.Equal(t, "Hello, world!\n", r.stdout)
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
func TestStaticHelloMembers(t *testing.T) {
	src, err := os.ReadFile("testdata/hello.s")
	require.NoError(t, err)
	l := linkSource(t, "hello.s", src)
	assert.Equal(t, []string{"crt0.vo", "exit.vo", "putchar.vo", "puts.vo", "strlen.vo"}, extracted(t, l.whyExtract))

	l = linkSource(t, "hp.s", []byte(`
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
`))
	assert.Equal(t, []string{"crt0.vo", "exit.vo", "fprintf.vo", "printf.vo", "vformat.vo"}, extracted(t, l.whyExtract))
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
