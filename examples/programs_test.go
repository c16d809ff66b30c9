// End-to-end tests of the example programs that use libstd (sieve,
// linkedlist, strings, update, static-vs-dynamic): each is built both ways
// with the real tools and its whole output compared; the READMEs' commands
// are run and their outputs compared; and `make examples` is run for real.
package examples_test

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"linkvm/internal/atomicfile"
	"linkvm/internal/golden"
)

// linkBothWays assembles srcs (paths relative to this package) in dir and
// links the objects, then the extra vmld arguments, then libstd, into
// dir/NAME.img (against libstd.vso) and dir/NAME-static.img (against
// libstd.va), as examples/build.sh does.
func linkBothWays(t *testing.T, dir, name string, srcs []string, extra ...string) (dynamic, static string) {
	t.Helper()
	var objs []string
	for _, s := range srcs {
		abs, err := filepath.Abs(s)
		require.NoError(t, err)
		o := strings.TrimSuffix(filepath.Base(s), ".s") + ".vo"
		tool(t, dir, "vmas", "-o", o, abs)
		objs = append(objs, o)
	}
	args := append(objs, extra...)
	tool(t, dir, "vmld", append(append([]string{"-o", name + ".img"}, args...), "-lstd")...)
	tool(t, dir, "vmld", append(append([]string{"-static", "-o", name + "-static.img"}, args...), "-lstd")...)
	return filepath.Join(dir, name+".img"), filepath.Join(dir, name+"-static.img")
}

// sources returns the .s files of the example directory dir.
func sources(t *testing.T, dir string) []string {
	t.Helper()
	srcs, err := filepath.Glob(filepath.Join(dir, "*.s"))
	require.NoError(t, err)
	require.NotEmpty(t, srcs, dir)
	return srcs
}

// primesBelow counts the primes below n by trial division: slow, but
// obviously right, to check the sieve against.
func primesBelow(n int) int {
	count := 0
	for k := 2; k < n; k++ {
		prime := true
		for d := 2; d*d <= k; d++ {
			if k%d == 0 {
				prime = false
				break
			}
		}
		if prime {
			count++
		}
	}
	return count
}

// TestSieve counts primes both ways for N around the edges of the sieve
// (no prime, one, N not a multiple of 8, N a prime, N a square) and
// checks the counts against primesBelow, and that bad arguments are
// refused with a message.
func TestSieve(t *testing.T) {
	dyn, sta := linkBothWays(t, t.TempDir(), "sieve", sources(t, "sieve"))
	ns := []int{0, 1, 2, 3, 4, 5, 8, 9, 10, 17, 49, 100, 1000, 1009, 4096, 100003}
	assert.Equal(t, 25, primesBelow(100))
	for _, img := range []string{dyn, sta} {
		for _, n := range ns {
			r := run(t, "vmrun", img, strconv.Itoa(n))
			assert.Equal(t, fmt.Sprintf("%d\n", primesBelow(n)), r.stdout, "%s %d", img, n)
			assert.Empty(t, r.stderr)
			assert.Equal(t, 0, r.status)
		}
		for _, c := range []struct {
			args   []string
			stderr string
			status int
		}{
			{nil, "usage: sieve N\n", 2},
			{[]string{"10", "20"}, "usage: sieve N\n", 2},
			{[]string{""}, "sieve: N must be a whole number >= 0, not \"\"\n", 2},
			{[]string{"12x"}, "sieve: N must be a whole number >= 0, not \"12x\"\n", 2},
			{[]string{"-3"}, "sieve: N must be a whole number >= 0, not \"-3\"\n", 2},
			{[]string{" 7"}, "sieve: N must be a whole number >= 0, not \" 7\"\n", 2},
			// Beyond the heap's 256 MiB: malloc fails.
			{[]string{"1000000000"}, "sieve: cannot allocate 1000000000 bytes\n", 1},
		} {
			r := run(t, "vmrun", append([]string{img}, c.args...)...)
			assert.Empty(t, r.stdout, "%s %q", img, c.args)
			assert.Equal(t, c.stderr, r.stderr, "%s %q", img, c.args)
			assert.Equal(t, c.status, r.status, "%s %q", img, c.args)
		}
	}
	// The benchmark's N: about 10 MB of heap, 82 million instructions.
	r := run(t, "vmrun", dyn, "10000000")
	assert.Equal(t, "664579\n", r.stdout, r.stderr)
}

