package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCaseLines(t *testing.T) {
	src := `func (p *Process) run(s *execState) uint8 {
	cs := s.cur
top:
	{
		e = (*dinst)(ip)
		switch e.op {
		case uint8(isa.HALT), uint8(isa.TRAP), dSlow:
			goto slow
		case uint8(isa.ADD):
			r[e.a] = r[e.b] + r[e.c]
		case fLiCallPLT: // li, call to a PLT stub, and the stub
			left -= 2
		case uint8(isa.DIVS), uint8(isa.DIVU),
			fFirst + 78:
			goto slow
		}

	far: // control goes from the instruction at ip to the address to
		{
			tab := p.as.code
		}
	}
}
`
	assert.Equal(t, []string{
		dispatch, dispatch, dispatch, dispatch, dispatch, dispatch,
		"halt, …", "halt, …",
		"add", "add",
		"fLiCallPLT", "fLiCallPLT",
		"divs, …", "divs, …", "divs, …", "divs, …", "divs, …",
		"far", "far", "far", "far", "far", "far",
	}, caseLines(src))
}

// sampleHere returns the address of an instruction of its case, for the
// tests to sample: caseLines reads this file as run's source.
//
//go:noinline
func sampleHere() uintptr {
	for {
		switch {
		case true: // the case the samples fall in
			pc, _, _, ok := runtime.Caller(0)
			if !ok {
				panic("no caller")
			}
			return pc - 1 // in the call, not after it
		}
	}
}

// samples is perf script's output: n samples at pc in fn, then one
// elsewhere.
func samples(pc uintptr, fn string, n int) string {
	return strings.Repeat(fmt.Sprintf("%16x %s\n", pc, fn), n) + fmt.Sprintf("%16x runtime.memmove\n", pc+1)
}

func TestCasesSortsSamplesByCase(t *testing.T) {
	self, err := os.Executable()
	require.NoError(t, err)
	pc := sampleHere()
	fn := runtime.FuncForPC(pc).Name()
	var out, errOut bytes.Buffer
	in := strings.NewReader(samples(pc, fn, 3) + samples(pc, "other", 1))
	require.NoError(t, run([]string{"-func", fn, "-src", "main_test.go", self}, in, &out, &errOut))
	assert.Equal(t, "6 samples, 3 (50.0%) in "+fn+"\n 50.00%  true\n", out.String())
	assert.Empty(t, errOut.String())

	// A sample in the function whose line is in another file counts
	// under that file and line; the cases under -min are summed.
	file, line := runtime.FuncForPC(pc).FileLine(pc)
	for _, tc := range []struct{ min, want string }{
		{"0", fmt.Sprintf(" 50.00%%  %s:%d\n", file, line)},
		{"60", " 50.00%  (the other cases)\n"},
	} {
		out.Reset()
		in = strings.NewReader(samples(pc, fn, 1))
		require.NoError(t, run([]string{"-func", fn, "-src", "main.go", "-min", tc.min, self}, in, &out, &errOut))
		assert.Equal(t, "2 samples, 1 (50.0%) in "+fn+"\n"+tc.want, out.String())
	}
}

func TestCasesErrors(t *testing.T) {
	self, err := os.Executable()
	require.NoError(t, err)
	pc := sampleHere()
	fn := runtime.FuncForPC(pc).Name()
	_, line := runtime.FuncForPC(pc).FileLine(pc)
	// A main_test.go in another directory, too short: the one the line
	// table names, in the test's working directory, is not the binary's.
	short := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(short, "main_test.go"), []byte("package main\n\n"), 0o644))
	for _, tc := range []struct {
		name, in string
		dir      string // the working directory, if not the package's
		args     []string
		want     string
	}{
		{"no binary", "", "", nil,
			"usage: perf script -F ip,sym | cases [-func F] [-src FILE] [-min PERCENT] BINARY"},
		{"no samples", "", "", []string{"-src", "main_test.go", self},
			"no samples: want the output of perf script -F ip,sym"},
		{"not perf script's", "  4a0f3e linkvm/vm.(*Process).run\nrun 4a0f3e\n", "", []string{"-src", "main_test.go", self},
			`line 2: "run" is not an address: want perf script -F ip,sym`},
		{"not the binary's source", samples(pc, fn, 1), short, []string{"-func", fn, "-src", "main_test.go", self},
			fmt.Sprintf("%#x is line %d of main_test.go, which has 2 lines: is the source the binary's?", pc, line)},
		{"not a Go binary", "", "", []string{"-src", "main_test.go", "main_test.go"},
			"main_test.go: bad magic number '[112 97 99 107]' in record at byte 0x0"},
		{"no source", "", "", []string{"-src", "nothere.go", self},
			"open nothere.go: no such file or directory"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.dir != "" {
				t.Chdir(tc.dir)
			}
			var out, errOut bytes.Buffer
			err := run(tc.args, strings.NewReader(tc.in), &out, &errOut)
			require.Error(t, err)
			assert.Equal(t, tc.want, err.Error())
			assert.Empty(t, out.String())
		})
	}
}
