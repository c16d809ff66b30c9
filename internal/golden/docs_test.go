package golden

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// excerptRE matches an output excerpt in a document: a marker naming the
// golden file it comes from (relative to the repository), then a fenced
// block.
var excerptRE = regexp.MustCompile("(?s)<!-- golden: (\\S+) -->\n```\n(.*?)```\n")

// TestDocExcerpts checks that every excerpt in docs/*.md marked as coming
// from a golden file still appears there verbatim, so that the documents
// show the tools' real output: regenerating a tool's golden files with
// -update makes this fail until the documents follow.
func TestDocExcerpts(t *testing.T) {
	root := filepath.Join("..", "..")
	docs, err := filepath.Glob(filepath.Join(root, "docs", "*.md"))
	require.NoError(t, err)
	perDoc := map[string]int{}
	for _, path := range docs {
		doc, err := os.ReadFile(path)
		require.NoError(t, err)
		for _, m := range excerptRE.FindAllStringSubmatch(string(doc), -1) {
			perDoc[filepath.Base(path)]++
			golden, err := os.ReadFile(filepath.Join(root, m[1]))
			require.NoError(t, err, "%s names %s", path, m[1])
			assert.Contains(t, string(golden), m[2], "excerpt from %s in %s", m[1], path)
		}
	}
	// The documents that show tool output this way, so that a marker the
	// pattern no longer matches does not pass unnoticed.
	assert.GreaterOrEqual(t, perDoc["tools.md"], 11, "excerpts in docs/tools.md")
	assert.GreaterOrEqual(t, perDoc["debugging.md"], 15, "excerpts in docs/debugging.md")
}
