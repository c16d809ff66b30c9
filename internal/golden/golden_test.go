package golden

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// recorder is a testing.TB that records failures instead of failing.
type recorder struct {
	testing.TB
	failed bool
}

func (r *recorder) Errorf(string, ...any) { r.failed = true }
func (r *recorder) FailNow()              { r.failed = true; panic(r) }
func (r *recorder) Helper()               {}

// check runs Check on a recorder and reports whether it failed.
func check(t *testing.T, path, got string) (failed bool) {
	r := &recorder{TB: t}
	defer func() {
		if p := recover(); p != nil && p != r {
			panic(p)
		}
		failed = r.failed
	}()
	Check(r, path, got)
	return r.failed
}

func TestCheck(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "out.golden")
	assert.True(t, check(t, path, "x\n"), "a missing golden file fails")

	*update = true
	assert.False(t, check(t, path, "x\n"))
	*update = false
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, "x\n", string(b), "-update writes the file")

	assert.False(t, check(t, path, "x\n"), "same output passes")
	assert.True(t, check(t, path, "y\n"), "different output fails")
	assert.False(t, Update())
}
