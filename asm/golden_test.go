package asm

import (
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"linkvm/objfmt"
	"linkvm/vm/isa"
)

// Golden files, in the style of Go's cmd/asm testdata:
//
//   - testdata/*.s (except *error*.s): every instruction line ends with a
//     comment holding its encoding, the bytes in memory order in groups of
//     four (opcode ra rb rc, then the little-endian imm; li64 has a second
//     pair for its 64-bit word), optionally followed by the relocations at
//     the instruction: "reloc KIND SYM+ADDEND" (a section symbol is shown as
//     its section's name).
//   - testdata/*error*.s: lines with `// ERROR "message"` must produce
//     exactly that error, and no other line may produce one.

var encRE = regexp.MustCompile(`//\s*((?:[0-9a-f]{8} [0-9a-f]{8})(?: [0-9a-f]{8} [0-9a-f]{8})?)((?:\s+reloc \S+ \S+)*)\s*$`)

var errRE = regexp.MustCompile(`//\s*ERROR "((?:[^"\\]|\\.)*)"\s*$`)

func goldenFiles(t *testing.T, errors bool) []string {
	t.Helper()
	all, err := filepath.Glob("testdata/*.s")
	require.NoError(t, err)
	var out []string
	for _, f := range all {
		if strings.Contains(filepath.Base(f), "error") == errors {
			out = append(out, f)
		}
	}
	require.NotEmpty(t, out)
	return out
}

// relocString renders a relocation for golden comparison.
func relocString(f *objfmt.File, r objfmt.Reloc) string {
	s := f.Symbols[r.Sym]
	name := s.Name
	if s.Type == objfmt.SymSection {
		name = f.Sections[s.Section].Name
	}
	switch {
	case r.Addend > 0:
		name += "+" + strconv.FormatInt(r.Addend, 10)
	case r.Addend < 0:
		name += strconv.FormatInt(r.Addend, 10)
	}
	return "reloc " + r.Kind.String() + " " + name
}

// assembleFile assembles a testdata file with the default options.
func assembleFile(t *testing.T, name string) (*objfmt.File, error) {
	t.Helper()
	src, err := os.ReadFile(name)
	require.NoError(t, err)
	return Assemble(name, src, Options{})
}

func TestGoldenEncodings(t *testing.T) {
	seen := map[isa.Op]bool{}
	for _, name := range goldenFiles(t, false) {
		t.Run(filepath.Base(name), func(t *testing.T) {
			f, err := assembleFile(t, name)
			require.NoError(t, err)
			src, err := os.ReadFile(name)
			require.NoError(t, err)
			lines := strings.Split(string(src), "\n")

			annotated := 0
			for _, sec := range f.Sections {
				for _, l := range sec.Lines {
					if l.File != name {
						continue
					}
					require.LessOrEqual(t, int(l.Line), len(lines))
					text := lines[l.Line-1]
					m := encRE.FindStringSubmatch(text)
					if !assert.NotNil(t, m, "%s:%d: instruction without an encoding comment: %s", name, l.Line, text) {
						continue
					}
					annotated++
					want, err := hex.DecodeString(strings.ReplaceAll(m[1], " ", ""))
					require.NoError(t, err)
					w := uint64(0)
					for i := 7; i >= 0; i-- {
						w = w<<8 | uint64(sec.Data[int(l.Offset)+i])
					}
					op := isa.Decode(w).Op
					seen[op] = true
					size := 8 * isa.Table[op].Format.Words()
					got := sec.Data[l.Offset : l.Offset+uint64(size)]
					assert.Equal(t, want, got, "%s:%d: %s", name, l.Line, strings.TrimSpace(text))
					var relocs []string
					for _, r := range sec.Relocs {
						if r.Offset >= l.Offset && r.Offset < l.Offset+uint64(size) {
							relocs = append(relocs, relocString(f, r))
						}
					}
					assert.Equal(t, normRelocs(m[2]), relocs, "%s:%d: relocations of %s", name, l.Line, strings.TrimSpace(text))
				}
			}
			// Every annotation belongs to an instruction.
			count := 0
			for _, text := range lines {
				if encRE.MatchString(text) {
					count++
				}
			}
			assert.Equal(t, count, annotated, "annotations not matched by an instruction")
		})
	}
	for op := range isa.NumOps {
		assert.True(t, seen[op], "opcode %s is not covered by a golden file", op)
	}
}

// normRelocs splits the " reloc K S reloc K S" tail of an annotation.
func normRelocs(s string) []string {
	f := strings.Fields(s)
	var out []string
	for i := 0; i+2 < len(f); i += 3 {
		out = append(out, strings.Join(f[i:i+3], " "))
	}
	return out
}

func TestGoldenErrors(t *testing.T) {
	for _, name := range goldenFiles(t, true) {
		t.Run(filepath.Base(name), func(t *testing.T) {
			src, err := os.ReadFile(name)
			require.NoError(t, err)
			want := map[int]string{}
			for i, text := range strings.Split(string(src), "\n") {
				if m := errRE.FindStringSubmatch(text); m != nil {
					msg, err := strconv.Unquote(`"` + m[1] + `"`)
					require.NoError(t, err)
					want[i+1] = msg
				}
			}
			require.NotEmpty(t, want)
			require.LessOrEqual(t, len(want), MaxErrors, "an error file holds at most MaxErrors errors")
			f, err := Assemble(name, src, Options{})
			require.Nil(t, f)
			var list *ErrorList
			require.ErrorAs(t, err, &list)
			assert.False(t, list.TooMany)
			got := map[int]string{}
			for _, e := range list.Errors {
				require.Equal(t, name, e.Pos.Filename)
				_, dup := got[e.Pos.Line]
				require.False(t, dup, "two errors on line %d: %v", e.Pos.Line, err)
				got[e.Pos.Line] = e.Msg
			}
			assert.Equal(t, sortedLines(want), sortedLines(got))
		})
	}
}

// sortedLines renders line->message maps for readable diffs.
func sortedLines(m map[int]string) []string {
	var keys []int
	for k := range m {
		keys = append(keys, k)
	}
	sort.Ints(keys)
	var out []string
	for _, k := range keys {
		out = append(out, fmt.Sprintf("%d: %s", k, m[k]))
	}
	return out
}
