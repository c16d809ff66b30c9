package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"linkvm/internal/dbg"
)

// docExcerptRE matches an output excerpt in docs/debugging.md: a marker
// naming the golden file it comes from, then a fenced block.
var docExcerptRE = regexp.MustCompile("(?s)<!-- golden: (\\S+) -->\n```\n(.*?)```\n")

// debuggingDoc returns docs/debugging.md.
func debuggingDoc(t *testing.T) string {
	doc, err := os.ReadFile(filepath.Join("..", "..", "docs", "debugging.md"))
	require.NoError(t, err)
	return string(doc)
}

// TestDocExcerpts checks that every excerpt of docs/debugging.md taken
// from vmdbg's golden files still appears in it, verbatim, so that the
// documentation shows the debugger's real output.
func TestDocExcerpts(t *testing.T) {
	n := 0
	for _, m := range docExcerptRE.FindAllStringSubmatch(debuggingDoc(t), -1) {
		if !strings.HasPrefix(m[1], "cmd/vmdbg/") {
			continue // another tool's, checked by its tests
		}
		n++
		golden, err := os.ReadFile(filepath.Join("..", "..", m[1]))
		require.NoError(t, err, m[1])
		assert.Contains(t, string(golden), m[2], "excerpt from %s in docs/debugging.md", m[1])
	}
	assert.GreaterOrEqual(t, n, 6, "excerpts of vmdbg's golden files")
}

// TestDocCommandTable checks that the command table of docs/debugging.md
// has a row for every command, with its abbreviations.
func TestDocCommandTable(t *testing.T) {
	doc := debuggingDoc(t)
	for _, line := range strings.Split(strings.TrimSpace(dbg.HelpText()), "\n") {
		if strings.HasPrefix(line, " ") {
			continue // a usage or summary line
		}
		name, aliases, _ := strings.Cut(line, " (")
		row := regexp.MustCompile("(?m)^\\| `" + regexp.QuoteMeta(name) + "[` \\[/].*$").FindString(doc)
		if !assert.NotEmpty(t, row, "no row for %s in the command table", name) {
			continue
		}
		for _, a := range strings.Split(strings.TrimSuffix(aliases, ")"), ", ") {
			if a != "" && !strings.Contains(row, "`"+a+" ") { // `i r`
				assert.Contains(t, row, "`"+a+"`", "the row of %s lacks the abbreviation %s", name, a)
			}
		}
	}
}
