package examples_test

import (
	"encoding/binary"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"linkvm/objfmt"
	"linkvm/vm"
)

// benchProgram is one of the Benchmarks Game programs of examples/.
type benchProgram struct {
	name string
	// ref is the Go reference implementation: what the program must print
	// for n.
	ref func(n int) string
	// site is N and the output the Benchmarks Game publishes for it.
	site     int
	siteWant string
	// more are other N, checked against ref.
	more []int
	// bad are argument lists refused with the usage line, beyond those
	// every program refuses (badArgs).
	bad [][]string
}

// badArgs are refused by every program: no argument, two, and arguments
// that are not whole decimal numbers or are negative.
var badArgs = [][]string{nil, {"7", "7"}, {""}, {"x"}, {"7x"}, {"7 "}, {"0x10"}, {"-1"}}

var benchPrograms = []benchProgram{
	{
		name: "binarytrees",
		ref:  refBinaryTrees,
		site: 10,
		siteWant: "stretch tree of depth 11\t check: 4095\n" +
			"1024\t trees of depth 4\t check: 31744\n" +
			"256\t trees of depth 6\t check: 32512\n" +
			"64\t trees of depth 8\t check: 32704\n" +
			"16\t trees of depth 10\t check: 32752\n" +
			"long lived tree of depth 10\t check: 2047\n",
		more: []int{0, 7, 13},
		bad:  [][]string{{"63"}},
	},
	{
		name:     "fannkuchredux",
		ref:      refFannkuchRedux,
		site:     7,
		siteWant: "228\nPfannkuchen(7) = 16\n",
		more:     []int{1, 2, 3, 8, 9},
		bad:      [][]string{{"0"}, {"21"}},
	},
	{
		name:     "nbody",
		ref:      refNbody,
		site:     1000,
		siteWant: "-0.169075164\n-0.169087605\n",
		more:     []int{0, 1, 20000, 100000},
	},
	{
		name:     "spectralnorm",
		ref:      refSpectralNorm,
		site:     100,
		siteWant: "1.274219991\n",
		more:     []int{1, 2, 99, 300},
		bad:      [][]string{{"0"}},
	},
}

// buildStd assembles every .s file of examples/NAME in dir and links the
// objects against libstd both ways, as `make examples` does: it returns
// the dynamic image (libstd.vso loaded at run time) and the static one
// (libstd.va's members copied in).
func buildStd(t *testing.T, name, dir string) (dynamic, static string) {
	t.Helper()
	srcs, err := filepath.Glob(filepath.Join(name, "*.s"))
	require.NoError(t, err)
	require.NotEmpty(t, srcs)
	var objs []string
	for _, s := range srcs {
		abs, err := filepath.Abs(s)
		require.NoError(t, err)
		o := strings.TrimSuffix(filepath.Base(s), ".s") + ".vo"
		tool(t, dir, "vmas", "-o", o, abs)
		objs = append(objs, o)
	}
	dynamic, static = name+".img", name+"-static.img"
	tool(t, dir, "vmld", append(append([]string{"-o", dynamic}, objs...), "-lstd")...)
	tool(t, dir, "vmld", append(append([]string{"-static", "-o", static}, objs...), "-lstd")...)
	return filepath.Join(dir, dynamic), filepath.Join(dir, static)
}

// TestBenchmarksGame builds each program statically and dynamically and
// checks, both ways: the output the Benchmarks Game publishes for its
// small N (which the Go reference must print too), the Go reference's
// output for other N, and the usage error for bad arguments.
func TestBenchmarksGame(t *testing.T) {
	for _, p := range benchPrograms {
		t.Run(p.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, p.siteWant, p.ref(p.site), "the Go reference disagrees with the site")
			ns := append([]int{p.site}, p.more...)
			want := make([]string, len(ns))
			for i, n := range ns {
				want[i] = p.ref(n)
			}
			dynamic, static := buildStd(t, p.name, t.TempDir())
			for _, img := range []string{dynamic, static} {
				link := "dynamic"
				if img == static {
					link = "static"
				}
				for i, n := range ns {
					r := run(t, "vmrun", img, strconv.Itoa(n))
					assert.Equal(t, want[i], r.stdout, "%s %s %d", p.name, link, n)
					assert.Empty(t, r.stderr, "%s %s %d", p.name, link, n)
					assert.Equal(t, 0, r.status, "%s %s %d", p.name, link, n)
				}
				for _, args := range append(append([][]string(nil), badArgs...), p.bad...) {
					r := run(t, "vmrun", append([]string{img}, args...)...)
					assert.Empty(t, r.stdout, "%s %s %q", p.name, link, args)
					assert.Equal(t, "usage: "+p.name+" N\n", r.stderr, "%s %s %q", p.name, link, args)
					assert.Equal(t, 2, r.status, "%s %s %q", p.name, link, args)
				}
			}
		})
	}
}

