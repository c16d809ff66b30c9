package hostlib

import "math"

// Function numbers of the math system call (sys 18, docs/stdlib.md): the
// value in r0.
const (
	MathSin   = 0 // sin(x)
	MathCos   = 1 // cos(x)
	MathTan   = 2 // tan(x)
	MathExp   = 3 // e**x
	MathLog   = 4 // natural logarithm of x
	MathPow   = 5 // x**y
	MathFmod  = 6 // fmod(x, y): x - n*y, n = trunc(x/y), with x's sign
	MathAtan2 = 7 // atan2(x, y): C's atan2 with x as its first argument (the y coordinate)
	MathAtan  = 8 // atan(x)
)

// Math computes function fn (one of the Math* constants) of the binary64
// values whose bits are x and y (y is ignored by the functions of one
// argument) and returns the result's bits. ok is false for an unknown fn.
// The results are the same on every host: the algorithms are Go's pure-Go
// ones (gomath.go), never the host's.
func Math(fn int64, x, y uint64) (bits uint64, ok bool) {
	a, b := math.Float64frombits(x), math.Float64frombits(y)
	var r float64
	switch fn {
	case MathSin:
		r = sin(a)
	case MathCos:
		r = cos(a)
	case MathTan:
		r = tan(a)
	case MathExp:
		r = exp(a)
	case MathLog:
		r = log(a)
	case MathPow:
		r = pow(a, b)
	case MathFmod:
		r = mod(a, b)
	case MathAtan2:
		r = atan2(a, b)
	case MathAtan:
		r = atan(a)
	default:
		return 0, false
	}
	return math.Float64bits(r), true
}
