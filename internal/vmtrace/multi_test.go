package vmtrace

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"linkvm/asm"
	"linkvm/staticld"
	"linkvm/vm"
)

// countdown runs 1 + 3*10 + 2 = 33 instructions and exits with 7.
const countdown = `
	.text
	.global _start
_start:
	li r1, 10
1:	addi r1, r1, -1
	nop
	bnez r1, 1b
	li r0, 7
	halt
`

// load assembles and links src and loads it into a new process.
func load(t *testing.T, src string) *vm.Process {
	t.Helper()
	obj, err := asm.Assemble("t.s", []byte(src), asm.Options{})
	require.NoError(t, err)
	img, err := staticld.Link(staticld.Config{}, []staticld.Input{{Name: "t.vo", File: obj}})
	require.NoError(t, err)
	p, err := vm.Load(img, "t.img", vm.Config{Args: []string{"t.img"}})
	require.NoError(t, err)
	return p
}

// every is a monitor called every n instructions; it records the step
// counts it was called at, and whether Finish was called.
type every struct {
	n        uint64
	at       []uint64
	finished bool
	failAt   uint64 // return errFail at this step count, if not 0
}

var errFail = errors.New("monitor failed")

func (m *every) Pause(p *vm.Process) (uint64, error) {
	m.at = append(m.at, p.Steps())
	if m.failAt != 0 && p.Steps() == m.failAt {
		return 0, errFail
	}
	return m.n, nil
}

func (m *every) Finish(*vm.Process) { m.finished = true }

func TestCombine(t *testing.T) {
	p := load(t, countdown)
	a, b := &every{n: 10}, &every{n: 15}
	p.SetMonitor(Combine(a, b), 0)
	status, err := p.Run()
	require.NoError(t, err)
	assert.Equal(t, 7, status)
	assert.Equal(t, uint64(33), p.Steps())
	assert.Equal(t, []uint64{0, 10, 20, 30}, a.at)
	assert.Equal(t, []uint64{0, 15, 30}, b.at)
	assert.True(t, a.finished)
	assert.True(t, b.finished)

	one := &every{n: 1}
	assert.Same(t, one, Combine(one))
}

func TestCombineError(t *testing.T) {
	p := load(t, countdown)
	a, b := &every{n: 4}, &every{n: 6, failAt: 12}
	p.SetMonitor(Combine(a, b), 0)
	_, err := p.Run()
	require.ErrorIs(t, err, errFail)
	assert.Equal(t, uint64(12), p.Steps())
	assert.Equal(t, []uint64{0, 4, 8, 12}, a.at)
	assert.True(t, a.finished, "Finish is called when a monitor ends the process too")
}
