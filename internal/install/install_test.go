package install

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"linkvm/stdlib"
)

// TestCacheFallback: with no lib directory beside the test binary, libstd
// is built into the user cache directory, once, and found there after.
func TestCacheFallback(t *testing.T) {
	cache := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", cache)
	t.Setenv("HOME", cache)
	got := find()
	want := filepath.Join(cache, "linkvm", "lib-"+sourcesHash())
	require.Equal(t, []string{want}, got)
	assert.True(t, hasLibstd(want))
	st, err := os.Stat(filepath.Join(want, stdlib.SharedName))
	require.NoError(t, err)

	// A second lookup finds the library and does not rebuild it.
	assert.Equal(t, []string{want}, find())
	st2, err := os.Stat(filepath.Join(want, stdlib.SharedName))
	require.NoError(t, err)
	assert.Equal(t, st.ModTime(), st2.ModTime())
}

func TestSourcesHashIsStable(t *testing.T) {
	assert.Len(t, sourcesHash(), 16)
	assert.Equal(t, sourcesHash(), sourcesHash())
}
