// Package golden compares test output with golden files, the expected
// output kept beside the tests and reviewed in diffs. Run a package's tests
// with -update to rewrite its golden files from what they produce now:
//
//	go test ./cmd/vmobjdump -update
package golden

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite the golden files from the output the tests produce")

// Update reports whether the tests run with -update, for golden data that
// is not a whole file (such as a generated part of a document).
func Update() bool { return *update }

// Check compares got with the contents of the file path; with -update it
// writes got to path instead (creating its directory).
func Check(t testing.TB, path, got string) {
	t.Helper()
	if *update {
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run the tests with -update to create %s", path)
	assert.Equal(t, string(want), got, "%s differs (rewrite it with -update if the change is intended)", path)
}
