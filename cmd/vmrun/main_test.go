package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"linkvm/objfmt"
	"linkvm/vm/isa"
)

// prog builds a small executable image by hand: .text at 0x10000 with a
// line entry per instruction in file "p.s", .rodata at 0x11000.
type prog struct {
	text   []byte
	lines  []objfmt.Line
	syms   []objfmt.Symbol
	rodata []byte
}

const (
	textAddr   = 0x10000
	rodataAddr = 0x11000
)

func (p *prog) pc() uint64 { return textAddr + uint64(len(p.text)) }

// fn defines a function symbol at the next instruction.
func (p *prog) fn(name string) {
	p.syms = append(p.syms, objfmt.Symbol{Name: name, Bind: objfmt.BindGlobal, Type: objfmt.SymFunc, Section: 0, Value: p.pc()})
}

// in appends one instruction from source line line.
func (p *prog) in(line uint32, op isa.Op, a, b, c uint8, imm int32) {
	p.lines = append(p.lines, objfmt.Line{Offset: uint64(len(p.text)), File: "p.s", Line: line})
	p.text = append(p.text, make([]byte, 8)...)
	w := isa.Encode(op, a, b, c, imm)
	for i := range 8 {
		p.text[len(p.text)-8+i] = byte(w >> (8 * i))
	}
}

// str adds s to .rodata and returns its address.
func (p *prog) str(s string) uint64 {
	a := rodataAddr + uint64(len(p.rodata))
	p.rodata = append(p.rodata, s...)
	return a
}

// la loads the address a into register r, pc-relative.
func (p *prog) la(line uint32, r uint8, a uint64) {
	p.in(line, isa.LEA, r, 0, 0, int32(int64(a-p.pc())))
}

// write emits write(fd, s) from line.
func (p *prog) write(line uint32, fd int32, s string) {
	p.in(line, isa.LI, 0, 0, 0, fd)
	p.la(line, 1, p.str(s))
	p.in(line, isa.LI, 2, 0, 0, int32(len(s)))
	p.in(line, isa.SYS, 0, 0, 0, 1)
}

// exit emits exit(status).
func (p *prog) exit(line uint32, status int32) {
	p.in(line, isa.LI, 0, 0, 0, status)
	p.in(line, isa.SYS, 0, 0, 0, 0)
}

// file writes the image to a temporary directory and returns its path.
func (p *prog) file(t *testing.T) string {
	t.Helper()
	f := &objfmt.File{Type: objfmt.TypeExec, Entry: textAddr, Symbols: p.syms, Sections: []*objfmt.Section{
		{Name: ".text", Kind: objfmt.KindProgbits, Flags: objfmt.FlagAlloc | objfmt.FlagExec, Align: 8, Addr: textAddr,
			Size: uint64(len(p.text)), Data: p.text, Lines: p.lines},
	}}
	if len(p.rodata) > 0 {
		f.Sections = append(f.Sections, &objfmt.Section{Name: ".rodata", Kind: objfmt.KindProgbits, Flags: objfmt.FlagAlloc,
			Align: 1, Addr: rodataAddr, Size: uint64(len(p.rodata)), Data: p.rodata})
	}
	name := filepath.Join(t.TempDir(), "p.img")
	require.NoError(t, objfmt.WriteFile(name, f))
	return name
}

// result is what one vmrun run printed and returned.
type result struct {
	stdout, stderr string
	status         int
}

func vmrun(stdin string, args ...string) result {
	var out, errb strings.Builder
	st := run(args, strings.NewReader(stdin), &out, &errb)
	return result{out.String(), errb.String(), st}
}

const shortUsage = "usage: vmrun [flags] prog.img [args...] (vmrun -h for help)\n"

