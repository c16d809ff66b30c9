package stdlib

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// xorshift is the Go model of rand.s's generator.
type xorshift struct{ state uint64 }

func (x *xorshift) srand(seed uint64) {
	x.state = seed ^ 0x9E3779B97F4A7C15
	if x.state == 0 {
		x.state = 0x9E3779B97F4A7C15
	}
}

func (x *xorshift) rand() int64 {
	s := x.state
	s ^= s >> 12
	s ^= s << 25
	s ^= s >> 27
	x.state = s
	return int64((s * 0x2545F4914F6CDD1D) >> 33)
}

func TestMisc(t *testing.T) {
	t.Parallel()
	var want strings.Builder
	var g xorshift
	g.srand(1)
	for range 5 {
		fmt.Fprintf(&want, "rand %d\n", g.rand())
	}
	for _, seed := range []uint64{42, 1, 0x9E3779B97F4A7C15} {
		g.srand(seed)
		fmt.Fprintf(&want, "rand %d\n", g.rand())
	}
	want.WriteString("0x7fffffff\n")
	want.WriteString("5\n-9223372036854775808\n-3\n2\n")
	for _, n := range []int64{0, 1, 2, 3, 4, 15, 16, 17, 99, 100, 101, 1000000, 999999999999,
		math.MaxInt64, 9223372030926249001, 9223372030926249000, -1} {
		r := int64(-1)
		if n >= 0 {
			r = int64(math.Sqrt(float64(n)))
			for r*r > n {
				r--
			}
			for (r+1)*(r+1) <= n && (r+1)*(r+1) > 0 {
				r++
			}
		}
		fmt.Fprintf(&want, "isqrt(%d) = %d\n", n, r)
	}
	for _, f := range []float64{math.Sqrt(2), 2.5, -3, -2, -2} {
		fmt.Fprintf(&want, "%#x\n", math.Float64bits(f))
	}
	want.WriteString("-9223372036854775808 18446744073709551615 deadbeef 0\n")
	want.WriteString("A65\n-1\nputs\n0\n0\n-1\n")
	runBoth(t, testdata(t, "misc"), func(t *testing.T, r runResult) {
		requireOK(t, r)
		assert.Equal(t, want.String(), r.stdout)
		assert.Equal(t, "puts", r.stderr)
	})
}
