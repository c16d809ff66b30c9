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

// debuggingDoc returns docs/debugging.md.
func debuggingDoc(t *testing.T) string {
	doc, err := os.ReadFile(filepath.Join("..", "..", "docs", "debugging.md"))
	require.NoError(t, err)
	return string(doc)
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
