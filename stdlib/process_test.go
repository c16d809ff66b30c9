package stdlib

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestProcess(t *testing.T) {
	t.Parallel()
	p := testdata(t, "process")
	p.args = []string{"one", "two words"}
	runBoth(t, p, func(t *testing.T, r runResult) {
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
	})
}

func TestInput(t *testing.T) {
	t.Parallel()
	t.Run("lines", func(t *testing.T) {
		p := testdata(t, "io")
		p.stdin = "xhello\n\nlonger than eight\nlast"
		runBoth(t, p, func(t *testing.T, r runResult) {
			requireOK(t, r)
			assert.Equal(t, `getchar 120
5 [hello]
0 []
17 [longer ]
4 [last]
eof -1
getchar -1
`, r.stdout)
		})
	})
	t.Run("empty", func(t *testing.T) {
		runBoth(t, testdata(t, "io"), func(t *testing.T, r runResult) {
			requireOK(t, r)
			assert.Equal(t, "getchar -1\neof -1\ngetchar -1\n", r.stdout)
		})
	})
}

// TestMainReturn: main's result is the exit status, and output written
// before a trap is not lost.
func TestMainReturnAndAbort(t *testing.T) {
	t.Parallel()
	t.Run("return", func(t *testing.T) {
		runBoth(t, program{name: "ret.s", src: `
        .text
        .global main
main:   li    r0, 42
        ret
`}, func(t *testing.T, r runResult) {
			require.Nil(t, r.trap)
			assert.Equal(t, 42, r.status)
		})
	})
	t.Run("abort", func(t *testing.T) {
		runBoth(t, program{name: "abort.s", src: `
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
`}, func(t *testing.T, r runResult) {
			require.NotNil(t, r.trap)
			assert.Equal(t, "user trap 6", r.trap.Msg)
			assert.Equal(t, "before\n", r.stdout, "no atexit handler runs, nothing is lost")
			assert.Equal(t, "abort\n", r.stderr)
			assert.Contains(t, r.trap.Report(), "main")
		})
	})
}

// TestDl: the dl functions. Their results depend on the link by design,
// so each half runs one way only. A static image has no dynamic loader:
// dlopen fails and dlerror says why, once.
func TestDl(t *testing.T) {
	t.Parallel()
	r := runMode(t, static, program{name: "dl.s", src: `
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
`})
	requireOK(t, r)
	assert.Equal(t, "(nil)\ndynamic loading is not available: the image is statically linked\n(nil)\n", r.stdout)
}

// TestDlDynamic: linked dynamically, dlopen of a missing module fails and
// dlerror names the paths searched; dlopen of libstd's soname returns the
// module loaded with the program, dlsym finds puts in it, a call through
// the pointer works, and dlclose succeeds.
func TestDlDynamic(t *testing.T) {
	t.Parallel()
	r := runMode(t, dynamic, program{name: "dl.s", src: `
        .text
        .global main
main:   enter 32
        st64  r16, [fp - 8]
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
        la    r0, std
        li    r1, 2
        call  dlopen
        mov   r16, r0
        snei  r8, r0, 0
        st64  r8, [sp]
        la    r0, f_h
        call  printf
        mov   r0, r16
        la    r1, sym
        call  dlsym
        beqz  r0, 1f
        mov   r8, r0
        la    r0, msg
        callr r8
1:      mov   r0, r16
        call  dlclose
        st64  r0, [sp]
        la    r0, f_c
        call  printf
        ld64  r16, [fp - 8]
        li    r0, 0
        leave
        ret
        .rodata
name:   .asciz "libx.vso"
std:    .asciz "libstd.vso.1"
sym:    .asciz "puts"
msg:    .asciz "puts through dlsym"
f_p:    .asciz "%p\n"
f_s:    .asciz "%s\n"
f_h:    .asciz "handle %d\n"
f_c:    .asciz "dlclose %d\n"
`})
	requireOK(t, r)
	assert.Equal(t, "(nil)\nlibx.vso: cannot open shared module: not found (searched: "+filepath.Join(libDir, "libx.vso")+")\n(nil)\n"+
		"handle 1\nputs through dlsym\ndlclose 0\n", r.stdout)
}
