package stdlib

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"linkvm/asm"
	"linkvm/objfmt"
	"linkvm/staticld"
	"linkvm/vm"
)

// libDir holds libstd.va, built once for the whole test binary.
var (
	libOnce sync.Once
	libDir  string
	libErr  error
)

// library builds libstd.va into a temporary directory (once) and returns
// the directory.
func library(t *testing.T) string {
	t.Helper()
	libOnce.Do(func() {
		libDir, libErr = os.MkdirTemp("", "libstd")
		if libErr == nil {
			_, libErr = BuildArchive(libDir)
		}
	})
	require.NoError(t, libErr)
	return libDir
}

// TestMain removes the library directory at the end.
func TestMain(m *testing.M) {
	code := m.Run()
	if libDir != "" {
		os.RemoveAll(libDir)
	}
	os.Exit(code)
}

// linkResult is a linked test program and what the linker said about it.
type linkResult struct {
	img        *objfmt.File
	whyExtract string
}

// linkSource assembles src (named name) and links it statically with
// -lstd.
func linkSource(t *testing.T, name string, src []byte) linkResult {
	t.Helper()
	obj, err := asm.Assemble(name, src, asm.Options{})
	require.NoError(t, err)
	var why bytes.Buffer
	cfg := staticld.Config{LibDirs: []string{library(t)}, WhyExtract: &why}
	lib, err := staticld.ReadInputs(cfg, []staticld.InputArg{{Library: "std"}})
	require.NoError(t, err)
	inputs := append([]staticld.Input{{Name: strings.TrimSuffix(name, ".s") + ".vo", File: obj}}, lib...)
	img, err := staticld.Link(cfg, inputs)
	require.NoError(t, err)
	return linkResult{img: img, whyExtract: why.String()}
}

// runResult is what a program did.
type runResult struct {
	stdout, stderr string
	status         int
	trap           *vm.Trap
}

// runImage runs img with the arguments args (argv[0] is "prog") and
// standard input stdin.
func runImage(t *testing.T, img *objfmt.File, stdin string, args ...string) runResult {
	t.Helper()
	var out, errb bytes.Buffer
	p, err := vm.Load(img, "prog.img", vm.Config{
		Args:   append([]string{"prog"}, args...),
		Stdin:  strings.NewReader(stdin),
		Stdout: &out,
		Stderr: &errb,
	})
	require.NoError(t, err)
	status, err := p.Run()
	r := runResult{stdout: out.String(), stderr: errb.String(), status: status}
	if err != nil {
		var trap *vm.Trap
		require.True(t, errors.As(err, &trap), "run: %v", err)
		r.trap = trap
	}
	return r
}

// runSource links src statically against libstd and runs it.
func runSource(t *testing.T, name, src, stdin string, args ...string) runResult {
	t.Helper()
	return runImage(t, linkSource(t, name, []byte(src)).img, stdin, args...)
}

// runTestdata runs testdata/NAME.s.
func runTestdata(t *testing.T, name, stdin string, args ...string) runResult {
	t.Helper()
	src, err := os.ReadFile(filepath.Join("testdata", name+".s"))
	require.NoError(t, err)
	return runSource(t, name+".s", string(src), stdin, args...)
}

// requireOK fails unless the program exited with status 0 without a trap.
func requireOK(t *testing.T, r runResult) {
	t.Helper()
	if r.trap != nil {
		t.Fatalf("trap: %s\nstdout:\n%s", r.trap.Report(), r.stdout)
	}
	require.Equal(t, 0, r.status, "stderr: %s", r.stderr)
}