// checkBothWays runs the two images with args and compares the whole
// output of each with the golden file testdata/golden/NAME.golden.
func checkBothWays(t *testing.T, dyn, sta, name string, args ...string) {
	t.Helper()
	for _, img := range []string{dyn, sta} {
		r := run(t, "vmrun", append([]string{img}, args...)...)
		golden.Check(t, filepath.Join("testdata", "golden", name+".golden"), r.stdout)
		assert.Empty(t, r.stderr, img)
		assert.Equal(t, 0, r.status, img)
	}
}

// TestLinkedList: lists built with malloc, mapped, filtered and folded
// through function pointers, printed and freed: nothing left allocated.
func TestLinkedList(t *testing.T) {
	dyn, sta := linkBothWays(t, t.TempDir(), "linkedlist", sources(t, "linkedlist"))
	checkBothWays(t, dyn, sta, "linkedlist")
}

// TestStrings: libstd's string functions and printf formats.
func TestStrings(t *testing.T) {
	dyn, sta := linkBothWays(t, t.TempDir(), "strings", sources(t, "strings"))
	checkBothWays(t, dyn, sta, "strings")
}

// TestStaticVsDynamic links examples/static-vs-dynamic both ways: the
// same output, with and without arguments, and the same errors; the
// static image is the larger, by the libstd members it carries, and only
// the dynamic one needs a shared module.
func TestStaticVsDynamic(t *testing.T) {
	dir := t.TempDir()
	dyn, sta := linkBothWays(t, dir, "interest", sources(t, "static-vs-dynamic"))
	checkBothWays(t, dyn, sta, "interest")
	for _, img := range []string{dyn, sta} {
		r := run(t, "vmrun", img, "250", "3.5", "5")
		assert.Equal(t, `250.00 at 3.5% a year
year     balance   interest
   1      258.75       8.75
   2      267.81       9.06
   3      277.18       9.37
   4      286.88       9.70
   5      296.92      10.04
after 5 years: principal * (1 + rate)^5 = 296.92
`, r.stdout, img)
		assert.Equal(t, 0, r.status, img)
		for _, c := range []struct {
			args   []string
			stderr string
		}{
			{[]string{"1", "2", "3", "4"}, "usage: interest [PRINCIPAL [RATE [YEARS]]]\n"},
			{[]string{"1", "2", "0"}, "usage: interest [PRINCIPAL [RATE [YEARS]]]\n"},
			{[]string{"1", "2", "101"}, "usage: interest [PRINCIPAL [RATE [YEARS]]]\n"},
			{[]string{"lots"}, "interest: not a number >= 0: \"lots\"\n"},
			{[]string{"100", "-1"}, "interest: not a number >= 0: \"-1\"\n"},
			{[]string{"100", "5%"}, "interest: not a number >= 0: \"5%\"\n"},
		} {
			r := run(t, "vmrun", append([]string{img}, c.args...)...)
			assert.Empty(t, r.stdout, "%s %q", img, c.args)
			assert.Equal(t, c.stderr, r.stderr, "%s %q", img, c.args)
			assert.Equal(t, 2, r.status, "%s %q", img, c.args)
		}
	}

	dynInfo, err := os.Stat(dyn)
	require.NoError(t, err)
	staInfo, err := os.Stat(sta)
	require.NoError(t, err)
	assert.Greater(t, staInfo.Size(), dynInfo.Size()+8192, "the static image carries libstd's printf, strtod, malloc...")

	r := run(t, "vmldd", dyn)
	assert.Equal(t, fmt.Sprintf("\tlibstd.vso.1 => %s (0x0000000100000000)\n",
		filepath.Join(filepath.Dir(bin), "lib", "libstd.vso")), r.stdout)
	assert.Equal(t, 0, r.status, r.stderr)
	r = run(t, "vmldd", sta)
	assert.Equal(t, "\tnot a dynamic executable\n", r.stdout)
	assert.Equal(t, 1, r.status)
}

