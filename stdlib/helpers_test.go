package stdlib

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"linkvm/asm"
	"linkvm/dynld"
	"linkvm/objfmt"
	"linkvm/staticld"
	"linkvm/vm"
)

// libDir is where TestMain installs libstd (libstd.va, libstd.vso and
// libstd_nonshared.va) once for the whole test binary. Tests only read it.
var libDir string

// TestMain installs libstd into a temporary directory, runs the tests and
// removes the directory.
func TestMain(m *testing.M) {
	os.Exit(runTests(m))
}

// runTests is TestMain's work, in a function so that the deferred removal
// runs before os.Exit.
func runTests(m *testing.M) int {
	dir, err := os.MkdirTemp("", "libstd")
	if err != nil {
		fmt.Fprintln(os.Stderr, "stdlib tests:", err)
		return 1
	}
	defer os.RemoveAll(dir)
	if err := Install(dir); err != nil {
		fmt.Fprintln(os.Stderr, "stdlib tests: installing libstd:", err)
		return 1
	}
	libDir = dir
	return m.Run()
}

// linkMode is how a test program is linked against libstd.
type linkMode string

const (
	// static copies the members of libstd.va the program needs into the
	// image (vmld -static -lstd); the image runs with vm.Load.
	static linkMode = "static"
	// dynamic links libstd.vso and libstd_nonshared.va (vmld -lstd); the
	// image is written to disk and loaded with dynld.Load.
	dynamic linkMode = "dynamic"
)

// program is a test program and what it runs with.
type program struct {
	name  string   // the source's file name, such as "hello.s"
	src   string   // the assembly source
	stdin string   // standard input
	args  []string // the arguments after argv[0], which is "prog"
	// data grants the program a fresh, empty host directory as /data
	// (each run its own).
	data bool
}

// testdata returns the program testdata/NAME.s.
func testdata(t *testing.T, name string) program {
	t.Helper()
	src, err := os.ReadFile(filepath.Join("testdata", name+".s"))
	require.NoError(t, err)
	return program{name: name + ".s", src: string(src)}
}

// assemble assembles the program's source.
func (p program) assemble(t *testing.T) *objfmt.File {
	t.Helper()
	obj, err := asm.Assemble(p.name, []byte(p.src), asm.Options{})
	require.NoError(t, err)
	return obj
}

// linkResult is a linked test program and what the linker said about it.
type linkResult struct {
	img        *objfmt.File
	whyExtract string
}

// link links obj, the assembled program named name, with -lstd found in
// libDir: the archive with the static mode; the shared module and its
// nonshared companion, through the same search as vmld's, otherwise.
func link(t *testing.T, mode linkMode, name string, obj *objfmt.File) linkResult {
	t.Helper()
	var why bytes.Buffer
	cfg := staticld.Config{Static: mode == static, LibDirs: []string{libDir}, WhyExtract: &why}
	lib, err := staticld.ReadInputs(cfg, []staticld.InputArg{{Library: "std"}})
	require.NoError(t, err)
	want := []string{filepath.Join(libDir, ArchiveName)}
	if mode == dynamic {
		want = []string{filepath.Join(libDir, SharedName), filepath.Join(libDir, NonsharedName)}
	}
	var got []string
	for _, in := range lib {
		got = append(got, in.Name)
	}
	require.Equal(t, want, got, "-lstd inputs")
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

// trapMsg is the trap's message, or "" if the program did not trap.
func (r runResult) trapMsg() string {
	if r.trap == nil {
		return ""
	}
	return r.trap.Msg
}

// run runs img, linked in mode, as p says. A dynamic image is written to
// a temporary directory first and loaded from there, with libDir as the
// loader's default library directory; dynld's host cache parses
// libstd.vso once for all the tests.
func run(t *testing.T, mode linkMode, img *objfmt.File, p program) runResult {
	t.Helper()
	var out, errb bytes.Buffer
	cfg := vm.Config{
		Args:   append([]string{"prog"}, p.args...),
		Stdin:  strings.NewReader(p.stdin),
		Stdout: &out,
		Stderr: &errb,
	}
	if p.data {
		cfg.Dirs = []vm.DirGrant{{Host: t.TempDir(), Guest: "/data"}}
	}
	var proc *vm.Process
	var err error
	if mode == static {
		proc, err = vm.Load(img, "prog.img", cfg)
	} else {
		path := filepath.Join(t.TempDir(), "prog.img")
		require.NoError(t, objfmt.WriteFile(path, img))
		proc, err = dynld.Load(path, cfg, dynld.Config{DefaultLibDirs: []string{libDir}})
	}
	require.NoError(t, err)
	status, err := proc.Run()
	r := runResult{stdout: out.String(), stderr: errb.String(), status: status}
	if err != nil {
		var trap *vm.Trap
		require.True(t, errors.As(err, &trap), "run: %v", err)
		r.trap = trap
	}
	return r
}

// runMode links p in mode and runs it: for the tests that only make
// sense one way.
func runMode(t *testing.T, mode linkMode, p program) runResult {
	t.Helper()
	return run(t, mode, link(t, mode, p.name, p.assemble(t)).img, p)
}

// runBoth links p statically and dynamically and runs each image in a
// parallel subtest, "static" and "dynamic", which checks the result with
// check. When both have run, their standard output, standard error, exit
// status and trap message must be identical (the two links of one program
// must not be told apart by what it does). The source is assembled once
// for both links.
func runBoth(t *testing.T, p program, check func(t *testing.T, r runResult)) {
	t.Helper()
	obj := p.assemble(t)
	var results [2]*runResult
	// Cleanup runs when the parallel subtests are done.
	t.Cleanup(func() {
		s, d := results[0], results[1]
		if s == nil || d == nil {
			return // a link or load failed: its subtest said so
		}
		assert.Equal(t, s.stdout, d.stdout, "%s: standard output: dynamic differs from static", p.name)
		assert.Equal(t, s.stderr, d.stderr, "%s: standard error: dynamic differs from static", p.name)
		assert.Equal(t, s.status, d.status, "%s: exit status: dynamic differs from static", p.name)
		assert.Equal(t, s.trapMsg(), d.trapMsg(), "%s: trap: dynamic differs from static", p.name)
	})
	for i, mode := range []linkMode{static, dynamic} {
		t.Run(string(mode), func(t *testing.T) {
			t.Parallel()
			r := run(t, mode, link(t, mode, p.name, obj).img, p)
			results[i] = &r
			check(t, r)
		})
	}
}

// requireOK fails unless the program exited with status 0 without a trap.
func requireOK(t *testing.T, r runResult) {
	t.Helper()
	if r.trap != nil {
		t.Fatalf("trap: %s\nstdout:\n%s", r.trap.Report(), r.stdout)
	}
	require.Equal(t, 0, r.status, "stderr: %s", r.stderr)
}
