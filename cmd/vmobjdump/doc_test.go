package main

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// excerptRE matches an output excerpt in docs/tools.md: a marker naming
// the golden file it comes from, then a fenced block.
var excerptRE = regexp.MustCompile("(?s)<!-- golden: (\\S+) -->\n```\n(.*?)```\n")

// TestDocExcerpts checks that every excerpt in docs/tools.md still appears,
// verbatim, in the golden file it names, so the documentation shows real
// output.
func TestDocExcerpts(t *testing.T) {
	root := filepath.Join("..", "..")
	doc, err := os.ReadFile(filepath.Join(root, "docs", "tools.md"))
	require.NoError(t, err)
	matches := excerptRE.FindAllStringSubmatch(string(doc), -1)
	require.NotEmpty(t, matches)
	for _, m := range matches {
		golden, err := os.ReadFile(filepath.Join(root, m[1]))
		require.NoError(t, err, m[1])
		assert.Contains(t, string(golden), m[2], "excerpt from %s in docs/tools.md", m[1])
	}
}
