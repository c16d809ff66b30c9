package objfmt

import (
	"encoding/hex"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// The annotated example in docs/objfmt.md must be the real encoding of
// tiny().
func TestDocHexDump(t *testing.T) {
	doc, err := os.ReadFile("../docs/objfmt.md")
	require.NoError(t, err)
	const begin, end = "<!-- hexdump:tiny -->\n```\n", "```\n<!-- end hexdump -->"
	s := string(doc)
	i := strings.Index(s, begin)
	require.GreaterOrEqual(t, i, 0, "hex dump marker missing")
	s = s[i+len(begin):]
	j := strings.Index(s, end)
	require.GreaterOrEqual(t, j, 0, "hex dump end marker missing")
	require.Equal(t, hex.Dump(encode(tiny())), s[:j])
}
