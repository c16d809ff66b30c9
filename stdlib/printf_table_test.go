package stdlib

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// printfCase is one printf call: a format with up to three 8-byte
// arguments, and what C's printf prints for it.
type printfCase struct {
	format string
	args   [3]uint64
	want   string
	// strs, where not empty, replace args by the address of the string.
	strs [3]string
}

// tableProgram is a program that calls printf(format, args...) for each
// case and after each prints "|", the return value and a newline.
func tableProgram(cases []printfCase) string {
	var b strings.Builder
	b.WriteString(`        .text
        .global main
main:
        enter 16
        st64  r16, [fp - 8]
        la    r16, table
1:      ld64  r0, [r16]
        beqz  r0, 2f
        addi  sp, sp, -32
        ld64  r8, [r16 + 8]
        st64  r8, [sp]
        ld64  r8, [r16 + 16]
        st64  r8, [sp + 8]
        ld64  r8, [r16 + 24]
        st64  r8, [sp + 16]
        call  printf
        addi  sp, sp, 32
        st64  r0, [fp - 16]
        li    r0, '|'
        call  putchar
        ld64  r0, [fp - 16]
        call  print_int
        li    r0, '\n'
        call  putchar
        addi  r16, r16, 32
        b     1b
2:      ld64  r16, [fp - 8]
        li    r0, 0
        leave
        ret

        .data
        .align 8
table:
`)
	for i, c := range cases {
		fmt.Fprintf(&b, "        .quad f%d", i)
		for j, a := range c.args {
			if c.strs[j] != "" {
				fmt.Fprintf(&b, ", s%d_%d", i, j)
			} else {
				fmt.Fprintf(&b, ", %#x", a)
			}
		}
		b.WriteString("\n")
	}
	b.WriteString("        .quad 0\n        .rodata\n")
	for i, c := range cases {
		fmt.Fprintf(&b, "f%d:     .asciz %q\n", i, c.format)
		for j, str := range c.strs {
			if str != "" {
				fmt.Fprintf(&b, "s%d_%d:   .asciz %q\n", i, j, str)
			}
		}
	}
	return b.String()
}

// expectTable runs the cases in one program and compares every line.
func expectTable(t *testing.T, cases []printfCase) {
	t.Helper()
	runBoth(t, program{name: "table.s", src: tableProgram(cases)}, func(t *testing.T, r runResult) {
		requireOK(t, r)
		lines := strings.Split(r.stdout, "\n")
		require.Len(t, lines, len(cases)+1, "one line per case")
		bad := 0
		for i, c := range cases {
			want := fmt.Sprintf("%s|%d", c.want, len(c.want))
			if lines[i] != want {
				bad++
				if bad <= 20 {
					t.Errorf("printf(%q, %#x, %#x): got %q, want %q", c.format, c.args[0], c.args[1], lines[i], want)
				}
			}
		}
		assert.Zero(t, bad, "mismatches out of %d cases", len(cases))
	})
}

// intValues are the interesting 64-bit values of the integer tests.
var intValues = []int64{0, 1, -1, 7, -7, 9, 10, 42, -42, 99, 100, 127, 128, 255, 256, -128, -129,
	32767, 32768, -32768, 65535, 65536, 1 << 31, -(1 << 31), 1<<32 - 1, 1 << 32, 999999999,
	1000000000, 123456789012, -123456789012, math.MaxInt64, math.MinInt64, math.MinInt64 + 1,
	math.MaxInt64 - 1, 0x7f, 0xdeadbeef, -0xdeadbeef}

// TestPrintfIntegersAgainstGo formats thousands of integers with random
// specs and compares with Go's fmt given the equivalent C-semantics spec.
func TestPrintfIntegersAgainstGo(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(5, 6))
	values := append([]int64(nil), intValues...)
	for range 60 {
		values = append(values, int64(rng.Uint64()), int64(rng.Uint64()>>rng.IntN(64)), rng.Int64N(2000)-1000)
	}
	var cases []printfCase
	for range 4000 {
		v := values[rng.IntN(len(values))]
		cases = append(cases, randomIntCase(rng, v))
	}
	expectTable(t, cases)
}

