package stdlib

import (
	"fmt"
	"strings"
	"testing"
	"unicode"

	"github.com/stretchr/testify/assert"
)

// TestCtype runs each class function on every byte and compares with
// Go's ASCII classes.
func TestCtype(t *testing.T) {
	t.Parallel()
	fns := []struct {
		name string
		ref  func(c int) int
	}{
		{"isdigit", func(c int) int { return b2i(c >= '0' && c <= '9') }},
		{"isalpha", func(c int) int { return b2i(c < 128 && unicode.IsLetter(rune(c))) }},
		{"isalnum", func(c int) int { return b2i(c < 128 && (unicode.IsLetter(rune(c)) || unicode.IsDigit(rune(c)))) }},
		{"isspace", func(c int) int { return b2i(c == ' ' || c >= '\t' && c <= '\r') }},
		{"isupper", func(c int) int { return b2i(c >= 'A' && c <= 'Z') }},
		{"islower", func(c int) int { return b2i(c >= 'a' && c <= 'z') }},
		{"isxdigit", func(c int) int { return b2i(strings.ContainsRune("0123456789abcdefABCDEF", rune(c)) && c < 128) }},
		{"toupper", func(c int) int { return int(unicode.ToUpper(rune(c)))*b2i(c < 128) + c*b2i(c >= 128) }},
		{"tolower", func(c int) int { return int(unicode.ToLower(rune(c)))*b2i(c < 128) + c*b2i(c >= 128) }},
	}
	var src, want strings.Builder
	src.WriteString("        .text\n        .global main\nmain:   enter 16\n        st64 r16, [fp - 8]\n")
	for _, f := range fns {
		fmt.Fprintf(&src, `        li    r16, 0
1:      mov   r0, r16
        call  %s
        call  print_int
        li    r0, ' '
        call  putchar
        addi  r16, r16, 1
        li    r8, 256
        blt   r16, r8, 1b
        li    r0, '\n'
        call  putchar
`, f.name)
		for c := range 256 {
			fmt.Fprintf(&want, "%d ", f.ref(c))
		}
		want.WriteString("\n")
	}
	src.WriteString("        ld64 r16, [fp - 8]\n        li r0, 0\n        leave\n        ret\n")
	runBoth(t, program{name: "ctype.s", src: src.String()}, func(t *testing.T, r runResult) {
		requireOK(t, r)
		assert.Equal(t, want.String(), r.stdout)
	})
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func TestStrdup(t *testing.T) {
	t.Parallel()
	runBoth(t, program{name: "strdup.s", src: `
        .text
        .global main
main:   enter 16
        la    r0, s
        call  strdup
        st64  r0, [fp - 8]
        la    r8, s
        beq   r0, r8, 1f        # a copy, not s itself
        call  puts
1:
        ld64  r0, [fp - 8]
        call  free
        li    r0, 0
        leave
        ret
        .rodata
s:      .asciz "copy me"
`}, func(t *testing.T, r runResult) {
		requireOK(t, r)
		assert.Equal(t, "copy me\n", r.stdout)
	})
}