// TestBenchmarksGameOutOfMemory: a program whose data does not fit in the
// heap says so and exits with 1, rather than trapping on a NULL from
// malloc.
func TestBenchmarksGameOutOfMemory(t *testing.T) {
	for _, tc := range []struct{ name, n string }{
		{"spectralnorm", "1000000000000"},        // 8 TB a vector: malloc fails
		{"spectralnorm", "99999999999999999999"}, // saturates at 2^63-1: more than malloc ever gives
		{"binarytrees", "62"},                    // the largest N: the stretch tree fills the heap
	} {
		t.Run(tc.name+"/"+tc.n, func(t *testing.T) {
			dynamic, _ := buildStd(t, tc.name, t.TempDir())
			r := run(t, "vmrun", dynamic, tc.n)
			assert.Empty(t, r.stdout)
			assert.Equal(t, tc.name+": out of memory\n", r.stderr)
			assert.Equal(t, 1, r.status)
		})
	}
}

// guest is a VM process of a static image whose functions a test calls
// one by one, to look inside a program.
type guest struct {
	t   *testing.T
	img *objfmt.File
	p   *vm.Process
}

// loadGuest loads the static image at path into a new process.
func loadGuest(t *testing.T, path string) *guest {
	t.Helper()
	img, err := objfmt.Open(path)
	require.NoError(t, err)
	p, err := vm.Load(img, path, vm.Config{})
	require.NoError(t, err)
	t.Cleanup(func() { p.Close() })
	return &guest{t, img, p}
}

// addr is the address of the image's symbol name.
func (g *guest) addr(name string) uint64 {
	g.t.Helper()
	for _, s := range g.img.Symbols {
		if s.Name == name {
			return s.Value
		}
	}
	require.FailNow(g.t, "no symbol "+name)
	return 0
}

// call calls the function fn with args in r0... and returns its r0.
func (g *guest) call(fn string, args ...uint64) uint64 {
	g.t.Helper()
	r, err := g.p.Call(g.addr(fn), args...)
	require.NoError(g.t, err, fn)
	return r
}

// doubles returns the bits of the n doubles at addr.
func (g *guest) doubles(addr uint64, n int) []uint64 {
	g.t.Helper()
	b := make([]byte, n*8)
	require.NoError(g.t, g.p.ReadMemory(addr, b))
	bits := make([]uint64, n)
	for i := range bits {
		bits[i] = binary.LittleEndian.Uint64(b[i*8:])
	}
	return bits
}

// float64Bits returns the bits of each of fs.
func float64Bits(fs ...float64) []uint64 {
	bits := make([]uint64, len(fs))
	for i, f := range fs {
		bits[i] = math.Float64bits(f)
	}
	return bits
}

// TestNbodyBitExact checks what nbody's output, 9 decimals, cannot show:
// that it does every floating-point operation as the reference does. It
// calls the program's own functions (init_bodies, offset_momentum,
// energy, advance) and compares every double of the bodies, and the
// energies, bit for bit with the Go reference, after each of 1000 steps.
func TestNbodyBitExact(t *testing.T) {
	_, static := buildStd(t, "nbody", t.TempDir())
	g := loadGuest(t, static)
	// state is the bodies' doubles in the layout of nbody.s's struct body.
	state := func(bodies nbodySystem) []uint64 {
		var bits []uint64
		for _, b := range bodies {
			bits = append(bits, float64Bits(b.x, b.y, b.z, b.vx, b.vy, b.vz, b.mass)...)
		}
		return bits
	}
	bodies := g.addr("bodies")

	g.call("init_bodies")
	g.call("offset_momentum")
	want := newNbodySystem()
	require.Equal(t, state(want), g.doubles(bodies, len(want)*7), "the bodies after offset_momentum")
	require.Equal(t, math.Float64bits(want.energy()), g.call("energy"), "the energy at the start")
	const dt = 0.01
	for step := 1; step <= 1000; step++ {
		g.call("advance", math.Float64bits(dt))
		want.advance(dt)
		require.Equal(t, state(want), g.doubles(bodies, len(want)*7), "the bodies after step %d", step)
	}
	require.Equal(t, math.Float64bits(want.energy()), g.call("energy"), "the energy after 1000 steps")
}

