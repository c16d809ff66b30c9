package vm

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"linkvm/vm/internal/genrun/gen"
)

// TestRunGenerated keeps exec_run.go (run and the fused opcodes' names)
// generated from the halves table and superinst.Pairs: after changing
// either, run `go generate ./vm` (or `make generate`).
func TestRunGenerated(t *testing.T) {
	want, err := gen.Generate()
	require.NoError(t, err)
	got, err := os.ReadFile("exec_run.go")
	require.NoError(t, err)
	assert.Empty(t, firstDifference(string(want), string(got)),
		"vm/exec_run.go is stale: run `go generate ./vm` (or `make generate`)")
}

// firstDifference describes the first line where have differs from want,
// or is "" if they are the same: the whole of a generated file would bury
// the point.
func firstDifference(want, have string) string {
	w, h := strings.Split(want, "\n"), strings.Split(have, "\n")
	for i := range max(len(w), len(h)) {
		var wl, hl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(h) {
			hl = h[i]
		}
		if wl != hl || i >= len(w) || i >= len(h) {
			return fmt.Sprintf("line %d: want %q, have %q", i+1, wl, hl)
		}
	}
	return ""
}

func TestFirstDifference(t *testing.T) {
	assert.Equal(t, "", firstDifference("a\nb\n", "a\nb\n"))
	assert.Equal(t, `line 2: want "b", have "c"`, firstDifference("a\nb\n", "a\nc\n"))
	assert.Equal(t, `line 3: want "", have "// x"`, firstDifference("a\nb\n", "a\nb\n// x\n"))
	assert.Equal(t, `line 2: want "b", have ""`, firstDifference("a\nb", "a"))
}
