package stdlib

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// strtolInputs are the strings of testdata/strtol.golden, whose lines
// (input index, base, strtol's value and length used, strtoul's value and
// length used) glibc printed for them.
var strtolInputs = []string{"0", "42", "-42", "+7", "  \t\n 12abc", "abc", "", "-", "+", "0x1f", "0X1F",
	"0x", "0xg", "017", "08", "-0x10", "9223372036854775807", "9223372036854775808",
	"-9223372036854775808", "-9223372036854775809", "99999999999999999999",
	"18446744073709551615", "18446744073709551616", "-1", "z", "Zz", "1010", "777", "  -  5"}

func TestStrtol(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	b.WriteString(`        .text
        .global main
# one(i, base): prints "i base strtol used strtoul used".
one:
        enter 48
        st64  r16, [fp - 8]
        st64  r17, [fp - 16]
        st64  r18, [fp - 24]
        mov   r16, r0
        mov   r17, r1
        la    r8, inputs
        shli  r9, r0, 3
        add   r8, r8, r9
        ld64  r18, [r8]         # the string
        mov   r0, r18
        addi  r1, fp, -32
        mov   r2, r17
        call  strtol
        addi  sp, sp, -32
        st64  r16, [sp]
        st64  r17, [sp + 8]
        st64  r0, [sp + 16]
        ld64  r8, [fp - 32]
        sub   r8, r8, r18
        st64  r8, [sp + 24]
        la    r0, f1
        call  printf
        mov   r0, r18
        addi  r1, fp, -32
        mov   r2, r17
        call  strtoul
        st64  r0, [sp]
        ld64  r8, [fp - 32]
        sub   r8, r8, r18
        st64  r8, [sp + 8]
        la    r0, f2
        call  printf
        addi  sp, sp, 32
        ld64  r16, [fp - 8]
        ld64  r17, [fp - 16]
        ld64  r18, [fp - 24]
        leave
        ret
main:
        enter 0
`)
	for i := range strtolInputs {
		for _, base := range []int{0, 10, 16, 8, 2, 36} {
			fmt.Fprintf(&b, "        li    r0, %d\n        li    r1, %d\n        call  one\n", i, base)
		}
	}
	b.WriteString("        li    r0, 0\n        leave\n        ret\n        .rodata\n")
	b.WriteString("f1:     .asciz \"%d %d %ld %d \"\nf2:     .asciz \"%lu %d\\n\"\n")
	for i, s := range strtolInputs {
		fmt.Fprintf(&b, "s%d:     .asciz %q\n", i, s)
	}
	b.WriteString("        .data\n        .align 8\ninputs:\n")
	for i := range strtolInputs {
		fmt.Fprintf(&b, "        .quad s%d\n", i)
	}
	want, err := os.ReadFile("testdata/strtol.golden")
	require.NoError(t, err)
	runBoth(t, program{name: "strtol.s", src: b.String()}, func(t *testing.T, r runResult) {
		requireOK(t, r)
		assert.Equal(t, string(want), r.stdout)
	})
}

// TestStrtolBadBase: a base outside 0, 2..36 converts nothing.
func TestStrtolBadBase(t *testing.T) {
	t.Parallel()
	runBoth(t, program{name: "badbase.s", src: `
        .text
        .global main
main:
        enter 16
        la    r0, s
        addi  r1, fp, -8
        li    r2, 37
        call  strtol
        addi  sp, sp, -16
        st64  r0, [sp]
        ld64  r8, [fp - 8]
        la    r9, s
        sub   r8, r8, r9
        st64  r8, [sp + 8]
        la    r0, f
        call  printf
        la    r0, n
        call  atoi
        st64  r0, [sp]
        la    r0, g
        call  printf
        li    r0, 0
        leave
        ret
        .rodata
s:      .asciz "42"
n:      .asciz "  -123xyz"
f:      .asciz "%ld %ld\n"
g:      .asciz "atoi %d\n"
`}, func(t *testing.T, r runResult) {
		requireOK(t, r)
		assert.Equal(t, "0 0\natoi -123\n", r.stdout)
	})
}
