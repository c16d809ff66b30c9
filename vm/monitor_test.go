package vm

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// countdown runs li, five rounds of addi/nop/bnez, li and halt, which
// exits with status 7.
const countdown = `
_start:
	li r1, 5
loop:
	addi r1, r1, -1
	nop
	bnez r1, loop
	li r0, 7
	halt
`

// countdownSteps is how many instructions countdown runs.
const countdownSteps = 1 + 3*5 + 2

func TestMaxStepsExactBudgetExits(t *testing.T) {
	res := runSrc(t, countdown, Config{MaxSteps: countdownSteps})
	require.NoError(t, res.err)
	assert.Equal(t, 7, res.status)
	assert.Equal(t, uint64(countdownSteps), res.proc.Steps())
}

func TestMaxStepsOneShortTraps(t *testing.T) {
	res := runSrc(t, countdown, Config{MaxSteps: countdownSteps - 1})
	var trap *Trap
	require.ErrorAs(t, res.err, &trap)
	assert.ErrorIs(t, trap, ErrStepLimit)
	assert.Equal(t, "step limit: 17 instructions executed", trap.Msg)
	assert.Equal(t, "_start+0x28 (t.s:9)", trap.Frames[0].Location())
	assert.Equal(t, uint64(countdownSteps-1), res.proc.Steps())
}

func TestMaxStepsStopsAnInfiniteLoop(t *testing.T) {
	res := runSrc(t, "_start:\n\tjmp 0\n", Config{MaxSteps: 3 << 24})
	require.ErrorIs(t, res.err, ErrStepLimit)
	assert.Equal(t, uint64(3<<24), res.proc.Steps())
}

func TestMaxStepsCountsAcrossSystemCalls(t *testing.T) {
	// Every write is one instruction; the budget ends inside the loop.
	src := `
_start:
	li r9, 100
again:
	li r0, 1
	lea r1, msg
	li r2, 1
	sys 1
	addi r9, r9, -1
	bnez r9, again
	li r0, 0
	halt
msg:
	.byte 'x'
`
	res := runSrc(t, src, Config{MaxSteps: 1 + 6*10})
	require.ErrorIs(t, res.err, ErrStepLimit)
	assert.Equal(t, strings.Repeat("x", 10), res.stdout, "output is flushed at the step-limit trap")
}

// stepRecorder is a Monitor that records the pc of each pause.
type stepRecorder struct {
	pcs   []uint64
	steps []uint64
	every uint64
	stop  int // return errStopped at this pause (1-based); 0 never
}

var errStopped = errors.New("stopped by the monitor")

func (m *stepRecorder) Pause(p *Process) (uint64, error) {
	m.pcs = append(m.pcs, p.PC())
	m.steps = append(m.steps, p.Steps())
	if len(m.pcs) == m.stop {
		return 0, errStopped
	}
	return m.every, nil
}

func TestMonitorSingleStepSeesEveryInstruction(t *testing.T) {
	img := assemble(t, countdown)
	p, err := Load(img, "t.img", Config{Args: []string{"t"}})
	require.NoError(t, err)
	m := &stepRecorder{every: 1}
	p.SetMonitor(m, 0)
	status, err := p.Run()
	require.NoError(t, err)
	assert.Equal(t, 7, status)
	require.Len(t, m.pcs, countdownSteps)
	start := m.pcs[0]
	var want []uint64
	want = append(want, start)
	for range 5 {
		want = append(want, start+8, start+16, start+24)
	}
	want = append(want, start+32, start+40)
	assert.Equal(t, want, m.pcs)
	for i, s := range m.steps {
		assert.Equal(t, uint64(i), s, "pause %d", i)
	}
}

func TestMonitorEveryNInstructions(t *testing.T) {
	img := assemble(t, countdown)
	p, err := Load(img, "t.img", Config{Args: []string{"t"}})
	require.NoError(t, err)
	m := &stepRecorder{every: 5}
	p.SetMonitor(m, 3)
	_, err = p.Run()
	require.NoError(t, err)
	assert.Equal(t, []uint64{3, 8, 13}, m.steps)
}

func TestMonitorErrorEndsTheProcess(t *testing.T) {
	img := assemble(t, countdown)
	p, err := Load(img, "t.img", Config{Args: []string{"t"}})
	require.NoError(t, err)
	m := &stepRecorder{every: 1, stop: 4}
	p.SetMonitor(m, 0)
	_, err = p.Run()
	require.ErrorIs(t, err, errStopped)
	assert.Equal(t, uint64(3), p.Steps())
}

func TestMonitorWithStepLimit(t *testing.T) {
	img := assemble(t, countdown)
	p, err := Load(img, "t.img", Config{Args: []string{"t"}, MaxSteps: 10})
	require.NoError(t, err)
	m := &stepRecorder{every: 4}
	p.SetMonitor(m, 0)
	_, err = p.Run()
	require.ErrorIs(t, err, ErrStepLimit)
	assert.Equal(t, []uint64{0, 4, 8}, m.steps)
}

func TestInterruptStopsARunawayProcess(t *testing.T) {
	img := assemble(t, "_start:\n\tjmp 0\n")
	p, err := Load(img, "t.img", Config{Args: []string{"t"}})
	require.NoError(t, err)
	go func() {
		time.Sleep(20 * time.Millisecond)
		p.Interrupt()
	}()
	_, err = p.Run()
	var trap *Trap
	require.ErrorAs(t, err, &trap)
	assert.ErrorIs(t, trap, ErrInterrupted)
	assert.Equal(t, "_start+0x0 (t.s:2)", trap.Frames[0].Location())
}

func TestReadMemoryAndRegs(t *testing.T) {
	src := `
_start:
	lea r3, msg
	li r4, 42
	halt
msg:
	.ascii "hello"
`
	img := assemble(t, src)
	p, err := Load(img, "t.img", Config{Args: []string{"t"}})
	require.NoError(t, err)
	var regs [32]uint64
	var text [5]byte
	p.SetMonitor(monitorFunc(func(p *Process) (uint64, error) {
		regs = p.Regs()
		return 1, p.ReadMemory(p.Regs()[3], text[:])
	}), 2)
	_, err = p.Run()
	require.NoError(t, err)
	assert.Equal(t, uint64(42), regs[4])
	assert.Equal(t, "hello", string(text[:]))
	assert.Equal(t, "_start", p.Frame(regs[3]-24).Func)

	var buf [8]byte
	assert.EqualError(t, p.ReadMemory(0x10, buf[:]), "null pointer read at 0x10")
}

// monitorFunc is a Monitor made of a function.
type monitorFunc func(p *Process) (uint64, error)

func (f monitorFunc) Pause(p *Process) (uint64, error) { return f(p) }
