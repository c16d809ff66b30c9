package stdlib

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestProcess(t *testing.T) {
	r := runTestdata(t, "process", "", "one", "two words")
	require.Nil(t, r.trap)
	assert.Equal(t, 3, r.status)
	assert.Equal(t, `argc 3
argc 3
argv[0] prog
argv[0] prog
argv[1] one
argv[1] one
argv[2] two words
argv[2] two words
(nil)
(nil)
clock monotonic 1
time 1 1
atexit full -1
h2
h1
`, r.stdout)
}

func TestInput(t *testing.T) {
	r := runTestdata(t, "io", "xhello\n\nlonger than eight\nlast")
	requireOK(t, r)
	assert.Equal(t, `getchar 120
5 [hello]
0 []
17 [longer ]
4 [last]
eof -1
getchar -1
`, r.stdout)
	r = runTestdata(t, "io", "")
	requireOK(t, r)
	assert.Equal(t, "getchar -1\neof -1\ngetchar -1\n", r.stdout)
}

// TestMainReturn: main's result is the exit status, and output written
// before a trap is not lost.
func TestMainReturnAndAbort(t *testing.T) {
	r := runSource(t, "ret.s", `
        .text
        .global main
main:   li    r0, 42
        ret
`, "")
	require.Nil(t, r.trap)
	assert.Equal(t, 42, r.status)

	r = runSource(t, "abort.s", `
        .text
        .global main
main:   enter 0
        la    r0, s
        call  puts
        la    r0, h
        call  atexit
        call  abort
        .rodata
s:      .asciz "before"
h:      ret
`, "")
	require.NotNil(t, r.trap)
	assert.Equal(t, "user trap 6", r.trap.Msg)
	assert.Equal(t, "before\n", r.stdout, "no atexit handler runs, nothing is lost")
	assert.Equal(t, "abort\n", r.stderr)
	assert.Contains(t, r.trap.Report(), "main")
}

// TestDl: a static image has no dynamic loader: dlopen fails and dlerror
// says why, once.
func TestDl(t *testing.T) {
	r := runSource(t, "dl.s", `
        .text
        .global main
main:   enter 16
        la    r0, name
        li    r1, 2
        call  dlopen
        st64  r0, [sp]
        la    r0, f_p
        call  printf
        call  dlerror
        st64  r0, [sp]
        la    r0, f_s
        call  printf
        call  dlerror
        st64  r0, [sp]
        la    r0, f_p
        call  printf
        li    r0, 0
        leave
        ret
        .rodata
name:   .asciz "libx.vso"
f_p:    .asciz "%p\n"
f_s:    .asciz "%s\n"
`, "")
	requireOK(t, r)
	assert.Equal(t, "(nil)\ndynamic loading is not available: the image is statically linked\n(nil)\n", r.stdout)
}
