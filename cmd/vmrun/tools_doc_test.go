package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// docExcerptRE matches an output excerpt in docs/debugging.md: a marker
// naming the golden file it comes from, then a fenced block.
var docExcerptRE = regexp.MustCompile("(?s)<!-- golden: (\\S+) -->\n```\n(.*?)```\n")

// TestDebuggingDocExcerpts checks that every excerpt of docs/debugging.md
// taken from this command's golden files still appears in it, verbatim,
// so that the documentation shows the tools' real output.
func TestDebuggingDocExcerpts(t *testing.T) {
	root := filepath.Join(pkgDir, "..", "..")
	doc, err := os.ReadFile(filepath.Join(root, "docs", "debugging.md"))
	require.NoError(t, err)
	n := 0
	for _, m := range docExcerptRE.FindAllStringSubmatch(string(doc), -1) {
		if !strings.HasPrefix(m[1], "cmd/vmrun/") {
			continue // another tool's, checked by its tests
		}
		n++
		golden, err := os.ReadFile(filepath.Join(root, m[1]))
		require.NoError(t, err, m[1])
		assert.Contains(t, string(golden), m[2], "excerpt from %s in docs/debugging.md", m[1])
	}
	assert.GreaterOrEqual(t, n, 7, "excerpts of vmrun's golden files")
}
