package main

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"linkvm/objfmt"
	"linkvm/vm/isa"
)

func TestStatsFlagTakesNoArgument(t *testing.T) {
	assert.Equal(t, result{"", "vmrun: --stats takes no argument\n" + shortUsage, 2}, vmrun("", "--stats=yes", helloImage(t)))
}

// TestStatsStaticImage: the report of one static process, whole: its
// image is its only module, code and read-only data shared, nothing
// private, no bindings; the steps are the instructions of _start.
func TestStatsStaticImage(t *testing.T) {
	var p prog
	p.fn("_start")
	p.write(2, 1, "Hello, world!\n")
	p.exit(3, 0)
	img := p.file(t)
	shared := len(p.text) + len(p.rodata)
	w := len(img)
	want := fmt.Sprintf("vmrun: stats: 1 processes, 1 module files\n"+
		"%-*s  procs  shared  private  bindings\n"+
		"%-*s      1  %6d        0         0\n"+
		"%-*s      1  %6d        0         0\n"+
		"\n"+
		"pid  steps  image\n"+
		"1    %5d  %s\n",
		w, "module", w, img, shared, w, "total", shared, len(p.text)/8, img)
	assert.Equal(t, result{"Hello, world!\n", want, 0}, vmrun("", "--stats", img))
}

// TestStatsAfterTrapReport: the report comes after the trap report.
func TestStatsAfterTrapReport(t *testing.T) {
	var p prog
	p.fn("_start")
	p.in(2, isa.TRAP, 0, 0, 0, 5)
	r := vmrun("", "--stats", p.file(t))
	assert.Equal(t, 134, r.status)
	assert.Regexp(t, `(?s)^vmrun: trap: .*\nvmrun: stats: 1 processes, 1 module files\n.*\n1 +1  .*p\.img\n$`, r.stderr)
}

// TestStatsDynamicBindings: a JUMP_SLOT counts once bound, lazily on its
// first call or at load with --bind-now; a call never made binds nothing
// lazily. The module lines are sorted by name (a path starting with "/"
// comes before libgreet.vso).
func TestStatsDynamicBindings(t *testing.T) {
	dir := t.TempDir()
	prog := writeGreetProg(t, dir)
	msg := "hello\n"
	writeGreetLib(t, dir, "1.0", msg)

	// nocall.img is prog.img with its call to greet replaced by a nop.
	f, err := objfmt.Open(prog)
	require.NoError(t, err)
	text := append([]byte(nil), f.Sections[0].Data...)
	copy(text, words(isa.Encode(isa.NOP, 0, 0, 0, 0)))
	f.Sections[0].Data = text
	nocall := filepath.Join(dir, "nocall.img")
	require.NoError(t, objfmt.WriteFile(nocall, f))

	lib := 40 + len(msg) // greet's five words and its message
	modules := func(img string, bindings int) string {
		w := len(img)
		return fmt.Sprintf("vmrun: stats: 1 processes, 2 module files\n"+
			"%-*s  procs  shared  private  bindings\n"+
			"%-*s      1      64        8  %8d\n"+
			"%-*s      1  %6d        0         0\n"+
			"%-*s      1  %6d        8  %8d\n\n"+
			"pid  steps  image\n",
			w, "module", w, img, bindings, w, "libgreet.vso", lib, w, "total", 64+lib, bindings)
	}
	for _, tc := range []struct {
		name     string
		args     []string
		stdout   string
		bindings int
	}{
		{"lazy, called", []string{prog}, msg, 1},
		{"bind-now, called", []string{"--bind-now", prog}, msg, 1},
		{"lazy, never called", []string{nocall}, "", 0},
		{"bind-now, never called", []string{"--bind-now", nocall}, "", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			img := tc.args[len(tc.args)-1]
			r := vmrun("", append([]string{"--stats"}, tc.args...)...)
			assert.Equal(t, 0, r.status)
			assert.Equal(t, tc.stdout, r.stdout)
			head, proc, ok := strings.Cut(r.stderr, "pid  steps  image\n")
			require.True(t, ok, r.stderr)
			assert.Equal(t, modules(img, tc.bindings), head+"pid  steps  image\n")
			assert.Regexp(t, `^1 +[1-9][0-9]*  `+regexp.QuoteMeta(img)+"\n$", proc)
		})
	}
}