// TestUpdateExample follows examples/update: prog linked against libgreet
// 1.0 (dynamically, and statically from libgreet.va) keeps working when
// libgreet.vso is replaced by 1.1, and the dynamic image shows 1.1's
// behaviour while the static one keeps 1.0's; a 2.0 module is refused by
// the dynamic image. Neither image is relinked.
func TestUpdateExample(t *testing.T) {
	dir := t.TempDir()
	lib := filepath.Join(dir, "lib")
	require.NoError(t, os.Mkdir(lib, 0o755))
	for _, v := range []string{"1.0", "1.1", "2.0"} {
		src, err := filepath.Abs("update/greet-" + v + ".s")
		require.NoError(t, err)
		tool(t, dir, "vmas", "-o", "greet-"+v+".vo", src)
		tool(t, dir, "vmld", "-shared", "-soname", "libgreet.vso."+v[:1], "--module-version", v,
			"-o", "libgreet-"+v+".vso", "greet-"+v+".vo", "-lstd")
	}
	install := func(v string) {
		data, err := os.ReadFile(filepath.Join(dir, "libgreet-"+v+".vso"))
		require.NoError(t, err)
		require.NoError(t, atomicfile.WriteFile(filepath.Join(lib, "libgreet.vso"), data, 0o644))
	}
	install("1.0")
	tool(t, dir, "vmar", "rcs", "lib/libgreet.va", "greet-1.0.vo")
	dyn, sta := linkBothWays(t, dir, "prog", []string{"update/prog.s"}, "-Llib", "-lgreet", "-rpath", "$ORIGIN/lib")
	images := map[string][]byte{}
	for _, img := range []string{dyn, sta} {
		data, err := os.ReadFile(img)
		require.NoError(t, err)
		images[img] = data
	}

	v10 := "hello from libgreet 1.0\n"
	v11 := "Hello from libgreet 1.1, now with a capital letter!\n"
	for _, step := range []struct {
		install string
		dynamic result
		static  result
		what    string
	}{
		{"1.0", result{v10, "", 0}, result{v10, "", 0}, "as linked"},
		{"1.1", result{v11, "", 0}, result{v10, "", 0}, "a minor update: the dynamic image runs 1.1"},
		{"2.0", result{"", fmt.Sprintf("vmrun: %s: libgreet.vso.1: %s has version 2.0 (soname libgreet.vso.2), incompatible\n",
			dyn, filepath.Join(lib, "libgreet.vso")), 127}, result{v10, "", 0}, "a major update: refused"},
	} {
		install(step.install)
		// From another directory: the runpath is relative to the image.
		assert.Equal(t, step.dynamic, runIn(t, t.TempDir(), nil, "vmrun", dyn), step.what)
		assert.Equal(t, step.static, runIn(t, t.TempDir(), nil, "vmrun", sta), step.what)
	}
	for img, before := range images {
		after, err := os.ReadFile(img)
		require.NoError(t, err)
		assert.True(t, bytes.Equal(before, after), "%s was never relinked", img)
	}
}

// exampleNames returns the examples examples/build.sh builds when given
// none: every directory of examples/ but testdata/ and bench/.
func exampleNames(t *testing.T) []string {
	t.Helper()
	entries, err := os.ReadDir(".")
	require.NoError(t, err)
	var names []string
	for _, e := range entries {
		if e.IsDir() && e.Name() != "testdata" && e.Name() != "bench" {
			names = append(names, e.Name())
		}
	}
	return names
}

// readGolden returns the golden output testdata/golden/NAME.golden.
func readGolden(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "golden", name+".golden"))
	require.NoError(t, err)
	return string(data)
}

