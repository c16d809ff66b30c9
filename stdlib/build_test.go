package stdlib

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestBuildScript: build.sh, run with freshly built vmas and vmar, makes
// the same archive as BuildArchive, byte for byte.
func TestBuildScript(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the tools")
	}
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "bin")
	gobin := filepath.Join(runtime.GOROOT(), "bin", "go")
	out, err := exec.Command(gobin, "build", "-o", bin+string(filepath.Separator), "linkvm/cmd/vmas", "linkvm/cmd/vmar").CombinedOutput()
	require.NoError(t, err, string(out))
	lib := filepath.Join(dir, "lib")
	cmd := exec.Command(sh, "stdlib/build.sh", bin, lib)
	cmd.Dir = ".."
	out, err = cmd.CombinedOutput()
	require.NoError(t, err, string(out))
	assert.Equal(t, "built "+lib+"/libstd.va\n", string(out))
	script, err := os.ReadFile(filepath.Join(lib, "libstd.va"))
	require.NoError(t, err)

	dst := t.TempDir()
	path, err := BuildArchive(dst)
	require.NoError(t, err)
	inproc, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, inproc, script)

	path, err = BuildStartup(dst)
	require.NoError(t, err)
	assert.Equal(t, filepath.Join(dst, "crt0.vo"), path)
	inproc, err = os.ReadFile(path)
	require.NoError(t, err)
	script, err = os.ReadFile(filepath.Join(lib, "crt0.vo"))
	require.NoError(t, err)
	assert.Equal(t, inproc, script)
}