// randomIntCase builds a random integer conversion of v and its expected
// output from Go's fmt, which agrees with C once the spec is translated.
func randomIntCase(rng *rand.Rand, v int64) printfCase {
	convs := "diuxXo"
	conv := convs[rng.IntN(len(convs))]
	signed := conv == 'd' || conv == 'i'
	var flags string
	for _, f := range "-0+ #" {
		if rng.IntN(4) == 0 {
			flags += string(f)
		}
	}
	if !signed {
		flags = strings.NewReplacer("+", "", " ", "").Replace(flags) // C ignores them; Go would print a sign
	}
	if signed {
		flags = strings.ReplaceAll(flags, "#", "")
	}
	var args []uint64
	width, prec := -1, -1
	spec := "%" + flags
	switch rng.IntN(4) {
	case 1:
		width = rng.IntN(25)
		spec += fmt.Sprint(width)
	case 2:
		width = rng.IntN(50) - 25
		spec += "*"
		args = append(args, uint64(int64(width)))
	}
	switch rng.IntN(4) {
	case 1:
		prec = rng.IntN(25)
		spec += "." + fmt.Sprint(prec)
	case 2:
		prec = rng.IntN(30) - 5
		spec += ".*"
		args = append(args, uint64(int64(prec)))
	case 3:
		prec = 0
		spec += "."
	}
	lengths := []string{"", "", "l", "ll", "z", "h", "hh", "j", "t"}
	length := lengths[rng.IntN(len(lengths))]
	spec += length + string(conv)
	args = append(args, uint64(v))

	// Go's equivalent: the value narrowed as C narrows it, an explicit
	// width and precision, and the C rules Go does not share.
	var val any
	switch {
	case length == "h" && signed:
		val = int16(v)
	case length == "hh" && signed:
		val = int8(v)
	case length == "h":
		val = uint16(v)
	case length == "hh":
		val = uint8(v)
	case signed:
		val = v
	default:
		val = uint64(v)
	}
	gflags := flags
	if width < 0 && strings.Contains(spec, "*") { // a negative * width is '-'
		gflags += "-"
		width = -width
	}
	isZero := fmt.Sprint(val) == "0"
	if isZero && (conv == 'x' || conv == 'X') {
		gflags = strings.ReplaceAll(gflags, "#", "") // C: no 0x for zero
	}
	if strings.Contains(gflags, "#") && (conv == 'x' || conv == 'X') && strings.Contains(gflags, "0") &&
		!strings.Contains(gflags, "-") && prec < 0 && width >= 2 {
		width -= 2 // Go's zero padding leaves out the 0x; C's width includes it
	}
	gspec := "%" + gflags
	if width >= 0 {
		gspec += fmt.Sprint(width)
	}
	if prec >= 0 {
		gspec += "." + fmt.Sprint(prec)
	}
	gconv := map[byte]string{'d': "d", 'i': "d", 'u': "d", 'x': "x", 'X': "X", 'o': "o"}[conv]
	want := fmt.Sprintf(gspec+gconv, val)
	if conv == 'o' && strings.Contains(flags, "#") && isZero && prec == 0 {
		// C: '#' makes the first digit a 0 even with no digits; Go prints none.
		want = fmt.Sprintf("%"+strings.NewReplacer("#", "", "0", "").Replace(gflags)+widthStr(width)+"s", "0")
	}
	c := printfCase{format: spec, want: want}
	copy(c.args[:], args)
	return c
}

// widthStr is the width part of a spec ("" for none).
func widthStr(w int) string {
	if w < 0 {
		return ""
	}
	return fmt.Sprint(w)
}

// TestPrintfStarTakesAnInt: a `*` width or precision is an int, the low
// 32 bits of its 8-byte slot, as C's va_arg(ap, int) reads it; the high
// bits (a long or a double passed by mistake) do not make a giant field.
func TestPrintfStarTakesAnInt(t *testing.T) {
	t.Parallel()
	expectTable(t, []printfCase{
		{format: "[%*d]", args: [3]uint64{1<<32 | 5, 7}, want: "[    7]"},
		{format: "[%*d]", args: [3]uint64{0xffff_ffff_ffff_fffd, 7}, want: "[7  ]"},
		{format: "[%*d]", args: [3]uint64{0x4000_0000_0000_0003, 7}, want: "[  7]"},
		{format: "[%.*d]", args: [3]uint64{1<<40 | 3, 7}, want: "[007]"},
		{format: "[%.*d]", args: [3]uint64{0xffff_ffff, 7}, want: "[7]"},
	})
}