// TestMakeExamples runs the real `make demo` (which builds the tools,
// libstd and every example, then runs hello) into a temporary BIN, LIB
// and BUILD, then checks that every example directory gave both images,
// that the modules and child programs of the examples with a recipe are
// there, and runs every image with the tools make built: the examples
// with known output must print it all; any other (a new example) must
// print the same both ways, and must not trap.
func TestMakeExamples(t *testing.T) {
	makeTool, err := exec.LookPath("make")
	require.NoError(t, err, "make is needed to test `make examples`")
	tmp := t.TempDir()
	binDir, libDir, buildDir := filepath.Join(tmp, "bin"), filepath.Join(tmp, "lib"), filepath.Join(tmp, "build")
	cmd := exec.Command(makeTool, "BIN="+binDir, "LIB="+libDir, "BUILD="+buildDir, "demo")
	cmd.Dir = ".."
	// Under `make test` the outer make's flags (-w: "Leaving directory"
	// lines) would reach this make through the environment.
	for _, kv := range os.Environ() {
		if k, _, _ := strings.Cut(kv, "="); k != "MAKEFLAGS" && k != "MAKELEVEL" && k != "MFLAGS" {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "make demo:\n%s", out)
	assert.True(t, strings.HasSuffix(string(out), "\nHello, world!\n"), "make demo runs hello last:\n%s", out)

	ex := filepath.Join(buildDir, "examples")
	for _, f := range []string{
		"plugin/hello.vso", "plugin/count.vso",
		"sharing/greet.img", "sharing/greet-static.img", "sharing/sum.img",
		"sharing/sum-static.img", "sharing/fact.img", "sharing/fact-static.img",
		"update/libgreet-1.0.vso", "update/libgreet-1.1.vso", "update/libgreet-2.0.vso",
		"update/lib/libgreet.vso", "update/lib/libgreet.va",
	} {
		assert.FileExists(t, filepath.Join(ex, f))
	}

	same := func(stdout string) [2]result { return [2]result{{stdout, "", 0}, {stdout, "", 0}} }
	// want is, by example, its arguments and the results of the dynamic
	// and the static image; an example not listed runs with no arguments
	// and must only print the same both ways.
	want := map[string]struct {
		args    func(static bool) []string
		results [2]result
	}{
		"hello":             {nil, same("Hello, world!\n")},
		"fib":               {func(bool) []string { return []string{"10"} }, same("55\n")},
		"multi":             {nil, same("apply(double_it, 21) = 42\napply_named(square, 12) = 144\ncalls counted by util.s: 2\nthree modules, one image\n")},
		"sieve":             {func(bool) []string { return []string{"100"} }, same("25\n")},
		"linkedlist":        {nil, same(readGolden(t, "linkedlist"))},
		"strings":           {nil, same(readGolden(t, "strings"))},
		"static-vs-dynamic": {nil, same(readGolden(t, "interest"))},
		"update":            {nil, same("hello from libgreet 1.0\n")},
		"plugin": {
			func(bool) []string { return []string{filepath.Join(ex, "plugin/hello.vso")} },
			[2]result{
				{"hello plugin: loaded from " + filepath.Join(ex, "plugin/hello.vso") + "\n", "", 0},
				{"host: dynamic loading is not available: the image is statically linked\n", "", 1},
			},
		},
		"sharing": {
			func(static bool) []string {
				if static {
					return []string{filepath.Join(ex, "sharing/sum-static.img")}
				}
				return []string{filepath.Join(ex, "sharing/sum.img")}
			},
			[2]result{
				{"sum: 1 + 2 + ... + 100 = 5050\nparent: " + filepath.Join(ex, "sharing/sum.img") +
					" exited with status 2\nparent: all children done\n", "", 0},
				{"sum: 1 + 2 + ... + 100 = 5050\nparent: " + filepath.Join(ex, "sharing/sum-static.img") +
					" exited with status 2\nparent: all children done\n", "", 0},
			},
		},
	}
	// The Benchmarks Game programs, whose output benchgame_test.go checks,
	// run with a small N.
	smallN := map[string]string{"binarytrees": "4", "fannkuchredux": "5", "nbody": "10", "spectralnorm": "10"}
	names := exampleNames(t)
	for name := range want {
		assert.Contains(t, names, name)
	}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			// Both ways: the dynamic image needs libstd.vso, the static one
			// no module.
			ldd := runFrom(t, binDir, tmp, nil, "vmldd", filepath.Join(ex, name+".img"))
			assert.Contains(t, ldd.stdout, "\tlibstd.vso.1 => "+filepath.Join(libDir, "libstd.vso"), ldd.stderr)
			ldd = runFrom(t, binDir, tmp, nil, "vmldd", filepath.Join(ex, name+"-static.img"))
			assert.Equal(t, result{"\tnot a dynamic executable\n", "", 1}, ldd)

			var got [2]result
			for i, img := range []string{name + ".img", name + "-static.img"} {
				require.FileExists(t, filepath.Join(ex, img))
				var args []string
				if w, ok := want[name]; ok && w.args != nil {
					args = w.args(i == 1)
				} else if n, ok := smallN[name]; ok {
					args = []string{n}
				}
				got[i] = runFrom(t, binDir, tmp, nil, "vmrun", append([]string{filepath.Join(ex, img)}, args...)...)
			}
			if w, ok := want[name]; ok {
				assert.Equal(t, w.results, got)
				return
			}
			assert.Equal(t, got[0], got[1], "the same program linked both ways")
			assert.NotEqual(t, 134, got[0].status, "a trap:\n%s", got[0].stderr)
			if _, ok := smallN[name]; ok {
				assert.NotEmpty(t, got[0].stdout)
				assert.Equal(t, 0, got[0].status, got[0].stderr)
			}
		})
	}
}

// exampleReadmes are the examples whose README.md TestExampleReadmes
// runs.
var exampleReadmes = []string{
	"hello", "fib", "multi", "sieve", "linkedlist", "strings", "update", "static-vs-dynamic", "sharing",
}

// readmeRoot is where the READMEs show the repository.
const readmeRoot = "/path/to/linkvm"

