package staticld

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"linkvm/objfmt"
	"linkvm/vm/isa"
)

// This file builds archives and runs links that use them, for the tests.

// funcs returns a module whose .text defines the global functions defs,
// one nop each, then holds one call per name of calls (a global
// reference) and of weak (a weak reference), with a line per word of the
// source file src.
func funcs(src string, defs []string, calls []string, weak ...string) *mod {
	m := newMod()
	n := len(defs) + len(calls) + len(weak)
	t := m.sec(".text", rx, 8, nops(n))
	for i := range n {
		m.line(t, uint64(8*i), src, uint32(i+1))
	}
	for i, d := range defs {
		m.fn(d, t, uint64(8*i), 8)
	}
	off := uint64(8 * len(defs))
	for _, c := range calls {
		m.reloc(t, off, objfmt.RelInsnPC, m.undef(c, objfmt.BindGlobal), 0)
		off += 8
	}
	for _, c := range weak {
		m.reloc(t, off, objfmt.RelInsnPC, m.undef(c, objfmt.BindWeak), 0)
		off += 8
	}
	return m
}

// member is one archive member for archiveOf.
type member struct {
	name string
	m    *mod
}

// archiveOf builds an archive of the given members with objfmt.BuildArchive.
func archiveOf(t *testing.T, members ...member) *objfmt.Archive {
	t.Helper()
	var ms []*objfmt.Member
	for _, mb := range members {
		data, err := mb.m.f.Encode()
		require.NoError(t, err, mb.name)
		ms = append(ms, &objfmt.Member{Name: mb.name, Data: data})
	}
	a, err := objfmt.BuildArchive(ms)
	require.NoError(t, err)
	return a
}

// linkResult is what a link produced: the image or the error, and the
// reports.
type linkResult struct {
	img   *objfmt.File
	err   error
	why   string // the --why-extract table
	log   string // Config.Log messages, one per line
	trace string // the --trace-symbol lines
	mp    string // the link map
}

// link links ins with cfg, capturing every report.
func link(cfg Config, ins ...Input) linkResult {
	var why, trace, mp strings.Builder
	var log []string
	cfg.WhyExtract, cfg.Trace, cfg.Map = &why, &trace, &mp
	cfg.Log = func(d Diag) { log = append(log, d.String()) }
	img, err := Link(cfg, ins)
	r := linkResult{img: img, err: err, why: why.String(), trace: trace.String(), mp: mp.String()}
	if len(log) > 0 {
		r.log = strings.Join(log, "\n") + "\n"
	}
	return r
}

// obj returns a module input.
func obj(name string, m *mod) Input { return Input{Name: name, File: m.f} }

// lib returns an archive input.
func lib(name string, a *objfmt.Archive) Input { return Input{Name: name, Archive: a} }

// symNames returns the names of the image's symbols, in order.
func symNames(f *objfmt.File) []string {
	var names []string
	for _, s := range f.Symbols {
		names = append(names, s.Name)
	}
	return names
}

// textSize returns the size of the image's .text section.
func textSize(f *objfmt.File) uint64 {
	for _, s := range f.Sections {
		if s.Name == ".text" {
			return s.Size
		}
	}
	return 0
}

// callImm returns the imm of the instruction at offset off of .text.
func callImm(f *objfmt.File, off int) int32 {
	in := isa.Decode(leUint64(f.Sections[0].Data[off:]))
	return in.Imm
}

// leUint64 reads a little-endian uint64.
func leUint64(b []byte) uint64 {
	var v uint64
	for i := 7; i >= 0; i-- {
		v = v<<8 | uint64(b[i])
	}
	return v
}