func TestUsage(t *testing.T) {
	hello := helloImage(t)
	for _, tc := range []struct {
		name string
		args []string
		want result
	}{
		{"help", []string{"-h"}, result{"", usage, 0}},
		{"long help", []string{"--help", "x.img"}, result{"", usage, 0}},
		{"no image", nil, result{"", "vmrun: no image given\n" + shortUsage, 2}},
		{"only flags", []string{"--stack-size", "8K"}, result{"", "vmrun: no image given\n" + shortUsage, 2}},
		{"unknown flag", []string{"-x", hello}, result{"", "vmrun: unknown flag -x\n" + shortUsage, 2}},
		{"dir without value", []string{"--dir"}, result{"", "vmrun: --dir needs an argument HOST[:GUEST]\n" + shortUsage, 2}},
		{"dir missing", []string{"--dir", "/nonexistent/d", hello},
			result{"", "vmrun: --dir /nonexistent/d: stat /nonexistent/d: no such file or directory\n" + shortUsage, 2}},
		{"dir is a file", []string{"--dir=" + hello, hello},
			result{"", "vmrun: --dir " + hello + ": not a directory\n" + shortUsage, 2}},
		{"dir empty host", []string{"--dir", ":/x", hello}, result{"", "vmrun: --dir :/x: empty host directory\n" + shortUsage, 2}},
		{"bad stack size", []string{"--stack-size", "lots", hello},
			result{"", "vmrun: --stack-size lots: not a size (bytes, with an optional K, M or G suffix)\n" + shortUsage, 2}},
		{"zero stack size", []string{"--stack-size=0", hello}, result{"", "vmrun: --stack-size 0: the stack size must be positive\n" + shortUsage, 2}},
		{"huge stack size", []string{"--stack-size=2G", hello},
			result{"", "vmrun: --stack-size 2G: larger than the maximum stack size 1073741824\n" + shortUsage, 2}},
		{"stack size without value", []string{"--stack-size"}, result{"", "vmrun: --stack-size needs an argument\n" + shortUsage, 2}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, vmrun("", tc.args...))
		})
	}
}

func helloImage(t *testing.T) string {
	var p prog
	p.fn("_start")
	p.write(2, 1, "Hello, world!\n")
	p.exit(3, 0)
	return p.file(t)
}

func TestLoadFailures(t *testing.T) {
	dir := t.TempDir()
	garbage := filepath.Join(dir, "garbage.img")
	require.NoError(t, os.WriteFile(garbage, []byte(strings.Repeat("hello ", 20)), 0o644))
	rel := filepath.Join(dir, "rel.vo")
	require.NoError(t, objfmt.WriteFile(rel, &objfmt.File{Type: objfmt.TypeRel}))
	missing := filepath.Join(dir, "missing.img")
	for _, tc := range []struct {
		name string
		path string
		want string
	}{
		{"missing", missing, "vmrun: open " + missing + ": no such file or directory\n"},
		{"directory", dir, "vmrun: open " + dir + ": is a directory\n"},
		{"not an image", garbage, "vmrun: " + garbage + ": objfmt: bad magic \"hell\" at offset 0x0\n"},
		{"relocatable", rel, "vmrun: " + rel + ": not an executable image (type relocatable)\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, result{"", tc.want, 127}, vmrun("", tc.path))
		})
	}
}

func TestHelloAndExitStatus(t *testing.T) {
	assert.Equal(t, result{"Hello, world!\n", "", 0}, vmrun("", helloImage(t)))

	var p prog
	p.fn("_start")
	p.exit(2, 300)
	assert.Equal(t, result{"", "", 300 & 0xff}, vmrun("", p.file(t)))

	var q prog
	q.fn("_start")
	q.in(2, isa.LI, 0, 0, 0, -1)
	q.in(3, isa.HALT, 0, 0, 0, 0)
	assert.Equal(t, result{"", "", 255}, vmrun("", q.file(t)))
}

func TestArgumentsPassThrough(t *testing.T) {
	// Writes argv[2] and a newline, exits with argc.
	var p prog
	p.fn("_start")
	p.in(2, isa.MOV, 20, 0, 0, 0) // argc
	p.in(3, isa.LI, 0, 0, 0, 2)   // i = 2
	p.in(3, isa.ADDI, 1, isa.RegSP, 0, -64)
	p.in(3, isa.MOV, 21, 1, 0, 0) // buf
	p.in(3, isa.LI, 2, 0, 0, 64)
	p.in(3, isa.SYS, 0, 0, 0, 8) // argv(2, buf, 64)
	p.in(4, isa.MOV, 2, 0, 0, 0)
	p.in(4, isa.MOV, 1, 21, 0, 0)
	p.in(4, isa.LI, 0, 0, 0, 1)
	p.in(4, isa.SYS, 0, 0, 0, 1) // write(1, buf, len)
	p.write(5, 1, "\n")
	p.in(6, isa.MOV, 0, 20, 0, 0)
	p.in(6, isa.SYS, 0, 0, 0, 0)
	img := p.file(t)
	assert.Equal(t, result{"--dir\n", "", 4}, vmrun("", img, "-x", "--dir", "y"))
	assert.Equal(t, result{"-x\n", "", 3}, vmrun("", "--", img, "-h", "-x"))
	assert.Equal(t, result{"b\n", "", 3}, vmrun("", "--stack-size", "64k", img, "a", "b"))
}