// newRepoRoot returns a directory laid out like the repository after
// `make tools libs`: bin/ and lib/ with the tools and libstd of TestMain
// (hard links, or copies, so that the tools find lib/ beside bin/ there)
// and examples/, a link to this package's directory.
func newRepoRoot(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	for _, d := range []string{"bin", "lib"} {
		from := filepath.Join(filepath.Dir(bin), d)
		entries, err := os.ReadDir(from)
		require.NoError(t, err)
		require.NoError(t, os.Mkdir(filepath.Join(root, d), 0o755))
		for _, e := range entries {
			src, dst := filepath.Join(from, e.Name()), filepath.Join(root, d, e.Name())
			if os.Link(src, dst) != nil {
				data, err := os.ReadFile(src)
				require.NoError(t, err)
				require.NoError(t, os.WriteFile(dst, data, 0o755))
			}
		}
	}
	examples, err := filepath.Abs(".")
	require.NoError(t, err)
	require.NoError(t, os.Symlink(examples, filepath.Join(root, "examples")))
	return root
}

// TestExampleReadmes runs the commands of each example's README.md from a
// directory laid out like the repository, after building the example
// there as `make examples` does (examples/build.sh), and compares every
// output shown with the real one. The commands are the ```console blocks,
// parsed and run as TestTutorial does (each must exit with status 0; a
// README shows a failure with `|| echo ...`); the repository's directory
// is shown as /path/to/linkvm. `go test ./examples -run
// TestExampleReadmes -update` rewrites the outputs from a real run.
func TestExampleReadmes(t *testing.T) {
	for _, name := range exampleReadmes {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(name, "README.md")
			doc, err := os.ReadFile(path)
			require.NoError(t, err)
			lines := strings.Split(strings.TrimSuffix(string(doc), "\n"), "\n")
			cmds, err := parseTutorial(lines)
			require.NoError(t, err, path)
			require.NotEmpty(t, cmds, "%s has no console blocks", path)

			root := newRepoRoot(t)
			build := exec.Command("examples/build.sh", "bin", "lib", "build/examples", name)
			build.Dir = root
			out, err := build.CombinedOutput()
			require.NoError(t, err, "examples/build.sh:\n%s", out)
			runs := runTutorial(t, root, cmds)
			for i := range runs {
				runs[i].output = strings.ReplaceAll(runs[i].output, tutorialHome, readmeRoot)
			}

			if golden.Update() {
				require.NoError(t, atomicfile.WriteFile(path, []byte(withOutputs(t, lines, cmds, runs)), 0o644))
				return
			}
			for i, c := range cmds {
				where := fmt.Sprintf("%s:%d: $ %s", path, c.line, strings.SplitN(c.input, "\n", 2)[0])
				assert.Equal(t, 0, runs[i].status, "%s: the command failed:\n%s", where, runs[i].output)
				assert.Equal(t, c.output, runs[i].output, "%s (-update rewrites it)", where)
			}
		})
	}
}

// withOutputs returns the document lines with the output of each command
// replaced by what it printed in runs.
func withOutputs(t *testing.T, lines []string, cmds []tutorialCommand, runs []tutorialRun) string {
	t.Helper()
	var doc []string
	prev := 0
	for i, c := range cmds {
		require.Equal(t, 0, runs[i].status, "line %d: the command failed:\n%s", c.line, runs[i].output)
		doc = append(doc, lines[prev:c.outFrom]...)
		if out := runs[i].output; out != "" {
			require.True(t, strings.HasSuffix(out, "\n"), "line %d: the output does not end with a newline: %q", c.line, out)
			doc = append(doc, strings.Split(strings.TrimSuffix(out, "\n"), "\n")...)
		}
		prev = c.outTo
	}
	doc = append(doc, lines[prev:]...)
	again, err := parseTutorial(doc)
	require.NoError(t, err)
	require.Len(t, again, len(cmds), "an output line looks like a command")
	return strings.Join(doc, "\n") + "\n"
}

// TestBuildScriptErrors: examples/build.sh refuses a missing argument and
// an example that does not exist, building nothing.
func TestBuildScriptErrors(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	for _, c := range []struct {
		args   []string
		stderr string
		status int
	}{
		{[]string{bin, out}, "usage: examples/build.sh BIN LIB OUT [NAME...]\n", 2},
		{[]string{bin, filepath.Join(filepath.Dir(bin), "lib"), out, "nope"}, "examples/build.sh: no example examples/nope\n", 1},
	} {
		cmd := exec.Command("examples/build.sh", c.args...)
		cmd.Dir = ".."
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		var ee *exec.ExitError
		require.ErrorAs(t, err, &ee)
		assert.Equal(t, c.status, ee.ExitCode(), "%q", c.args)
		assert.Empty(t, stdout.String())
		assert.Equal(t, c.stderr, stderr.String())
	}
	assert.NoDirExists(t, out)
}
