package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"linkvm/internal/golden"
	"linkvm/internal/toolstest"
	"linkvm/stdlib"
)

// The debugger's end-to-end tests: the real vmas and vmld build real
// programs, and the real vmdbg runs scripts of commands on them; the
// whole transcript (the commands echoed, the debugger's output and the
// program's, in the order they were written) is compared with a golden
// file in testdata.

// bin holds the tools, built once by TestMain; libstd is installed in
// bin/../lib, where they find it with no flags. work holds the programs
// the scripts debug, built once too.
var bin, work string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "vmdbg-test-")
	if err != nil {
		panic(err)
	}
	code := 1
	defer func() {
		os.RemoveAll(dir)
		os.Exit(code)
	}()
	bin = filepath.Join(dir, "bin")
	work = filepath.Join(dir, "work")
	if err := toolstest.Build(bin, "vmas", "vmld", "vmdbg"); err != nil {
		panic(err)
	}
	lib := filepath.Join(dir, "lib")
	if err := os.Mkdir(lib, 0o755); err != nil {
		panic(err)
	}
	if err := stdlib.Install(lib); err != nil {
		panic("installing libstd: " + err.Error())
	}
	if err := buildPrograms(); err != nil {
		panic("building the test programs: " + err.Error())
	}
	code = m.Run()
}

// programs are the images the scripts debug: name, sources (relative to
// the repository root) and link flags. Sources are copied into work and
// assembled there by their base name, so the line tables say "fib.s".
var programs = []struct {
	image   string
	sources []string
	flags   []string
}{
	{"fib.img", []string{"examples/fib/fib.s"}, nil},
	{"hello.img", []string{"examples/testdata/stdhello/hello.s"}, []string{"-lstd"}},
	{"watch.img", []string{"cmd/vmdbg/testdata/watch.s"}, nil},
	{"echo.img", []string{"cmd/vmdbg/testdata/echo.s"}, nil},
	{"spin.img", []string{"cmd/vmdbg/testdata/spin.s"}, nil},
	{"host.img", []string{"examples/plugin/host/host.s"}, []string{"-lstd"}},
	{"hello.vso", []string{"examples/plugin/plugins/hello.s"},
		[]string{"-shared", "-soname", "hello.vso.1", "-lstd"}},
	{"libgreet.vso", []string{"cmd/vmrun/testdata/tools/greet.s"},
		[]string{"-shared", "-soname", "libgreet.vso.1"}},
	{"greet.img", []string{"cmd/vmrun/testdata/tools/main.s"},
		[]string{"libgreet.vso", "-rpath", "$ORIGIN"}},
}

// buildPrograms assembles and links the programs into work.
func buildPrograms() error {
	if err := os.MkdirAll(work, 0o755); err != nil {
		return err
	}
	root := filepath.Join("..", "..")
	for _, p := range programs {
		var objs []string
		for _, src := range p.sources {
			data, err := os.ReadFile(filepath.Join(root, src))
			if err != nil {
				return err
			}
			// The plugin's hello.s would clash with stdhello's.
			name := filepath.Base(src)
			if p.image == "hello.vso" {
				name = "plugin_" + name
			}
			if err := os.WriteFile(filepath.Join(work, name), data, 0o644); err != nil {
				return err
			}
			obj := strings.TrimSuffix(name, ".s") + ".vo"
			if err := tool("vmas", "-o", obj, name); err != nil {
				return err
			}
			objs = append(objs, obj)
		}
		args := append([]string{"-o", p.image}, objs...)
		if err := tool("vmld", append(args, p.flags...)...); err != nil {
			return err
		}
	}
	input, err := os.ReadFile(filepath.Join("testdata", "in.txt"))
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(work, "in.txt"), input, 0o644)
}

// tool runs a build tool in work.
func tool(name string, args ...string) error {
	cmd := exec.Command(filepath.Join(bin, name), args...)
	cmd.Dir = work
	out, err := cmd.CombinedOutput()
	if err != nil {
		return &buildError{name, args, string(out), err}
	}
	return nil
}

type buildError struct {
	tool   string
	args   []string
	output string
	err    error
}

func (e *buildError) Error() string {
	return e.tool + " " + strings.Join(e.args, " ") + ": " + e.err.Error() + "\n" + e.output
}

// vmdbg runs the debugger in work with stdin as its standard input and
// returns everything it (and the program) wrote, standard output and
// error through one pipe so that their order is kept, with the temporary
// directories replaced by $WORK and $LIB, and its exit status.
func vmdbg(t *testing.T, stdin string, args ...string) (string, int) {
	t.Helper()
	cmd := exec.Command(filepath.Join(bin, "vmdbg"), args...)
	cmd.Dir = work
	cmd.Stdin = strings.NewReader(stdin)
	cmd.Env = append(os.Environ(), "VM_LIBRARY_PATH=", "VM_PRELOAD=", "VM_BIND_NOW=", "VM_DEBUG=")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	status := 0
	if ee, ok := err.(*exec.ExitError); ok {
		status = ee.ExitCode()
	} else {
		require.NoError(t, err)
	}
	text := strings.ReplaceAll(out.String(), work, "$WORK")
	text = strings.ReplaceAll(text, filepath.Join(filepath.Dir(bin), "lib"), "$LIB")
	return text, status
}

// TestScripts runs each testdata/NAME.gdb on its program with --batch
// --echo and compares the transcript with testdata/NAME.golden.
func TestScripts(t *testing.T) {
	for _, tc := range []struct {
		script string
		args   []string
		status int // 1 when a command of the script fails
	}{
		{"breakpoints", []string{"fib.img", "5"}, 0},
		{"condition", []string{"fib.img", "5"}, 0},
		{"stepping", []string{"fib.img", "3"}, 0},
		{"inspect", []string{"watch.img"}, 0},
		{"shared", []string{"hello.img"}, 0},
		{"start", []string{"hello.img"}, 0},
		{"watch", []string{"watch.img"}, 1},
		{"pending", []string{"host.img", "./hello.vso"}, 0},
		{"errors", []string{"watch.img"}, 1},
		{"args", []string{"echo.img"}, 1},
		{"init", []string{"greet.img"}, 0},
	} {
		t.Run(tc.script, func(t *testing.T) {
			script, err := os.ReadFile(filepath.Join("testdata", tc.script+".gdb"))
			require.NoError(t, err)
			got, status := vmdbg(t, string(script), append([]string{"--batch", "--echo"}, tc.args...)...)
			golden.Check(t, filepath.Join("testdata", tc.script+".golden"), got)
			assert.Equal(t, tc.status, status)
		})
	}
}
