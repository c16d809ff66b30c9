package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/pprof/profile"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// readProfile parses the profile file path.
func readProfile(t *testing.T, path string) *profile.Profile {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	prof, err := profile.Parse(f)
	require.NoError(t, err)
	return prof
}

// flat returns the instructions counted in each function as the
// innermost frame (pprof's "flat").
func flat(prof *profile.Profile) map[string]int64 {
	m := map[string]int64{}
	for _, s := range prof.Sample {
		m[s.Location[0].Line[0].Function.Name] += s.Value[1]
	}
	return m
}

func TestProfileFib(t *testing.T) {
	inDir(t, func(dir string) { buildFib(t, dir) })
	r := vmrun("", "--profile", "fib.pb.gz", "--count", "fib.img", "20")
	assert.Equal(t, "6765\n", r.stdout)
	assert.Equal(t, 0, r.status)
	total := checkCountSums(t, r.stderr)

	prof := readProfile(t, "fib.pb.gz")
	require.NoError(t, prof.CheckValid())
	assert.Equal(t, "instructions", prof.DefaultSampleType)
	assert.Equal(t, []string{"samples/count", "instructions/count"}, []string{
		prof.SampleType[0].Type + "/" + prof.SampleType[0].Unit,
		prof.SampleType[1].Type + "/" + prof.SampleType[1].Unit})
	byFunc := flat(prof)
	var sum int64
	hottest := ""
	for name, n := range byFunc {
		sum += n
		if hottest == "" || n > byFunc[hottest] {
			hottest = name
		}
	}
	assert.Equal(t, "fib", hottest, "%v", byFunc)
	assert.Equal(t, int64(total), sum, "the samples stand for every instruction run")

	// Frames carry the source file and line of the line table; the
	// outermost frame of every sample is _start.
	for _, s := range prof.Sample {
		assert.Equal(t, []int64{1}, s.NumLabel["pid"])
		for _, loc := range s.Location {
			require.Len(t, loc.Line, 1)
			assert.Equal(t, "fib.s", loc.Line[0].Function.Filename)
			assert.Positive(t, loc.Line[0].Line)
			assert.Equal(t, "fib.img", loc.Mapping.File)
		}
		assert.Equal(t, "_start", s.Location[len(s.Location)-1].Line[0].Function.Name)
	}

	// The same run gives the same file.
	first, err := os.ReadFile("fib.pb.gz")
	require.NoError(t, err)
	vmrun("", "--profile", "again.pb.gz", "fib.img", "20")
	again, err := os.ReadFile("again.pb.gz")
	require.NoError(t, err)
	assert.Equal(t, first, again)

	// go tool pprof reads it.
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to run pprof with")
	}
	out, err := exec.Command(goTool, "tool", "pprof", "-top", "fib.pb.gz").CombinedOutput()
	require.NoError(t, err, "%s", out)
	assert.Regexp(t, `(?m)^Type: instructions$`, string(out))
	assert.Regexp(t, `(?m)^ +[0-9]+ +9[0-9.]+% +9[0-9.]+% +[0-9]+ +[0-9.]+% +fib$`, string(out))
}

// TestProfileSpawn: one profile for every process, each sample labelled
// with its pid.
func TestProfileSpawn(t *testing.T) {
	inDir(t, func(dir string) {
		buildStatic(t, dir, "parent", filepath.Join(pkgDir, toolsDir, "parent.s"))
		buildStatic(t, dir, "child", filepath.Join(pkgDir, toolsDir, "child.s"))
	})
	r := vmrun("", "--profile", "all.pb.gz", "parent.img")
	assert.Equal(t, result{"child\n", "", 3}, r)
	prof := readProfile(t, "all.pb.gz")
	pids := map[int64]int64{}
	for _, s := range prof.Sample {
		pids[s.NumLabel["pid"][0]] += s.Value[1]
	}
	assert.Equal(t, map[int64]int64{1: 7, 2: 6}, pids)
}

func TestProfileBadFile(t *testing.T) {
	dir := t.TempDir()
	img := helloImage(t)
	for _, tc := range []struct{ file, msg string }{
		{filepath.Join(dir, "no", "such", "p.pb.gz"), "stat " + filepath.Join(dir, "no", "such") + ": no such file or directory"},
		{dir, "is a directory"},
		{filepath.Join(img, "p.pb.gz"), img + " is not a directory"},
	} {
		r := vmrun("", "--profile", tc.file, img)
		assert.Equal(t, result{"", "vmrun: --profile " + tc.file + ": " + tc.msg + "\n" + shortUsage, 2}, r)
	}
	r := vmrun("", "--profile")
	assert.Equal(t, result{"", "vmrun: --profile needs an output file\n" + shortUsage, 2}, r)
	assert.False(t, strings.Contains(r.stderr, "panic"))
}
