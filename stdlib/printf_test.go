package stdlib

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestPrintfMisc covers strings, characters, pointers, %% and unknown
// conversions; the expected strings are glibc's.
func TestPrintfMisc(t *testing.T) {
	t.Parallel()
	s := func(format, str, want string) printfCase {
		return printfCase{format: format, strs: [3]string{str}, want: want}
	}
	u := func(format string, a, b uint64, want string) printfCase {
		return printfCase{format: format, args: [3]uint64{a, b}, want: want}
	}
	expectTable(t, []printfCase{
		s("[%s]", "hello", "[hello]"),
		s("[%10s]", "hello", "[     hello]"),
		s("[%-10s]", "hello", "[hello     ]"),
		s("[%.2s]", "hello", "[he]"),
		s("[%10.3s]", "hello", "[       hel]"),
		s("[%05s]", "ab", "[   ab]"),
		s("[%s]", "\x00", "[]"), // an empty string
		{format: "[%-*s]", args: [3]uint64{7}, strs: [3]string{"", "ab"}, want: "[ab     ]"},
		{format: "[%.*s|%s]", args: [3]uint64{3}, strs: [3]string{"", "abcdef", "xy"}, want: "[abc|xy]"},
		u("[%s]", 0, 0, "[(null)]"),
		u("[%.3s]", 0, 0, "[]"),
		u("[%.6s]", 0, 0, "[(null)]"),
		u("[%c]", 'A', 0, "[A]"),
		u("[%5c]", 'B', 0, "[    B]"),
		u("[%-3c]", 'C', 0, "[C  ]"),
		u("[%c%c]", 'h', 'i', "[hi]"),
		u("[%%]", 0, 0, "[%]"),
		u("[%5%]", 0, 0, "[%]"),
		u("[%p]", 0, 0, "[(nil)]"),
		u("[%p]", 0x10000, 0, "[0x10000]"),
		u("[%20p]", 0xdeadbeef, 0, "[          0xdeadbeef]"),
		u("[%-20p|]", 0xdeadbeef, 0, "[0xdeadbeef          |]"),
		u("[%018p]", 0xdeadbeef, 0, "[0x00000000deadbeef]"),
		u("[%+p]", 1, 0, "[+0x1]"),
		u("[%y]", 1, 0, "[%y]"),
		u("[100%]", 0, 0, "[100%]"),
		u("no conversions", 0, 0, "no conversions"),
		u("", 0, 0, ""),
		u("%d", math.MaxUint64, 0, "-1"),
		u("%u", math.MaxUint64, 0, "18446744073709551615"),
		u("%ld %lu", 1<<63, 1<<63, "-9223372036854775808 9223372036854775808"),
		{format: "%x|%X|%#x", args: [3]uint64{255, 255, 255}, want: "ff|FF|0xff"},
		{format: "%#X|%o|%#o", args: [3]uint64{255, 255, 255}, want: "0XFF|377|0377"},
		u("%hhd %hd", 0x1ff, 0x18000, "-1 -32768"),
		u("trailing %", 0, 0, "trailing "),
	})
}

// TestPrintfManyArgs checks that the variadic arguments are read from
// the stack in order, beyond the first three.
func TestPrintfManyArgs(t *testing.T) {
	t.Parallel()
	runBoth(t, testdata(t, "printf_args"), func(t *testing.T, r runResult) {
		requireOK(t, r)
		assert.Equal(t, "1 2 3 4 5 6 7 8 9 10 x str\n"+
			"fprintf to 1: 42\n"+
			"snprintf: 12 [hello w] 0\n"+
			"sprintf: 5 [-1234]\n"+
			"vprintf: 3 and 4\n", r.stdout)
		assert.Equal(t, "to stderr: -7\n", r.stderr)
	})
}
