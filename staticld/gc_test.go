package staticld_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"linkvm/objfmt"
	"linkvm/staticld"
	"linkvm/vm"
)

// gcProgram returns the modules of a program whose functions are each in
// their own section, with unused code and data; extra is added to main.s's
// unused function.
func gcProgram(t *testing.T, extra string) []staticld.Input {
	return assemble(t,
		"main.s", `
        .section .text._start
        .global _start
_start:
        li    r0, 20
        call  twice_plus_one
        mov   r16, r0
        li    r0, 1
        la    r1, msg
        li    r2, 3
        sys   1
        mov   r0, r16
        sys   0

        .section .rodata.msg
msg:    .ascii "ok\n"

        .section .text.unused   # unused, and in a cycle with table
unused: la    r1, table
`+extra+`
        ret

        .section .data.table
table:  .quad unused
`,
		"lib.s", `
        .section .text.twice_plus_one
        .global twice_plus_one
twice_plus_one:
        add   r0, r0, r0
        addi  r0, r0, 1
        ret

        .section .text.big
        .global big
big:
`+strings.Repeat("        nop\n", 64)+`
        ret

        .section .bss.buf
buf:    .zero 4096
`)
}

// run runs img and returns its exit status and output.
func run(t *testing.T, img *objfmt.File) (int, string) {
	t.Helper()
	var out strings.Builder
	p, err := vm.Load(img, "t.img", vm.Config{Args: []string{"t"}, Stdout: &out})
	require.NoError(t, err)
	status, err := p.Run()
	require.NoError(t, err)
	return status, out.String()
}

// sections returns the name and size of every section of img.
func sections(img *objfmt.File) map[string]uint64 {
	m := map[string]uint64{}
	for _, s := range img.Sections {
		m[s.Name] = s.Size
	}
	return m
}

func TestGCSections(t *testing.T) {
	// Sizes: _start 9 words, unused 2, twice_plus_one 3, big 65.
	full, err := staticld.Link(staticld.Config{}, gcProgram(t, ""))
	require.NoError(t, err)
	var log []string
	gc, err := staticld.Link(staticld.Config{
		GCSections: true, PrintGCSections: true,
		Log: func(d staticld.Diag) { log = append(log, d.String()) },
	}, gcProgram(t, ""))
	require.NoError(t, err)

	assert.Equal(t, map[string]uint64{".text": 0x48 + 0x10 + 0x18 + 0x208, ".rodata": 3, ".data": 8, ".bss": 4096}, sections(full))
	assert.Equal(t, map[string]uint64{".text": 0x48 + 0x18, ".rodata": 3}, sections(gc))
	assert.Equal(t, []string{
		"removing unused section 'main.vo:(.text.unused)'",
		"removing unused section 'main.vo:(.data.table)'",
		"removing unused section 'lib.vo:(.text.big)'",
		"removing unused section 'lib.vo:(.bss.buf)'",
	}, log)
	b1, err := full.Encode()
	require.NoError(t, err)
	b2, err := gc.Encode()
	require.NoError(t, err)
	assert.Less(t, len(b2), len(b1))
	assert.Equal(t, []string{"msg", "_start", "twice_plus_one"}, names(gc))

	status, out := run(t, full)
	assert.Equal(t, 41, status)
	assert.Equal(t, "ok\n", out)
	status, out = run(t, gc)
	assert.Equal(t, 41, status)
	assert.Equal(t, "ok\n", out)
}

func TestGCSectionsIgnoresUndefinedInRemovedSections(t *testing.T) {
	_, err := staticld.Link(staticld.Config{}, gcProgram(t, "        call  missing\n"))
	require.Error(t, err)
	assert.Equal(t, "error: undefined symbol: missing\n"+
		">>> referenced by main.s:20 (main.vo: function unused)", err.Error())

	img, err := staticld.Link(staticld.Config{GCSections: true}, gcProgram(t, "        call  missing\n"))
	require.NoError(t, err)
	status, out := run(t, img)
	assert.Equal(t, 41, status)
	assert.Equal(t, "ok\n", out)
}

func TestGCSectionsRoots(t *testing.T) {
	// -u keeps big (and what it refers to); -e changes the root.
	img, err := staticld.Link(staticld.Config{GCSections: true, Undefined: []string{"big"}}, gcProgram(t, ""))
	require.NoError(t, err)
	assert.Equal(t, map[string]uint64{".text": 0x48 + 0x18 + 0x208, ".rodata": 3}, sections(img))

	img, err = staticld.Link(staticld.Config{GCSections: true, Entry: "twice_plus_one"}, gcProgram(t, ""))
	require.NoError(t, err)
	assert.Equal(t, map[string]uint64{".text": 0x18}, sections(img))

	// Without an entry symbol nothing is removed, and the error says why.
	_, err = staticld.Link(staticld.Config{GCSections: true, Entry: "nope"}, gcProgram(t, "        call  missing\n"))
	require.Error(t, err)
	assert.Equal(t, "error: undefined symbol: missing\n"+
		">>> referenced by main.s:20 (main.vo: function unused)\n"+
		"error: undefined entry symbol: nope", err.Error())
}

// names returns the names of img's symbols.
func names(img *objfmt.File) []string {
	var n []string
	for _, s := range img.Symbols {
		n = append(n, s.Name)
	}
	return n
}
