package vmprof

import (
	"bytes"
	"testing"

	"github.com/google/pprof/profile"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"linkvm/asm"
	"linkvm/staticld"
	"linkvm/vm"
)

// loop calls spin, which counts down from 20 (3 instructions a round),
// then exits: 2 + 3*20 + 1 + 2 = 65 instructions.
const loop = `
	.text
	.global _start
_start:
	li r1, 20
	call spin
	li r0, 0
	sys 0
spin:
	addi r1, r1, -1
	nop
	bnez r1, spin
	ret
`

// run runs src with a sampler of pr attached.
func run(t *testing.T, pr *Profile, src string) *vm.Process {
	t.Helper()
	obj, err := asm.Assemble("loop.s", []byte(src), asm.Options{})
	require.NoError(t, err)
	img, err := staticld.Link(staticld.Config{}, []staticld.Input{{Name: "loop.vo", File: obj}})
	require.NoError(t, err)
	p, err := vm.Load(img, "loop.img", vm.Config{Args: []string{"loop.img"}})
	require.NoError(t, err)
	p.SetMonitor(pr.Monitor(), 0)
	_, err = p.Run()
	require.NoError(t, err)
	return p
}

func TestProfileCountsEveryInstruction(t *testing.T) {
	pr := New(7)
	p := run(t, pr, loop)
	require.Equal(t, uint64(65), p.Steps())
	prof := pr.Build()
	require.NoError(t, prof.CheckValid())
	assert.Equal(t, int64(7), prof.Period)
	var samples, instrs int64
	flat := map[string]int64{}
	for _, s := range prof.Sample {
		samples += s.Value[0]
		instrs += s.Value[1]
		flat[s.Location[0].Line[0].Function.Name] += s.Value[1]
		assert.Equal(t, "_start", s.Location[len(s.Location)-1].Line[0].Function.Name)
	}
	assert.Equal(t, int64(65/7+1), samples, "one every 7 instructions, and the rest at exit")
	assert.Equal(t, int64(65), instrs)
	assert.Greater(t, flat["spin"], flat["_start"])

	// Written and read back, it is the same profile.
	var b bytes.Buffer
	require.NoError(t, pr.Write(&b))
	back, err := profile.Parse(&b)
	require.NoError(t, err)
	assert.Equal(t, prof.String(), back.String())
}
