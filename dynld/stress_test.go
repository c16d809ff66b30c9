package dynld

import (
	"bytes"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"linkvm/asm"
	"linkvm/objfmt"
	"linkvm/staticld"
	"linkvm/vm"
)

// The modules and program of the concurrency stress test.
const (
	// stressGreet is libgreet.vso.1: greet() prints "greet".
	stressGreet = `
	.text
	.global greet
greet:	li	r0, 1
	la	r1, msg
	li	r2, 6
	sys	1
	ret
	.rodata
msg:	.ascii	"greet\n"
`
	// stressDep is libdep.vso.1: dep() returns its data word, 7.
	stressDep = `
	.text
	.global dep
dep:	ldpc	r8, word@got
	ld64	r0, [r8 + 0]
	ret
	.data
	.global word
word:	.quad	7
`
	// stressPlug is libplug.vso.1, needing libdep and libgreet: plug()
	// calls greet and returns dep() + 1, both through its PLT.
	stressPlug = `
	.text
	.global plug
plug:	enter	16
	call	greet
	call	dep
	addi	r0, r0, 1
	leave
	ret
`
	// stressProg needs libgreet: it calls greet, then stressIters times
	// dlopens libplug (alternately RTLD_NOW|RTLD_GLOBAL and RTLD_LAZY),
	// looks up plug, calls it (trapping unless it returns 8) and
	// dlcloses it. Run with no argument, it then spawns itself with one
	// and waits for it (trapping unless it exits 0). It ends printing
	// "done".
	stressProg = `
	.text
	.global _start
_start:	mov	r16, r0
	mov	r17, r1
	call	greet
	li	r18, %[1]d
1:	la	r0, plugname
	li	r1, 1
	andi	r8, r18, 1
	beqz	r8, 2f
	li	r1, 0x102
2:	sys	10
	beqz	r0, bad
	mov	r19, r0
	la	r1, symname
	sys	11
	beqz	r0, bad
	callr	r0
	li	r8, 8
	bne	r0, r8, bad
	mov	r0, r19
	sys	12
	bnez	r0, bad
	addi	r18, r18, -1
	bnez	r18, 1b
	li	r8, 1
	bne	r16, r8, 3f
	ld64	r0, [r17 + 0]
	la	r1, childargv
	st64	r0, [r1 + 0]
	li	r2, 0
	sys	19
	li	r8, 0
	blt	r0, r8, bad
	sys	20
	bnez	r0, bad
3:	li	r0, 1
	la	r1, done
	li	r2, 5
	sys	1
	li	r0, 0
	sys	0
bad:	trap	1
	.rodata
plugname: .asciz "libplug.vso.1"
symname: .asciz "plug"
done:	.ascii	"done\n"
child:	.asciz	"child"
	.data
childargv: .quad 0, child, 0
`
	stressIters = 50
)

// buildStress assembles and links the stress test's modules and program
// into a temporary directory and returns the program's path.
func buildStress(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	obj := func(name, src string) *objfmt.File {
		f, err := asm.Assemble(name, []byte(src), asm.Options{})
		require.NoError(t, err)
		return f
	}
	shared := func(soname, src string, deps ...*objfmt.File) *objfmt.File {
		in := []staticld.Input{{Name: soname + ".vo", File: obj(soname+".s", src)}}
		for i, d := range deps {
			in = append(in, staticld.Input{Name: fmt.Sprintf("dep%d.vso", i), File: d})
		}
		f, err := staticld.Link(staticld.Config{Shared: true, Soname: soname, Runpath: []string{"$ORIGIN"}}, in)
		require.NoError(t, err)
		writeModule(t, dir, soname, f)
		return f
	}
	greet := shared("libgreet.vso.1", stressGreet)
	dep := shared("libdep.vso.1", stressDep)
	shared("libplug.vso.1", stressPlug, greet, dep)
	prog, err := staticld.Link(staticld.Config{Entry: "_start", Runpath: []string{"$ORIGIN"}}, []staticld.Input{
		{Name: "prog.vo", File: obj("prog.s", fmt.Sprintf(stressProg, stressIters))},
		{Name: "libgreet.vso.1", File: greet}})
	require.NoError(t, err)
	return writeModule(t, dir, "prog.img", prog)
}

// TestConcurrentStress runs many VM processes in one host at once, each
// loading the same program and modules through one cache, binding calls
// lazily, dlopening, calling into and dlclosing a module with
// dependencies over and over, and spawning a child that does the same.
// Run with -race (make race), it checks that the host, the cache and the
// loader share nothing unsynchronised; then that every process did all
// its work, that no goroutine is left behind and that the cache lets go
// of every module once no process maps it.
func TestConcurrentStress(t *testing.T) {
	const n = 32 // processes started by the test, each with a child
	prog := buildStress(t)
	cache := NewCache(nil)
	before := runtime.NumGoroutine()
	h := dynamicHost(cache)
	outs := make([]bytes.Buffer, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() { // the test's own goroutines spawn and wait concurrently
			defer wg.Done()
			pid, err := h.Spawn(prog, []string{prog}, vm.Config{Stdout: &outs[i], Stderr: &outs[i], StackSize: 16 << 10})
			if !assert.NoError(t, err) {
				return
			}
			status, err := h.Wait(pid)
			assert.NoError(t, err, "process %d", pid)
			assert.Equal(t, 0, status, "process %d", pid)
		}()
	}
	wg.Wait()
	h.WaitAll()
	one := strings.Repeat("greet\n", stressIters+1)
	for i := range outs {
		assert.Equal(t, one+one+"done\ndone\n", outs[i].String(), "process %d and its child", i)
	}
	waitGoroutines(t, before)
	for i := 0; i < 5 && cache.Len() > 0; i++ {
		runtime.GC()
	}
	assert.Equal(t, 0, cache.Len(), "no process maps a module any more")
}
