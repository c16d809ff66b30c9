// Package hostlib holds the host-side helpers of linkvm's standard library
// (docs/stdlib.md): the work libstd delegates to the VM through reserved
// system calls because it is exact and portable in Go and long and slow in
// VM code. Each helper is a pure function of plain values; the VM's
// system call table copies arguments out of and results into guest
// memory around it.
//
//	sys 16 fmtfloat  FormatFloat
//	sys 17 strtod    Strtod
//	sys 18 math      Math
package hostlib

import (
	"math"
	"strconv"
	"strings"
)

// Flags of FormatFloat's spec, above the conversion character in its low
// byte: the printf flags that change a float's digits or sign. Width,
// '-' and '0' are the caller's (libstd pads the result itself).
const (
	FlagAlt   = 0x100 // '#': always a decimal point; %g keeps trailing zeros
	FlagPlus  = 0x200 // '+': a '+' before non-negative values
	FlagSpace = 0x400 // ' ': a space before non-negative values (ignored with '+')
)

// MaxPrec is the largest precision FormatFloat honours; a larger one is
// taken as MaxPrec (C has no limit; this keeps a hostile program from
// making the host format gigabytes).
const MaxPrec = 4096

// maxDigits bounds the digits asked of strconv: a binary64 has at most
// 1074 fractional decimal digits and 767 significant ones, so every digit
// beyond these is 0 and is appended rather than computed.
const maxDigits = 1100

// FormatFloat formats the binary64 value whose bits are bits as C's
// printf (glibc) does for the conversion spec&0xff, one of 'f' 'F' 'e' 'E'
// 'g' 'G', with precision prec (negative means the default, 6) and the
// flags FlagAlt, FlagPlus, FlagSpace of spec (precision above MaxPrec
// counts as MaxPrec). Infinities and NaNs print as
// "inf" and "nan" ("INF", "NAN" for the upper-case conversions), with a
// '-' when the sign bit is set (glibc's "-nan"). ok is false for an
// unknown conversion. The result holds no padding and no NUL.
func FormatFloat(bits uint64, prec int64, spec uint64) (out []byte, ok bool) {
	conv := byte(spec)
	upper := false
	switch conv {
	case 'f', 'e', 'g':
	case 'F', 'E', 'G':
		upper = true
		conv += 'a' - 'A'
	default:
		return nil, false
	}
	if prec < 0 {
		prec = 6
	}
	if prec > MaxPrec {
		prec = MaxPrec
	}
	p := int(prec)
	v := math.Float64frombits(bits)
	neg := bits>>63 != 0
	var sign string
	switch {
	case neg:
		sign = "-"
	case spec&FlagPlus != 0:
		sign = "+"
	case spec&FlagSpace != 0:
		sign = " "
	}
	alt := spec&FlagAlt != 0
	var body string
	switch {
	case math.IsInf(v, 0):
		body = "inf"
	case math.IsNaN(v):
		body = "nan"
	default:
		a := math.Abs(v)
		switch conv {
		case 'f':
			body = fixed(a, p, alt)
		case 'e':
			body = sci(a, p, alt)
		case 'g':
			body = general(a, p, alt)
		}
	}
	if upper {
		body = strings.ToUpper(body)
	}
	return []byte(sign + body), true
}

// fixed is %.pf of the non-negative finite a.
func fixed(a float64, p int, alt bool) string {
	s := strconv.FormatFloat(a, 'f', min(p, maxDigits), 64)
	if p > maxDigits {
		s += strings.Repeat("0", p-maxDigits)
	}
	if p == 0 && alt {
		s += "."
	}
	return s
}

// sci is %.pe of the non-negative finite a: d.ddde±XX.
func sci(a float64, p int, alt bool) string {
	s := strconv.FormatFloat(a, 'e', min(p, maxDigits), 64)
	if p > maxDigits {
		i := strings.IndexByte(s, 'e')
		s = s[:i] + strings.Repeat("0", p-maxDigits) + s[i:]
	}
	if p == 0 && alt {
		i := strings.IndexByte(s, 'e')
		s = s[:i] + "." + s[i:]
	}
	return s
}

// general is %.pg of the non-negative finite a, by C's rule: with P the
// precision (1 if 0) and X the exponent %e would print with precision
// P-1, %f with precision P-1-X if P > X >= -4, else %e with precision
// P-1; then, unless alt, trailing zeros and a trailing point are removed.
func general(a float64, p int, alt bool) string {
	if p == 0 {
		p = 1
	}
	e := sci(a, p-1, false)
	x, _ := strconv.Atoi(e[strings.IndexByte(e, 'e')+1:])
	var s string
	if p > x && x >= -4 {
		s = fixed(a, p-1-x, alt)
	} else {
		s = sci(a, p-1, alt)
	}
	if alt {
		return s
	}
	mant, exp := s, ""
	if i := strings.IndexByte(s, 'e'); i >= 0 {
		mant, exp = s[:i], s[i:]
	}
	if strings.IndexByte(mant, '.') >= 0 {
		mant = strings.TrimRight(mant, "0")
		mant = strings.TrimSuffix(mant, ".")
	}
	return mant + exp
}
