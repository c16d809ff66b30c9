package hostlib

import (
	"encoding/binary"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// ulps is the distance between a and b in units in the last place (0 for
// two NaNs).
func ulps(a, b float64) uint64 {
	if math.IsNaN(a) && math.IsNaN(b) {
		return 0
	}
	x, y := int64(math.Float64bits(a)), int64(math.Float64bits(b))
	if x < 0 {
		x = math.MinInt64 - x
	}
	if y < 0 {
		y = math.MinInt64 - y
	}
	if x > y {
		return uint64(x - y)
	}
	return uint64(y - x)
}

// fusedProbe is a*b + c as the compiler builds it: 0 for the arguments
// TestMathAgreesWithGo passes unless the multiply and add are fused.
//
//go:noinline
func fusedProbe(a, b, c float64) float64 { return a*b + c }

// TestMathAgreesWithGo compares Math with package math on many inputs.
// On amd64 Go's sin, cos, tan, pow, fmod, atan and atan2 are the same
// pure-Go code with no fused multiply-add, so they must agree bit for
// bit; exp and log are assembly there, and within one ulp. pow calls exp
// and log, so it gets the same tolerance.
func TestMathAgreesWithGo(t *testing.T) {
	if fusedProbe(1+0x1p-30, 1-0x1p-30, -1) != 0 {
		t.Skip("this build fuses multiply-adds (GOAMD64=v3, arm64, ...), so package math is not the reference")
	}
	type fn struct {
		name  string
		n     int64
		ref   func(x, y float64) float64
		exact bool
	}
	fns := []fn{
		{"sin", MathSin, func(x, _ float64) float64 { return math.Sin(x) }, true},
		{"cos", MathCos, func(x, _ float64) float64 { return math.Cos(x) }, true},
		{"tan", MathTan, func(x, _ float64) float64 { return math.Tan(x) }, true},
		{"exp", MathExp, func(x, _ float64) float64 { return math.Exp(x) }, false},
		{"log", MathLog, func(x, _ float64) float64 { return math.Log(x) }, false},
		{"pow", MathPow, math.Pow, false},
		{"fmod", MathFmod, math.Mod, true},
		{"atan2", MathAtan2, math.Atan2, true},
		{"atan", MathAtan, func(x, _ float64) float64 { return math.Atan(x) }, true},
	}
	r := rand.New(rand.NewPCG(1, 2))
	special := []float64{0, math.Copysign(0, -1), 1, -1, 0.5, 2, 10, math.Pi, -math.Pi / 2, 1e-310, 1e300, -1e300,
		math.Inf(1), math.Inf(-1), math.NaN(), 709.78, -745.2, 1 << 30, 1e22, 3}
	var xs []float64
	xs = append(xs, special...)
	for range 3000 {
		xs = append(xs, (r.Float64()-0.5)*20, (r.Float64()-0.5)*2e6, math.Float64frombits(r.Uint64()))
	}
	for _, f := range fns {
		bad := 0
		for i, x := range xs {
			y := xs[(i*7+3)%len(xs)]
			if f.n == MathPow {
				y = (r.Float64() - 0.5) * 40
				if i < len(special) {
					y = special[(i+5)%len(special)]
				}
			}
			got, ok := Math(f.n, math.Float64bits(x), math.Float64bits(y))
			require.True(t, ok)
			want := f.ref(x, y)
			if f.n == MathExp && x > 709.7 || f.n == MathLog && x > 0 && x < 0x1p-1022 {
				// amd64's assembly Exp overflows early and its Log is
				// wrong for subnormals; checked separately below.
				continue
			}
			d := ulps(math.Float64frombits(got), want)
			tol := uint64(1)
			if f.n == MathPow {
				tol = 8 // exp and log errors, amplified by y
			}
			if f.exact && d != 0 || d > tol {
				bad++
				if bad < 5 {
					t.Errorf("%s(%v, %v) = %v, math gives %v", f.name, x, y, math.Float64frombits(got), want)
				}
			}
		}
		assert.Zero(t, bad, f.name)
	}
	_, ok := Math(99, 0, 0)
	assert.False(t, ok)
	e, _ := Math(MathExp, math.Float64bits(709.78), 0)
	assert.Equal(t, 1.7928227943945155e+308, math.Float64frombits(e))
	l, _ := Math(MathLog, math.Float64bits(1e-310), 0)
	assert.InDelta(t, -713.8013788281542, math.Float64frombits(l), 1e-12)
}

// TestMathChecksum pins Math's results on a fixed set of inputs: the
// same checksum on every host proves the results are bit-identical
// everywhere (run the suite on arm64 to check).
func TestMathChecksum(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	h := fnv.New64a()
	var buf [8]byte
	for fn := int64(MathSin); fn <= MathAtan; fn++ {
		for range 20000 {
			x := (r.Float64() - 0.5) * 100
			y := (r.Float64() - 0.5) * 10
			if r.IntN(4) == 0 {
				x = math.Float64frombits(r.Uint64())
			}
			v, ok := Math(fn, math.Float64bits(x), math.Float64bits(y))
			require.True(t, ok)
			binary.LittleEndian.PutUint64(buf[:], v)
			h.Write(buf[:])
		}
	}
	assert.Equal(t, uint64(mathChecksum), h.Sum64(), "%#x", h.Sum64())
}

// mathChecksum is TestMathChecksum's hash, computed on linux/amd64.
const mathChecksum = 0xab08588da01e79ce
