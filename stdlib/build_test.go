package stdlib

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"linkvm/internal/toolstest"
)

// TestBuildScript: build.sh, run with freshly built vmas, vmar and vmld,
// makes the same three files as Install, byte for byte.
func TestBuildScript(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds the tools")
	}
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "bin")
	require.NoError(t, toolstest.Build(bin, "vmas", "vmar", "vmld"))
	lib := filepath.Join(dir, "lib")
	cmd := exec.Command(sh, "stdlib/build.sh", bin, lib)
	cmd.Dir = ".."
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, string(out))
	assert.Equal(t, "built "+lib+"/libstd.va "+lib+"/libstd.vso "+lib+"/libstd_nonshared.va\n", string(out))

	dst := t.TempDir()
	require.NoError(t, Install(dst))
	for _, name := range []string{ArchiveName, SharedName, NonsharedName} {
		script, err := os.ReadFile(filepath.Join(lib, name))
		require.NoError(t, err)
		inproc, err := os.ReadFile(filepath.Join(dst, name))
		require.NoError(t, err)
		assert.Equal(t, inproc, script, name)
	}
}
