package hostlib

import (
	"math"
	"strconv"
	"testing"
)

// FuzzStrtod: Strtod never panics, uses at most the whole input, uses
// nothing exactly when it returns 0 for a non-number, and agrees with
// strconv on plain decimal inputs.
func FuzzStrtod(f *testing.F) {
	for _, s := range []string{"", "1", " -1.5e10", "0x1.8p3", "inf", "nan(12)", "1e99999", ".e1", "0x", "-0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		bits, n := Strtod([]byte(s))
		if n < 0 || n > len(s) {
			t.Fatalf("Strtod(%q) used %d bytes", s, n)
		}
		if n == 0 && bits != 0 {
			t.Fatalf("Strtod(%q) = %#x using nothing", s, bits)
		}
		if v, err := strconv.ParseFloat(s, 64); err == nil && n == len(s) && isPlainDecimal(s) {
			if math.Float64bits(v) != bits {
				t.Fatalf("Strtod(%q) = %#x, strconv gives %#x", s, bits, math.Float64bits(v))
			}
		}
	})
}

// isPlainDecimal reports whether s is digits with at most one point and
// an optional exponent: the inputs strconv and C read alike.
func isPlainDecimal(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c == '.' || c == 'e' || c == 'E' || c == '-' || c == '+') {
			return false
		}
	}
	return true
}

// FuzzFormatFloat: FormatFloat never panics, and Strtod reads back the
// value of every %.17g (the shortest exact round trip).
func FuzzFormatFloat(f *testing.F) {
	f.Add(uint64(0), int64(6), uint64('f'))
	f.Add(uint64(0x7ff8000000000001), int64(-1), uint64('G'|FlagPlus))
	f.Add(math.Float64bits(1e300), int64(5000), uint64('e'|FlagAlt))
	f.Fuzz(func(t *testing.T, bits uint64, prec int64, spec uint64) {
		out, ok := FormatFloat(bits, prec, spec)
		if ok && len(out) > 1+309+1+MaxPrec+6 {
			t.Fatalf("FormatFloat: %d bytes", len(out))
		}
		v := math.Float64frombits(bits)
		if math.IsNaN(v) {
			return
		}
		s, _ := FormatFloat(bits, 17, 'g')
		back, n := Strtod(s)
		if n != len(s) || back != bits {
			t.Fatalf("%.17g of %#x is %q, read back as %#x (%d bytes)", v, bits, s, back, n)
		}
	})
}