// TestSpectralNormBitExact checks, as TestNbodyBitExact does, that
// spectralnorm computes every double as the reference does: it calls the
// program's functions on vectors of 60 doubles and compares u and v after
// each half-round, and both dot products, bit for bit with the Go
// reference.
func TestSpectralNormBitExact(t *testing.T) {
	const n = 60
	_, static := buildStd(t, "spectralnorm", t.TempDir())
	g := loadGuest(t, static)
	u, v, tmp := g.call("new_vector", n), g.call("new_vector", n), g.call("new_vector", n)
	g.call("fill", u, n, math.Float64bits(1))
	wu, wv, wtmp := make([]float64, n), make([]float64, n), make([]float64, n)
	for i := range wu {
		wu[i] = 1
	}
	require.Equal(t, float64Bits(wu...), g.doubles(u, n), "u at the start")
	for round := 1; round <= 10; round++ {
		g.call("mul_AtA", n, u, v, tmp)
		spectralAtA(wu, wv, wtmp)
		require.Equal(t, float64Bits(wv...), g.doubles(v, n), "v in round %d", round)
		g.call("mul_AtA", n, v, u, tmp)
		spectralAtA(wv, wu, wtmp)
		require.Equal(t, float64Bits(wu...), g.doubles(u, n), "u in round %d", round)
	}
	assert.Equal(t, math.Float64bits(spectralDot(wu, wv)), g.call("dot", u, v, n), "u . v")
	assert.Equal(t, math.Float64bits(spectralDot(wv, wv)), g.call("dot", v, v, n), "v . v")
}

// TestBenchmarksGameReadmes runs the commands of each program's README.md
// (its ```console blocks, parsed and run as TestTutorial does) from a
// directory laid out like the repository, with bin/ and examples/, and
// compares every output shown with the real one.
func TestBenchmarksGameReadmes(t *testing.T) {
	examples, err := filepath.Abs(".")
	require.NoError(t, err)
	for _, p := range benchPrograms {
		t.Run(p.name, func(t *testing.T) {
			path := filepath.Join(p.name, "README.md")
			doc, err := os.ReadFile(path)
			require.NoError(t, err)
			lines := strings.Split(strings.TrimSuffix(string(doc), "\n"), "\n")
			cmds, err := parseTutorial(lines)
			require.NoError(t, err, path)
			require.NotEmpty(t, cmds, "%s has no console blocks", path)
			for _, s := range []string{"dynamic", "static", "-static", "-lstd", ".s"} {
				assert.Contains(t, string(doc), s, path)
			}

			home := t.TempDir()
			require.NoError(t, os.Symlink(bin, filepath.Join(home, "bin")))
			require.NoError(t, os.Symlink(examples, filepath.Join(home, "examples")))
			runs := runTutorial(t, home, cmds)
			for i, c := range cmds {
				where := fmt.Sprintf("%s:%d: $ %s", path, c.line, c.input)
				assert.Equal(t, 0, runs[i].status, "%s: the command failed:\n%s", where, runs[i].output)
				assert.Equal(t, c.output, runs[i].output, where)
			}
		})
	}
}

// The Go reference implementations follow the Benchmarks Game's reference
// programs: the same algorithm, the same order of floating-point
// operations. Every product that feeds an addition or subtraction is
// wrapped in float64(...), which forbids Go from fusing the two into one
// multiply-add (the Go spec allows fusion otherwise, and does it on arm64,
// for instance): linkvm has no fused multiply-add, and neither has the
// reference output.

// treeNode is a node of binary-trees: both children nil in a leaf.
type treeNode struct{ left, right *treeNode }

