package vm

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCallsAndFrames(t *testing.T) {
	for _, tc := range []struct {
		name string
		src  string
		want uint64
	}{
		{"call ret", `
_start:	li r0, 1
	call f
	addi r0, r0, 100
	halt
f:	addi r0, r0, 10
	ret`, 111},
		{"callr jr lea", `
_start:	la r5, f
	callr r5
	la r6, .end
	jr r6
	li r0, 99
	halt
.end:	halt
f:	li r0, 7
	ret`, 7},
		{"callr through lr", `
_start:	la lr, f
	callr lr         # reads the target before writing lr
	halt
f:	li r0, 3
	ret`, 3},
		{"enter leave", `
_start:	li r16, 5
	call f
	add r0, r0, r16
	halt
f:	enter 32
	st64 r16, [fp - 8]
	li r16, 1000
	call g
	add r0, r0, r16
	ld64 r16, [fp - 8]
	leave
	ret
g:	li r0, 20
	ret`, 1025},
		{"enter layout", `
_start:	mov r20, sp
	call f
.ret:	halt
f:	enter 48
	sub r1, r20, sp        # 16 for lr and fp, 48 for locals
	ld64 r2, [fp + 8]      # saved lr
	la r3, .ret
	sub r2, r2, r3         # 0 if [fp+8] is the return address
	ld64 r4, [fp]          # saved fp: 0 at process start
	add r0, r1, r2
	add r0, r0, r4
	leave
	ret`, 64},
		{"push pop", `
_start:	li r1, 11
	li r2, 22
	mov r20, sp
	push r1
	push r2
	pop r3
	pop r4
	sub r5, r20, sp      # 0: balanced
	shli r4, r4, 8
	or r0, r3, r4
	add r0, r0, r5
	halt`, 22 | 11<<8},
		{"li64 nop", `
_start:	nop
	li64 r0, 0x123456789abcdef0
	nop
	halt`, 0x123456789abcdef0},
		{"li sign extends", `
_start:	li r0, -1
	halt`, allOnes},
		{"lea backwards", `
_start:	nop
.here:	la r1, _start
	la r2, .here
	sub r0, r2, r1
	halt`, 8},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, haltValue(t, tc.src))
		})
	}
}

func TestRegisterFieldsMasked(t *testing.T) {
	// mov with ra = 32+1 and rb = 64+5: the VM uses r1 and r5.
	got := haltValue(t, `
_start:	li r5, 9
	.quad 0x0000000000452104
	mov r0, r1
	halt`)
	assert.Equal(t, uint64(9), got)
}

func TestRecursiveFib(t *testing.T) {
	res := runSrc(t, fibSrc(20), Config{})
	require.NoError(t, res.err)
	assert.Equal(t, 6765, res.status)
}

// fibSrc computes fib(n) by naive recursion and halts with it.
func fibSrc(n int) string {
	return `
_start:	li r0, ` + itoa(n) + `
	call fib
	halt
fib:	li r8, 2
	blt r0, r8, .leaf
	enter 16
	st64 r16, [fp - 8]
	st64 r17, [fp - 16]
	mov r16, r0
	addi r0, r16, -1
	call fib
	mov r17, r0
	addi r0, r16, -2
	call fib
	add r0, r0, r17
	ld64 r16, [fp - 8]
	ld64 r17, [fp - 16]
	leave
.leaf:	ret`
}

func itoa(n int) string {
	return string(appendInt(nil, n))
}

func appendInt(b []byte, n int) []byte {
	if n < 0 {
		return appendInt(append(b, '-'), -n)
	}
	if n >= 10 {
		b = appendInt(b, n/10)
	}
	return append(b, byte('0'+n%10))
}

func TestProcessStart(t *testing.T) {
	// r0 = argc, r1 = argv, sp 16-aligned at or below argv, fp = lr = 0,
	// the strings NUL-terminated, argv[argc] = 0.
	res := runSrc(t, `
_start:	mov r20, r0            # argc
	mov r21, r1            # argv
	andi r2, sp, 15
	bnez r2, .bad
	bltu r21, sp, .bad
	bnez fp, .bad
	bnez lr, .bad
	ld64 r3, [r21 + 16]    # argv[2]
	ld8u r4, [r3]          # 'c'
	ld8u r5, [r3 + 2]      # NUL after "cd"
	bnez r5, .bad
	ld64 r6, [r21 + 24]    # argv[3] = NULL
	bnez r6, .bad
	muli r0, r20, 1000
	add r0, r0, r4
	halt
.bad:	li r0, -1
	halt`, Config{Args: []string{"prog", "ab", "cd"}})
	require.NoError(t, res.err)
	assert.Equal(t, 3000+int('c'), res.status)
}

func TestStepsCounted(t *testing.T) {
	res := runSrc(t, `
_start:	li r0, 0
	li r1, 10
.loop:	addi r1, r1, -1
	bnez r1, .loop
	halt`, Config{})
	require.NoError(t, res.err)
	assert.Equal(t, uint64(2+2*10+1), res.proc.Steps())
}

func TestRunTwice(t *testing.T) {
	p, err := Load(assemble(t, "\n_start:\thalt"), "t.img", Config{})
	require.NoError(t, err)
	_, err = p.Run()
	require.NoError(t, err)
	_, err = p.Run()
	assert.EqualError(t, err, "vm: process has already run")
}
