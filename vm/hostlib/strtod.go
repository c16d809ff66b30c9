package hostlib

import (
	"math"
	"strconv"
	"strings"
)

// nanBits is the NaN strtod returns: glibc's quiet NaN, positive.
const nanBits = 0x7ff8000000000000

// Strtod parses a floating-point number at the start of s as C's strtod
// (glibc) does and returns its binary64 bits and the number of bytes of s
// it used; n is 0, and bits 0, when s does not start with a number.
// Accepted: leading white space (" \t\n\v\f\r"), an optional sign, then a
// decimal number (digits with an optional '.', at least one digit, an
// optional exponent e[sign]digits), a hexadecimal one (0x, hex digits with
// an optional '.', an optional exponent p[sign]digits), "inf",
// "infinity" or "nan" with an optional "(chars)" (letters, digits, '_';
// a number there becomes the NaN's payload, as in glibc),
// all case-insensitive. Decimal and hexadecimal values are correctly
// rounded; too large values give ±Inf and too small ones ±0 or a
// subnormal, as in C.
func Strtod(s []byte) (bits uint64, n int) {
	i := 0
	for i < len(s) && isSpace(s[i]) {
		i++
	}
	neg := false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	start := i
	var v float64
	switch {
	case hasPrefixFold(s[i:], "inf"):
		i += 3
		if hasPrefixFold(s[i:], "inity") {
			i += 5
		}
		v = math.Inf(1)
	case hasPrefixFold(s[i:], "nan"):
		i += 3
		if i < len(s) && s[i] == '(' {
			j := i + 1
			for j < len(s) && (isAlnum(s[j]) || s[j] == '_') {
				j++
			}
			payload := uint64(0)
			if j < len(s) && s[j] == ')' {
				payload = nanPayload(string(s[i+1 : j]))
				i = j + 1
			}
			v = math.Float64frombits(nanBits | payload)
			break
		}
		v = math.Float64frombits(nanBits)
	case i+1 < len(s) && s[i] == '0' && (s[i+1] == 'x' || s[i+1] == 'X'):
		end, ok := scanNumber(s, i+2, true)
		if !ok {
			// "0x" without hex digits: the number is the "0".
			i++
			v = 0
			break
		}
		text := "0x" + string(s[i+2:end])
		if !strings.ContainsAny(text, "pP") {
			text += "p0"
		}
		v = parse(text)
		i = end
	default:
		end, ok := scanNumber(s, i, false)
		if !ok {
			return 0, 0
		}
		v = parse(string(s[i:end]))
		i = end
	}
	if i == start {
		return 0, 0
	}
	if neg {
		v = -v
	}
	return math.Float64bits(v), i
}

// scanNumber scans digits (hex digits if hex) with at most one '.', at
// least one digit, and an optional exponent ('e', or 'p' if hex) that is
// used only if digits follow it. It returns the end, and whether there
// was a digit.
func scanNumber(s []byte, i int, hex bool) (end int, ok bool) {
	isDigit := func(c byte) bool { return c >= '0' && c <= '9' }
	if hex {
		isDigit = isHex
	}
	digits, dot := 0, false
	for i < len(s) {
		switch c := s[i]; {
		case isDigit(c):
			digits++
		case c == '.' && !dot:
			dot = true
		default:
			goto exp
		}
		i++
	}
exp:
	if digits == 0 {
		return 0, false
	}
	mark := byte('e')
	if hex {
		mark = 'p'
	}
	if i < len(s) && s[i]|0x20 == mark {
		j := i + 1
		if j < len(s) && (s[j] == '+' || s[j] == '-') {
			j++
		}
		if j < len(s) && s[j] >= '0' && s[j] <= '9' {
			for j < len(s) && s[j] >= '0' && s[j] <= '9' {
				j++
			}
			i = j
		}
	}
	return i, true
}

// parse converts a scanned number with strconv, which rounds correctly
// and returns ±Inf (with an error we ignore) on overflow, as C does.
func parse(text string) float64 {
	v, _ := strconv.ParseFloat(text, 64)
	return v
}

// nanPayload is glibc's payload of "nan(chars)": chars read as an
// unsigned integer in C's base 0 (decimal, 0x hex, 0 octal), keeping the
// low 51 bits, or 0 if chars are not such a number.
func nanPayload(chars string) uint64 {
	v, err := strconv.ParseUint(chars, 0, 64)
	if err != nil || strings.Contains(chars, "_") || strings.HasPrefix(chars, "0b") || strings.HasPrefix(chars, "0o") {
		return 0
	}
	return v & (1<<51 - 1)
}

func isSpace(c byte) bool { return c == ' ' || c >= '\t' && c <= '\r' }

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c|0x20 >= 'a' && c|0x20 <= 'f'
}

func isAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c|0x20 >= 'a' && c|0x20 <= 'z'
}

// hasPrefixFold reports whether s starts with the lower-case ASCII
// prefix, ignoring case.
func hasPrefixFold(s []byte, prefix string) bool {
	if len(s) < len(prefix) {
		return false
	}
	for i := 0; i < len(prefix); i++ {
		if s[i]|0x20 != prefix[i] {
			return false
		}
	}
	return true
}
