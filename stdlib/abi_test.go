package stdlib

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestCalleeSaved calls libstd functions with r16..r27 and fp/sp set to
// known values and checks that each call preserves them (abi.md) and
// keeps sp 16-byte aligned for the program.
func TestCalleeSaved(t *testing.T) {
	t.Parallel()
	calls := []struct{ name, setup string }{
		{"printf", "la r0, fmt\n        addi sp, sp, -16\n        li r8, 42\n        st64 r8, [sp]\n        la r8, fmt\n        st64 r8, [sp + 8]"},
		{"snprintf", "la r0, buf\n        li r1, 4\n        la r2, fmt\n        addi sp, sp, -16\n        li r8, 12345\n        st64 r8, [sp]\n        la r8, fmt\n        st64 r8, [sp + 8]"},
		{"malloc", "li r0, 100"},
		{"calloc", "li r0, 10\n        li r1, 10"},
		{"realloc", "li r0, 0\n        li r1, 5000"},
		{"strtol", "la r0, num\n        la r1, buf\n        li r2, 0"},
		{"atoi", "la r0, num"},
		{"read_line", "la r0, buf\n        li r1, 16"},
		{"getchar", ""},
		{"puts", "la r0, fmt"},
		{"fputs", "la r0, fmt\n        li r1, 2"},
		{"print_int", "li r0, -77"},
		{"memmove", "la r0, buf\n        la r1, fmt\n        li r2, 9"},
		{"strstr", "la r0, fmt\n        la r1, num"},
		{"isqrt", "li r0, 1000"},
		{"rand", ""},
		{"atexit", "la r0, check"},
	}
	var b strings.Builder
	b.WriteString(`        .text
        .global main
main:
        enter 112
`)
	for i := 16; i <= 27; i++ {
		fmt.Fprintf(&b, "        st64  r%d, [fp - %d]\n", i, 8*(i-15))
	}
	for i, c := range calls {
		b.WriteString("        mov   r8, sp\n        st64  r8, [fp - 104]\n")
		for r := 16; r <= 27; r++ {
			fmt.Fprintf(&b, "        li    r%d, %d\n", r, 1000*(i+1)+r)
		}
		fmt.Fprintf(&b, "        %s\n        call  %s\n", c.setup, c.name)
		b.WriteString("        ld64  r8, [fp - 104]\n        mov   sp, r8\n")
		for r := 16; r <= 27; r++ {
			fmt.Fprintf(&b, "        li    r8, %d\n        bne   r%d, r8, bad\n", 1000*(i+1)+r, r)
		}
	}
	b.WriteString(`        la    r0, ok
        call  puts
        li    r0, 0
        b     out
bad:    mov   r0, r8
        call  print_int
        li    r0, 1
out:
`)
	for i := 16; i <= 27; i++ {
		fmt.Fprintf(&b, "        ld64  r%d, [fp - %d]\n", i, 8*(i-15))
	}
	b.WriteString(`        leave
        ret
check:  ret
        .rodata
fmt:    .asciz "%d %s\n"
num:    .asciz " 0x7f"
ok:     .asciz "ok"
        .bss
buf:    .zero 64
`)
	runBoth(t, program{name: "abi.s", src: b.String(), stdin: "line\nx"}, func(t *testing.T, r runResult) {
		requireOK(t, r)
		assert.True(t, strings.HasSuffix(r.stdout, "ok\n"), r.stdout)
	})
}