func bottomUpTree(depth int) *treeNode {
	if depth == 0 {
		return &treeNode{}
	}
	return &treeNode{bottomUpTree(depth - 1), bottomUpTree(depth - 1)}
}

func (t *treeNode) check() int {
	if t.left == nil {
		return 1
	}
	return 1 + t.left.check() + t.right.check()
}

// refBinaryTrees is binary-trees for n.
func refBinaryTrees(n int) string {
	const minDepth = 4
	maxDepth := max(minDepth+2, n)
	var b strings.Builder
	fmt.Fprintf(&b, "stretch tree of depth %d\t check: %d\n", maxDepth+1, bottomUpTree(maxDepth+1).check())
	longLived := bottomUpTree(maxDepth)
	for depth := minDepth; depth <= maxDepth; depth += 2 {
		iterations := 1 << (maxDepth - depth + minDepth)
		check := 0
		for range iterations {
			check += bottomUpTree(depth).check()
		}
		fmt.Fprintf(&b, "%d\t trees of depth %d\t check: %d\n", iterations, depth, check)
	}
	fmt.Fprintf(&b, "long lived tree of depth %d\t check: %d\n", maxDepth, longLived.check())
	return b.String()
}

// refFannkuchRedux is fannkuch-redux for n >= 1, with the reference's
// permutation order: perm1 rotated by prefixes, count[r] rotations left
// for the prefix of length r+1.
func refFannkuchRedux(n int) string {
	perm1, perm, count := make([]int, n), make([]int, n), make([]int, n)
	for i := range perm1 {
		perm1[i] = i
	}
	maxFlips, checksum, permCount := 0, 0, 0
	r := n
	for {
		for ; r != 1; r-- {
			count[r-1] = r
		}
		copy(perm, perm1)
		flips := 0
		for k := perm[0]; k != 0; k = perm[0] {
			for i, j := 0, k; i < j; i, j = i+1, j-1 {
				perm[i], perm[j] = perm[j], perm[i]
			}
			flips++
		}
		maxFlips = max(maxFlips, flips)
		if permCount%2 == 0 {
			checksum += flips
		} else {
			checksum -= flips
		}
		for {
			if r == n {
				return fmt.Sprintf("%d\nPfannkuchen(%d) = %d\n", checksum, n, maxFlips)
			}
			perm0 := perm1[0]
			copy(perm1[:r], perm1[1:r+1])
			perm1[r] = perm0
			count[r]--
			if count[r] > 0 {
				break
			}
			r++
		}
		permCount++
	}
}

// nbodyBody is a body of n-body.
type nbodyBody struct{ x, y, z, vx, vy, vz, mass float64 }

// nbodySystem is the state of n-body: the five bodies, the Sun first.
type nbodySystem []nbodyBody

// newNbodySystem returns the bodies with the reference constants and the
// Sun's momentum offset.
func newNbodySystem() nbodySystem {
	// Variables, not constants: Go evaluates constant expressions exactly,
	// the reference in float64, one rounding per operation.
	pi, daysPerYear := 3.141592653589793, 365.24
	solarMass := 4 * pi * pi
	bodies := nbodySystem{
		{0, 0, 0, 0, 0, 0, solarMass},
		{4.84143144246472090e+00, -1.16032004402742839e+00, -1.03622044471123109e-01,
			1.66007664274403694e-03 * daysPerYear, 7.69901118419740425e-03 * daysPerYear, -6.90460016972063023e-05 * daysPerYear,
			9.54791938424326609e-04 * solarMass},
		{8.34336671824457987e+00, 4.12479856412430479e+00, -4.03523417114321381e-01,
			-2.76742510726862411e-03 * daysPerYear, 4.99852801234917238e-03 * daysPerYear, 2.30417297573763929e-05 * daysPerYear,
			2.85885980666130812e-04 * solarMass},
		{1.28943695621391310e+01, -1.51111514016986312e+01, -2.23307578892655734e-01,
			2.96460137564761618e-03 * daysPerYear, 2.37847173959480950e-03 * daysPerYear, -2.96589568540237556e-05 * daysPerYear,
			4.36624404335156298e-05 * solarMass},
		{1.53796971148509165e+01, -2.59193146099879641e+01, 1.79258772950371181e-01,
			2.68067772490389322e-03 * daysPerYear, 1.62824170038242295e-03 * daysPerYear, -9.51592254519715870e-05 * daysPerYear,
			5.15138902046611451e-05 * solarMass},
	}
	var px, py, pz float64
	for _, b := range bodies {
		px += float64(b.vx * b.mass)
		py += float64(b.vy * b.mass)
		pz += float64(b.vz * b.mass)
	}
	bodies[0].vx = -px / solarMass
	bodies[0].vy = -py / solarMass
	bodies[0].vz = -pz / solarMass
	return bodies
}

