package objfmt_test

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"linkvm/internal/toolstest"
	"linkvm/objfmt"
)

// Every tool that reads object files refuses a damaged one, naming it:
// vmrun and vmobjdump an image, vmld an object, a library and a shared
// module, vmar and vmnm a library. The files are made by the real tools
// from examples/hello, then one bit of each is flipped.
func TestToolsRefuseDamagedFiles(t *testing.T) {
	bin := t.TempDir()
	require.NoError(t, toolstest.Build(bin, "vmas", "vmld", "vmar", "vmrun", "vmnm", "vmobjdump"))
	dir := t.TempDir()
	hello, err := filepath.Abs("../examples/hello/hello.s")
	require.NoError(t, err)

	run := func(tool string, args ...string) (string, int) {
		cmd := exec.Command(filepath.Join(bin, tool), args...)
		cmd.Dir = dir
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		err := cmd.Run()
		if ee, ok := err.(*exec.ExitError); ok {
			return stderr.String(), ee.ExitCode()
		}
		require.NoError(t, err)
		return stderr.String(), 0
	}
	for _, step := range [][]string{
		{"vmas", "-o", "hello.vo", hello},
		{"vmld", "-o", "hello.img", "hello.vo"},
		{"vmar", "rc", "libh.va", "hello.vo"},
		{"vmld", "-shared", "-soname", "libh.vso.1", "-o", "libh.vso", "hello.vo"},
	} {
		stderr, status := run(step[0], step[1:]...)
		require.Equal(t, 0, status, "%v: %s", step, stderr)
	}
	// damage flips one bit of the last byte of name and returns the
	// checksum mismatch message objfmt gives for it.
	damage := func(name string) string {
		path := filepath.Join(dir, name)
		b, err := os.ReadFile(path)
		require.NoError(t, err)
		at := 0x24
		if objfmt.IsArchive(b) {
			at = 0x30
		}
		stored := uint32(b[at]) | uint32(b[at+1])<<8 | uint32(b[at+2])<<16 | uint32(b[at+3])<<24
		b[len(b)-1] ^= 0x10
		require.NoError(t, os.WriteFile(path, b, 0o644))
		computed, err := objfmt.Checksum(b)
		require.NoError(t, err)
		return fmt.Sprintf("checksum mismatch: stored 0x%08x, computed 0x%08x at offset 0x%x", stored, computed, at)
	}
	img := damage("hello.img")
	vo := damage("hello.vo")
	va := damage("libh.va")
	vso := damage("libh.vso")
	cases := []struct {
		argv   []string
		stderr string
		status int
	}{
		{[]string{"vmrun", "hello.img"}, "vmrun: hello.img: objfmt: " + img + "\n", 127},
		{[]string{"vmobjdump", "-f", "hello.img"}, "vmobjdump: hello.img: objfmt: " + img + "\n", 1},
		{[]string{"vmld", "-o", "x.img", "hello.vo"}, "vmld: error: hello.vo: " + vo + "\n", 1},
		{[]string{"vmld", "-o", "x.img", "-u", "_start", "libh.va"}, "vmld: error: libh.va: " + va + "\n", 1},
		{[]string{"vmld", "-o", "x.img", "libh.vso"}, "vmld: error: libh.vso: " + vso + "\n", 1},
		{[]string{"vmar", "t", "libh.va"}, "vmar: libh.va: objfmt: " + va + "\n", 1},
		{[]string{"vmnm", "libh.va"}, "vmnm: libh.va: objfmt: " + va + "\n", 1},
	}
	for _, c := range cases {
		t.Run(c.argv[0]+" "+c.argv[len(c.argv)-1], func(t *testing.T) {
			stderr, status := run(c.argv[0], c.argv[1:]...)
			require.Equal(t, c.stderr, stderr)
			require.Equal(t, c.status, status)
		})
	}
}