func TestTrapStatusAndReport(t *testing.T) {
	// selfmod: _start prints, calls poke, which stores into its own code.
	var p prog
	p.fn("_start")
	p.write(2, 1, "before the trap\n")
	p.in(3, isa.CALL, 0, 0, 0, 24)
	p.exit(4, 0)
	p.fn("poke")
	p.in(7, isa.ENTER, 0, 0, 0, 16)
	p.la(8, 1, textAddr)
	p.in(9, isa.ST64, 0, 1, 0, 8)
	p.in(10, isa.LEAVE, 0, 0, 0, 0)
	p.in(10, isa.RET, 0, 0, 0, 0)
	img := p.file(t)
	report := `vmrun: trap: write to read-only memory at 0x10008 (section .text)
  at poke+0x10 (p.s:9)
backtrace:
  #0 0x10048 poke+0x10 (p.s:9)
  #1 0x10020 _start+0x20 (p.s:3)
`
	assert.Equal(t, result{"before the trap\n", report, 134}, vmrun("", img))

	// The program's output is flushed before the report is written.
	var log []string
	st := run([]string{img}, nil, &logWriter{"out", &log}, &logWriter{"err", &log})
	assert.Equal(t, 134, st)
	assert.Equal(t, []string{"out:before the trap\n", "err:" + report}, log)
}

func TestStackSizeFlag(t *testing.T) {
	// f calls itself forever with 4 KiB frames.
	var p prog
	p.fn("_start")
	p.in(2, isa.CALL, 0, 0, 0, 8)
	p.fn("f")
	p.in(3, isa.ENTER, 0, 0, 0, 4096)
	p.in(4, isa.CALL, 0, 0, 0, -8)
	img := p.file(t)
	small := vmrun("", "--stack-size", "16K", img)
	assert.Equal(t, 134, small.status)
	assert.Regexp(t, `^vmrun: trap: stack overflow: write at 0x7fffb[0-9a-f]{3}, below the stack at 0x7fffc000\n`, small.stderr)
	big := vmrun("", "--stack-size=64k", img)
	assert.Contains(t, big.stderr, "below the stack at 0x7fff0000\n")
}

func TestDirFlag(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "f.txt"), []byte("from the host\n"), 0o644))
	// cat /g/f.txt
	var p prog
	p.fn("_start")
	p.la(2, 0, p.str("/g/f.txt\x00"))
	p.in(2, isa.LI, 1, 0, 0, 0)
	p.in(2, isa.SYS, 0, 0, 0, 3) // open
	p.in(3, isa.MOV, 20, 0, 0, 0)
	p.in(3, isa.ADDI, 1, isa.RegSP, 0, -64)
	p.in(3, isa.LI, 2, 0, 0, 64)
	p.in(3, isa.SYS, 0, 0, 0, 2) // read
	p.in(4, isa.MOV, 2, 0, 0, 0)
	p.in(4, isa.ADDI, 1, isa.RegSP, 0, -64)
	p.in(4, isa.LI, 0, 0, 0, 1)
	p.in(4, isa.SYS, 0, 0, 0, 1) // write
	p.in(5, isa.MOV, 0, 20, 0, 0)
	p.in(5, isa.SYS, 0, 0, 0, 0) // exit(fd)
	img := p.file(t)
	assert.Equal(t, result{"from the host\n", "", 3}, vmrun("", "--dir", dir+":/g", img))
	assert.Equal(t, result{"from the host\n", "", 3}, vmrun("", "--dir="+dir+":/g/", img))
	// Without the grant, open fails with -EACCES (13) and read(-13) fails.
	assert.Equal(t, result{"", "", -13 & 0xff}, vmrun("", img))
}

func TestStdinAndStderrOrder(t *testing.T) {
	// Prompt on stdout, echo one read from stdin to stderr, then stdout.
	var p prog
	p.fn("_start")
	p.write(2, 1, "prompt: ")
	p.in(3, isa.LI, 0, 0, 0, 0)
	p.in(3, isa.ADDI, 1, isa.RegSP, 0, -64)
	p.in(3, isa.LI, 2, 0, 0, 64)
	p.in(3, isa.SYS, 0, 0, 0, 2)
	p.in(4, isa.MOV, 2, 0, 0, 0)
	p.in(4, isa.ADDI, 1, isa.RegSP, 0, -64)
	p.in(4, isa.LI, 0, 0, 0, 2)
	p.in(4, isa.SYS, 0, 0, 0, 1)
	p.write(5, 1, "done\n")
	p.exit(6, 0)
	var log []string
	lw := func(name string) *logWriter { return &logWriter{name, &log} }
	st := run([]string{p.file(t)}, strings.NewReader("input\n"), lw("out"), lw("err"))
	assert.Equal(t, 0, st)
	assert.Equal(t, []string{"out:prompt: ", "err:input\n", "out:done\n"}, log)
}

// logWriter records each write as "name:data".
type logWriter struct {
	name string
	log  *[]string
}

func (w *logWriter) Write(b []byte) (int, error) {
	*w.log = append(*w.log, w.name+":"+string(b))
	return len(b), nil
}
