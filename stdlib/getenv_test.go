package stdlib

import (
	"bytes"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"linkvm/dynld"
	"linkvm/objfmt"
	"linkvm/vm"
)

// getenvSrc prints what getenv returns for a few names, each chosen to
// be a near miss of a variable the test sets, and the count of envp
// entries main got as its third argument.
const getenvSrc = `
	.text
	.global main
main:	enter	32
	st64	r16, [fp - 8]
	st64	r17, [fp - 16]
	li	r17, 0
1:	ld64	r8, [r2]		# count envp's entries
	beqz	r8, 2f
	addi	r17, r17, 1
	addi	r2, r2, 8
	jmp	1b
2:	la	r16, names
3:	ld64	r0, [r16]
	beqz	r0, 4f
	call	getenv
	mov	r9, r0
	la	r0, fmt
	ld64	r8, [r16]
	st64	r8, [sp]
	st64	r9, [sp + 8]
	call	printf
	addi	r16, r16, 8
	jmp	3b
4:	la	r0, count
	st64	r17, [sp]
	call	printf
	li	r0, 0
	ld64	r16, [fp - 8]
	ld64	r17, [fp - 16]
	leave
	ret
	.rodata
home:	.asciz	"HOME"
empty:	.asciz	"EMPTY"
hom:	.asciz	"HOM"
homex:	.asciz	"HOMEX"
nope:	.asciz	"NOPE"
eq:	.asciz	"A=B"
fmt:	.asciz	"%s -> %s\n"
count:	.asciz	"%ld variables\n"
	.data
names:	.quad	home, empty, hom, homex, nope, eq, 0
`

// TestGetenv runs the program linked both ways with an environment.
func TestGetenv(t *testing.T) {
	obj := program{name: "getenv.s", src: getenvSrc}.assemble(t)
	want := "HOME -> /home/ada\nEMPTY -> \nHOM -> (null)\nHOMEX -> (null)\nNOPE -> (null)\nA=B -> (null)\n3 variables\n"
	for _, mode := range []linkMode{static, dynamic} {
		t.Run(string(mode), func(t *testing.T) {
			img := link(t, mode, "getenv.s", obj).img
			var out bytes.Buffer
			cfg := vm.Config{Args: []string{"prog"}, Stdout: &out, Env: []string{"HOMEXTRA=1", "HOME=/home/ada", "EMPTY="}}
			var p *vm.Process
			var err error
			if mode == static {
				p, err = vm.Load(img, "prog.img", cfg)
			} else {
				path := filepath.Join(t.TempDir(), "prog.img")
				require.NoError(t, objfmt.WriteFile(path, img))
				p, err = dynld.Load(path, cfg, dynld.Config{DefaultLibDirs: []string{libDir}})
			}
			require.NoError(t, err)
			status, err := p.Run()
			require.NoError(t, err)
			assert.Equal(t, 0, status)
			assert.Equal(t, want, out.String())
		})
	}
}

// TestGetenvWithoutStart: a program with its own _start, which does not
// record argv for libstd, has no environment for getenv, though the VM
// gave it one.
func TestGetenvWithoutStart(t *testing.T) {
	p := program{name: "own.s", src: `
	.text
	.global _start
_start:	la	r0, home
	call	getenv
	sys	0
	.rodata
home:	.asciz	"HOME"
`}
	img := link(t, static, p.name, p.assemble(t)).img
	proc, err := vm.Load(img, "own.img", vm.Config{Args: []string{"own"}, Env: []string{"HOME=/home/ada"}})
	require.NoError(t, err)
	status, err := proc.Run()
	require.NoError(t, err)
	assert.Equal(t, 0, status, "NULL")
}
