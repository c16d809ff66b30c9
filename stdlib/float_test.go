package stdlib

import (
	"bufio"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"linkvm/asm"
	"linkvm/staticld"
	"linkvm/vm"
)

// requireSyscall skips the test unless the VM implements system call n
// (15..18 are reserved for libstd; the VM wires them in separately).
func requireSyscall(t *testing.T, n int) {
	t.Helper()
	src := "        .text\n        .global _start\n_start: li r0, 0\n        li r1, 0\n        li r2, 0\n        sys " +
		strconv.Itoa(n) + "\n        li r0, 0\n        sys 0\n"
	obj, err := asm.Assemble("probe.s", []byte(src), asm.Options{})
	require.NoError(t, err)
	img, err := staticld.Link(staticld.Config{}, []staticld.Input{{Name: "probe.vo", File: obj}})
	require.NoError(t, err)
	p, err := vm.Load(img, "probe.img", vm.Config{})
	require.NoError(t, err)
	if _, err := p.Run(); err != nil {
		t.Skipf("the VM does not implement system call %d yet: %v", n, err)
	}
}

func f64(v float64) uint64 { return math.Float64bits(v) }

// TestPrintfFloat: width, flags and precision around the VM's float
// formatting; the expected strings are glibc's.
func TestPrintfFloat(t *testing.T) {
	t.Parallel()
	requireSyscall(t, 16)
	one := func(format string, v float64, want string) printfCase {
		return printfCase{format: format, args: [3]uint64{f64(v)}, want: want}
	}
	nan := math.Float64frombits(0xfff8000000000000) // -nan
	expectTable(t, []printfCase{
		one("[%010.3f]", -1.5, "[-00001.500]"),
		one("[%-10f|]", 3.25, "[3.250000  |]"),
		one("[%08f]", math.Inf(1), "[     inf]"),
		one("[%-8f|]", nan, "[-nan    |]"),
		one("[%+08.2e]", 12345.678, "[+1.23e+04]"),
		one("[% g]", 0.0001, "[ 0.0001]"),
		one("[%#.3G]", 1e-10, "[1.00E-10]"),
		one("[%15.9f]", -0.169075164, "[   -0.169075164]"),
		one("[%.9f]", -0.16907516382852447, "[-0.169075164]"),
		one("[%.9f]", -0.16908760523460617, "[-0.169087605]"),
		one("[%f]", math.Copysign(0, -1), "[-0.000000]"),
		one("[%5.1f]", 9.96, "[ 10.0]"),
		one("[%e]", 0, "[0.000000e+00]"),
		one("[%g]", 100000, "[100000]"),
		one("[%g]", 1000000, "[1e+06]"),
		one("[%.0f]", 2.5, "[2]"),
		{format: "[%.*f]", args: [3]uint64{2, f64(3.14159)}, want: "[3.14]"},
		{format: "[%*.*e]", args: [3]uint64{12, 1, f64(2)}, want: "[     2.0e+00]"},
		{format: "[%lf %Lf]", args: [3]uint64{f64(1), f64(2)}, want: "[1.000000 2.000000]"},
		{format: "[%F %E %G]", args: [3]uint64{f64(math.Inf(1)), f64(math.NaN()), f64(1e100)}, want: "[INF NAN 1E+100]"},
		one("[%.320f]", 1e-300, "[0."+strings.Repeat("0", 299)+"100000000000000002506]"),
		one("%f", 1.7976931348623157e308, "179769313486231570814527423731704356798070567525844996598917476803157260780028538760589558632766878171540458953514382464234321326889464182768467546703537516986049910576551282076245490090389328944075868508455133942304583236903222948165808559332123348274797826204144723168738177180919299881250404026184124858368.000000"),
	})
}

// TestPrintfFloatGolden runs part of vm/hostlib's table of glibc outputs
// through printf on the VM.
func TestPrintfFloatGolden(t *testing.T) {
	t.Parallel()
	requireSyscall(t, 16)
	f, err := os.Open("../vm/hostlib/testdata/fmtfloat.golden")
	require.NoError(t, err)
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	var cases []printfCase
	for i := 0; sc.Scan(); i++ {
		parts := strings.SplitN(sc.Text(), "\t", 3)
		require.Len(t, parts, 3)
		if i%4 != 0 || len(parts[2]) > 200 || parts[0] == "412e847f00000000" {
			continue // a sample; short lines; not glibc's %#g bug
		}
		bits, err := strconv.ParseUint(parts[0], 16, 64)
		require.NoError(t, err)
		cases = append(cases, printfCase{format: parts[1], args: [3]uint64{bits}, want: parts[2]})
	}
	require.NoError(t, sc.Err())
	require.Greater(t, len(cases), 1500)
	expectTable(t, cases)
}

// TestStrtod: strtod's value and end pointer, atof.
func TestStrtod(t *testing.T) {
	t.Parallel()
	requireSyscall(t, 17)
	runBoth(t, testdata(t, "strtod"), func(t *testing.T, r runResult) {
		requireOK(t, r)
		assert.Equal(t, `0x3ff8000000000000 5
0xc05ec00000000000 7
0x7ff0000000000000 3
0 0
0x3fb999999999999a 3
0x4059000000000000
`, r.stdout)
	})
}

// TestLibm: the math functions return exactly what vm/hostlib computes.
func TestLibm(t *testing.T) {
	t.Parallel()
	requireSyscall(t, 18)
	want := strings.Join([]string{
		hex(math.Sin(0.5)), hex(math.Cos(0.5)), hex(math.Tan(0.5)), hex(math.Exp(1)), hex(math.Log(10)),
		hex(math.Pow(2, 0.5)), hex(math.Mod(7.5, 2)), hex(math.Atan2(1, -1)), hex(math.Atan(1)),
	}, "\n") + "\n"
	runBoth(t, testdata(t, "libm"), func(t *testing.T, r runResult) {
		requireOK(t, r)
		assert.Equal(t, want, r.stdout)
	})
}

func hex(v float64) string { return "0x" + strconv.FormatUint(math.Float64bits(v), 16) }

// TestFflush: fflush(1) returns 0, fflush of a bad fd -EBADF.
func TestFflush(t *testing.T) {
	t.Parallel()
	requireSyscall(t, 15)
	runBoth(t, program{name: "fflush.s", src: `
        .text
        .global main
main:   enter 16
        la    r0, s
        call  puts
        li    r0, 1
        call  fflush
        st64  r0, [sp]
        li    r0, 77
        call  fflush
        st64  r0, [sp + 8]
        la    r0, f
        call  printf
        li    r0, 0
        leave
        ret
        .rodata
s:      .asciz "out"
f:      .asciz "%d %d\n"
`}, func(t *testing.T, r runResult) {
		requireOK(t, r)
		assert.Equal(t, "out\n0 -9\n", r.stdout)
	})
}
