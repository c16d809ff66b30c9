package hostlib

import (
	"bufio"
	"bytes"
	"io"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestStrtodGolden compares Strtod with glibc's strtod on the inputs of
// testdata/gen.c.
func TestStrtodGolden(t *testing.T) {
	f, err := os.Open("testdata/strtod.golden")
	require.NoError(t, err)
	defer f.Close()
	checkStrtodLines(t, f)
}

// TestStrtodHostC checks Strtod against the host's C library, with gcc.
func TestStrtodHostC(t *testing.T) {
	checkStrtodLines(t, bytes.NewReader(hostGen(t, "strtod")))
}

// checkStrtodLines checks every "input TAB bits TAB used" line of r.
func checkStrtodLines(t *testing.T, r io.Reader) {
	t.Helper()
	sc := bufio.NewScanner(r)
	n := 0
	for sc.Scan() {
		parts := strings.Split(sc.Text(), "\t")
		require.Len(t, parts, 3)
		in, err := strconv.Unquote(`"` + strings.ReplaceAll(parts[0], `"`, `\"`) + `"`)
		require.NoError(t, err, parts[0])
		bits, err := strconv.ParseUint(parts[1], 16, 64)
		require.NoError(t, err)
		used, err := strconv.Atoi(parts[2])
		require.NoError(t, err)
		gb, gn := Strtod([]byte(in))
		assert.Equal(t, used, gn, "consumed of %q", in)
		assert.Equal(t, bits, gb, "bits of %q: got %#x, want %#x", in, gb, bits)
		n++
	}
	require.NoError(t, sc.Err())
	assert.Equal(t, 55, n)
}
