package vm

import (
	"errors"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRunDoesNotAllocate(t *testing.T) {
	p, err := Load(assemble(t, fibSrc(15)), "t.img", Config{})
	require.NoError(t, err)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	status, err := p.Run()
	runtime.ReadMemStats(&after)
	require.NoError(t, err)
	require.Equal(t, 610, status)
	assert.Equal(t, uint64(0), after.Mallocs-before.Mallocs)
}

func TestProcessesAreIndependent(t *testing.T) {
	// One image, several processes at once, each changing its own .data
	// and heap; run with -race to check that nothing is shared but
	// read-only bytes.
	img := assemble(t, `
_start:	la r1, counter
	li r2, 1000
.loop:	ld64 r3, [r1]
	addi r3, r3, 1
	st64 r3, [r1]
	addi r2, r2, -1
	bnez r2, .loop
	li r0, 64
	sys 6
	st64 r3, [r0]
	ld64 r0, [r0]
	halt
	.data
counter:	.quad 5`)
	var wg sync.WaitGroup
	results := make([]int, 8)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p, err := Load(img, "t.img", Config{})
			if err != nil {
				return
			}
			results[i], _ = p.Run()
		}()
	}
	wg.Wait()
	for _, r := range results {
		assert.Equal(t, 1005, r)
	}
}

// failWriter fails every write.
type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk on fire") }

func TestOutputErrors(t *testing.T) {
	// A small write is buffered and fails at exit: Run reports it.
	res := runSrc(t, "\n_start:\n"+writeSrc(1, "hi")+"\tli r0, 3\n\tsys 0\n", Config{Stdout: failWriter{}})
	assert.Equal(t, 3, res.status)
	assert.EqualError(t, res.err, "writing the program's output: disk on fire")

	// A write larger than the buffer goes straight through and fails with -EIO.
	big := strings.Repeat("x", outputBufferSize+1)
	res = runSrc(t, `
_start:	li r0, 2
	la r1, big
	li r2, `+itoa(len(big))+`
	sys 1
	halt
	.bss
big:	.zero `+itoa(len(big)), Config{Stderr: failWriter{}})
	assert.Equal(t, -EIO, res.status)
}