// energy is the kinetic energy of the bodies minus the potential energy
// of every pair.
func (bodies nbodySystem) energy() float64 {
	e := 0.0
	for i := range bodies {
		b := &bodies[i]
		e += float64(0.5 * b.mass * float64(float64(float64(b.vx*b.vx)+float64(b.vy*b.vy))+float64(b.vz*b.vz)))
		for j := i + 1; j < len(bodies); j++ {
			b2 := &bodies[j]
			dx, dy, dz := b.x-b2.x, b.y-b2.y, b.z-b2.z
			distance := math.Sqrt(float64(float64(dx*dx)+float64(dy*dy)) + float64(dz*dz))
			e -= float64(b.mass*b2.mass) / distance
		}
	}
	return e
}

// advance moves the bodies one step of dt.
func (bodies nbodySystem) advance(dt float64) {
	for i := range bodies {
		b := &bodies[i]
		for j := i + 1; j < len(bodies); j++ {
			b2 := &bodies[j]
			dx, dy, dz := b.x-b2.x, b.y-b2.y, b.z-b2.z
			d2 := float64(float64(dx*dx)+float64(dy*dy)) + float64(dz*dz)
			mag := dt / float64(d2*math.Sqrt(d2))
			bm := float64(b2.mass * mag)
			b.vx -= float64(dx * bm)
			b.vy -= float64(dy * bm)
			b.vz -= float64(dz * bm)
			bm = float64(b.mass * mag)
			b2.vx += float64(dx * bm)
			b2.vy += float64(dy * bm)
			b2.vz += float64(dz * bm)
		}
	}
	for i := range bodies {
		b := &bodies[i]
		b.x += float64(dt * b.vx)
		b.y += float64(dt * b.vy)
		b.z += float64(dt * b.vz)
	}
}

// refNbody is n-body for n steps, as the reference programs compute it.
func refNbody(n int) string {
	bodies := newNbodySystem()
	out := fmt.Sprintf("%.9f\n", bodies.energy())
	for range n {
		bodies.advance(0.01)
	}
	return out + fmt.Sprintf("%.9f\n", bodies.energy())
}

// spectralA is the matrix of spectral-norm: 1 / the integer denominator.
func spectralA(i, j int) float64 {
	return 1.0 / float64((i+j)*(i+j+1)/2+i+1)
}

// spectralTimes sets out = A u, or A^T u when transposed.
func spectralTimes(u, out []float64, transposed bool) {
	for i := range out {
		sum := 0.0
		for j := range u {
			a := spectralA(i, j)
			if transposed {
				a = spectralA(j, i)
			}
			sum += float64(a * u[j])
		}
		out[i] = sum
	}
}

// spectralAtA sets out = A^T A u, with tmp = A u.
func spectralAtA(u, out, tmp []float64) {
	spectralTimes(u, tmp, false)
	spectralTimes(tmp, out, true)
}

// spectralDot is the sum of a[i] * b[i], in the order of i.
func spectralDot(a, b []float64) float64 {
	sum := 0.0
	for i := range a {
		sum += float64(a[i] * b[i])
	}
	return sum
}

// refSpectralNorm is spectral-norm for n >= 1.
func refSpectralNorm(n int) string {
	u, v, tmp := make([]float64, n), make([]float64, n), make([]float64, n)
	for i := range u {
		u[i] = 1
	}
	for range 10 {
		spectralAtA(u, v, tmp)
		spectralAtA(v, u, tmp)
	}
	return fmt.Sprintf("%.9f\n", math.Sqrt(spectralDot(u, v)/spectralDot(v, v)))
}
