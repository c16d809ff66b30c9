package examples_test

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// sharingOutput is what examples/sharing prints, linked either way.
const sharingOutput = `greet: hello from a child process
greet: printf comes from libstd
parent: greet.img exited with status 1
sum: 1 + 2 + ... + 100 = 5050
parent: sum.img exited with status 2
fact: 1! = 1
fact: 2! = 2
fact: 3! = 6
fact: 4! = 24
fact: 5! = 120
fact: 6! = 720
fact: 7! = 5040
fact: 8! = 40320
fact: 9! = 362880
fact: 10! = 3628800
parent: fact.img exited with status 3
parent: all children done
`

// statsRow is one module line of vmrun --stats.
type statsRow struct {
	procs, shared, private, bindings int
}

// statsReport is vmrun --stats parsed: the module lines by name (the
// total under "total"), in order, and the process lines.
type statsReport struct {
	modules map[string]statsRow
	order   []string
	procs   [][]string // pid, steps, image
}

// parseStats parses the report vmrun --stats wrote on stderr.
func parseStats(t *testing.T, stderr string) statsReport {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(stderr, "\n"), "\n")
	require.GreaterOrEqual(t, len(lines), 4, stderr)
	require.True(t, strings.HasPrefix(lines[0], "vmrun: stats: "), stderr)
	require.Equal(t, []string{"module", "procs", "shared", "private", "bindings"}, strings.Fields(lines[1]))
	r := statsReport{modules: map[string]statsRow{}}
	i := 2
	for ; i < len(lines) && lines[i] != ""; i++ {
		f := strings.Fields(lines[i])
		require.Len(t, f, 5, lines[i])
		var n [4]int
		for j := range n {
			v, err := strconv.Atoi(f[j+1])
			require.NoError(t, err, lines[i])
			n[j] = v
		}
		_, dup := r.modules[f[0]]
		require.False(t, dup, "module %s listed twice:\n%s", f[0], stderr)
		r.modules[f[0]] = statsRow{n[0], n[1], n[2], n[3]}
		r.order = append(r.order, f[0])
	}
	require.Less(t, i+1, len(lines), stderr)
	require.Equal(t, []string{"pid", "steps", "image"}, strings.Fields(lines[i+1]))
	for _, l := range lines[i+2:] {
		r.procs = append(r.procs, strings.Fields(l))
	}
	return r
}

// buildSharing builds examples/sharing in dir, every image linked with
// the extra vmld flags (nothing: against libstd.vso; -static: libstd.va).
func buildSharing(t *testing.T, dir string, flags ...string) {
	t.Helper()
	for _, p := range []string{"parent", "greet", "sum", "fact"} {
		src, err := filepath.Abs("sharing/" + p + ".s")
		require.NoError(t, err)
		tool(t, dir, "vmas", "-o", p+".vo", src)
		tool(t, dir, "vmld", append(append([]string{"-o", p + ".img", p + ".vo"}, flags...), "-lstd")...)
	}
}

// TestSharing runs examples/sharing with vmrun --stats linked dynamically
// and statically: the same output; dynamically libstd.vso is one module
// file used by all four processes, its read-only bytes counted once;
// statically there is no libstd.vso and every image carries its own copy
// of the libstd code it uses.
func TestSharing(t *testing.T) {
	dynDir, staDir := t.TempDir(), t.TempDir()
	buildSharing(t, dynDir)
	buildSharing(t, staDir, "-static")
	args := []string{"--stats", "parent.img", "greet.img", "sum.img", "fact.img"}
	dr := runIn(t, dynDir, nil, "vmrun", args...)
	sr := runIn(t, staDir, nil, "vmrun", args...)
	assert.Equal(t, sharingOutput, dr.stdout)
	assert.Equal(t, sharingOutput, sr.stdout)
	require.Equal(t, 0, dr.status, dr.stderr)
	require.Equal(t, 0, sr.status, sr.stderr)
	dyn, sta := parseStats(t, dr.stderr), parseStats(t, sr.stderr)
	images := []string{"fact.img", "greet.img", "parent.img", "sum.img"}

	// Dynamic: five module files, sorted by name; libstd.vso once, with
	// four users and its read-only bytes counted once (as many as for a
	// single process), its private bytes four times.
	assert.Equal(t, []string{"fact.img", "greet.img", "libstd.vso", "parent.img", "sum.img", "total"}, dyn.order)
	assert.Equal(t, "vmrun: stats: 4 processes, 5 module files", strings.SplitN(dr.stderr, "\n", 2)[0])
	lib := dyn.modules["libstd.vso"]
	assert.Equal(t, 4, lib.procs)
	one := parseStats(t, runIn(t, dynDir, nil, "vmrun", "--stats", "greet.img").stderr).modules["libstd.vso"]
	assert.Equal(t, 1, one.procs)
	assert.Equal(t, one.shared, lib.shared, "libstd's shared bytes are counted once")
	assert.Equal(t, 4*one.private, lib.private, "libstd's writable data is private to each process")
	assert.Positive(t, lib.shared)
	assert.Positive(t, lib.bindings)
	for _, img := range images {
		m := dyn.modules[img]
		assert.Equal(t, 1, m.procs, img)
		assert.Positive(t, m.bindings, "%s calls libstd through its PLT", img)
	}

	// Static: no libstd.vso; each image is larger than its dynamic twin by
	// the libstd code it carries, so the total shared code is larger.
	assert.Equal(t, append(append([]string(nil), images...), "total"), sta.order)
	assert.Equal(t, "vmrun: stats: 4 processes, 4 module files", strings.SplitN(sr.stderr, "\n", 2)[0])
	for _, img := range images {
		m := sta.modules[img]
		assert.Equal(t, 1, m.procs, img)
		assert.Zero(t, m.bindings, img)
		assert.Greater(t, m.shared, dyn.modules[img].shared, "%s carries its own copy of libstd's code", img)
	}
	assert.Greater(t, sta.modules["total"].shared, dyn.modules["total"].shared)
	sum := 0
	for _, img := range images {
		sum += dyn.modules[img].shared
	}
	assert.Equal(t, sum+lib.shared, dyn.modules["total"].shared)

	// Both ways: one line per process, by pid, with its image.
	for _, r := range []statsReport{dyn, sta} {
		require.Len(t, r.procs, 4)
		for i, want := range []string{"parent.img", "greet.img", "sum.img", "fact.img"} {
			require.Len(t, r.procs[i], 3)
			assert.Equal(t, strconv.Itoa(i+1), r.procs[i][0])
			assert.Equal(t, want, r.procs[i][2])
			steps, err := strconv.Atoi(r.procs[i][1])
			require.NoError(t, err)
			assert.Positive(t, steps, want)
		}
	}
}

// TestSharingReadme checks that examples/sharing/README.md names every
// source of the example.
func TestSharingReadme(t *testing.T) {
	readme, err := os.ReadFile("sharing/README.md")
	require.NoError(t, err)
	srcs, err := filepath.Glob("sharing/*.s")
	require.NoError(t, err)
	require.Len(t, srcs, 4)
	for _, s := range srcs {
		assert.Contains(t, string(readme), filepath.Base(s))
	}
}
