package vm

import (
	"encoding/binary"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"linkvm/objfmt"
	"linkvm/vm/isa"
)

// This file is a tiny assembler for the tests, so that test programs are
// readable; the real one is package asm. Syntax: one statement per line,
// "#" comments, "name:" labels (FUNC symbols in .text unless the name starts
// with "."), sections .text/.rodata/.data/.bss, directives .ascii "s",
// .asciz "s", .quad N, .zero N, .align N, instructions in isa syntax with
// "la ra, label" for lea and numbers or labels as targets. The line table
// records every instruction's line in file "t.s". Sections are placed like
// vmld does: .text at 0x10000, then .rodata, .data, .bss on page boundaries.

// testFile is the source file name in line tables of test images.
const testFile = "t.s"

type tstmt struct {
	line    int
	sec     int
	off     uint64
	op      isa.Op
	ops     []string
	data    []byte
	isInstr bool
}

// assemble builds an executable image from src, failing the test on errors.
func assemble(t testing.TB, src string) *objfmt.File {
	t.Helper()
	img, err := assembleErr(src)
	require.NoError(t, err)
	return img
}

func assembleErr(src string) (*objfmt.File, error) {
	names := []string{".text", ".rodata", ".data", ".bss"}
	flags := []objfmt.SectionFlags{objfmt.FlagAlloc | objfmt.FlagExec, objfmt.FlagAlloc, objfmt.FlagAlloc | objfmt.FlagWrite, objfmt.FlagAlloc | objfmt.FlagWrite}
	var size [4]uint64
	type label struct {
		sec int
		off uint64
	}
	labels := map[string]label{}
	var labelOrder []string
	var stmts []tstmt
	sec := 0
	for n, raw := range strings.Split(src, "\n") {
		line := raw
		if i := strings.Index(line, "#"); i >= 0 && !strings.Contains(line[:i], "\"") {
			line = line[:i]
		}
		line = strings.TrimSpace(line)
		for {
			i := strings.Index(line, ":")
			if i < 0 || strings.ContainsAny(line[:i], " \t\"") {
				break
			}
			name := line[:i]
			labels[name] = label{sec, size[sec]}
			labelOrder = append(labelOrder, name)
			line = strings.TrimSpace(line[i+1:])
		}
		if line == "" {
			continue
		}
		mn, rest, _ := strings.Cut(line, " ")
		rest = strings.TrimSpace(rest)
		st := tstmt{line: n + 1, sec: sec, off: size[sec]}
		switch mn {
		case ".text", ".rodata", ".data", ".bss":
			for i, nm := range names {
				if nm == mn {
					sec = i
				}
			}
			continue
		case ".ascii", ".asciz":
			s, err := strconv.Unquote(rest)
			if err != nil {
				return nil, fmt.Errorf("line %d: %v", n+1, err)
			}
			st.data = []byte(s)
			if mn == ".asciz" {
				st.data = append(st.data, 0)
			}
		case ".quad":
			v, err := strconv.ParseUint(rest, 0, 64)
			if err != nil {
				iv, err2 := strconv.ParseInt(rest, 0, 64)
				if err2 != nil {
					return nil, fmt.Errorf("line %d: %v", n+1, err)
				}
				v = uint64(iv)
			}
			st.data = binary.LittleEndian.AppendUint64(nil, v)
		case ".zero":
			v, err := strconv.ParseUint(rest, 0, 64)
			if err != nil {
				return nil, fmt.Errorf("line %d: %v", n+1, err)
			}
			st.data = make([]byte, v)
		case ".align":
			v, err := strconv.ParseUint(rest, 0, 64)
			if err != nil {
				return nil, fmt.Errorf("line %d: %v", n+1, err)
			}
			st.data = make([]byte, (v-size[sec]%v)%v)
		default:
			if mn == "la" {
				mn = "lea"
			}
			op, ok := isa.Lookup(mn)
			if !ok {
				return nil, fmt.Errorf("line %d: unknown mnemonic %q", n+1, mn)
			}
			st.op, st.isInstr = op, true
			if rest != "" {
				for _, o := range strings.Split(rest, ",") {
					st.ops = append(st.ops, strings.TrimSpace(o))
				}
			}
			size[sec] += uint64(8 * isa.Table[op].Format.Words())
			stmts = append(stmts, st)
			continue
		}
		size[sec] += uint64(len(st.data))
		stmts = append(stmts, st)
	}

	var addr [4]uint64
	a := uint64(0x10000)
	for i := range addr {
		addr[i] = a
		a = (a + size[i] + objfmt.PageSize - 1) &^ (objfmt.PageSize - 1)
	}
	secs := make([]*objfmt.Section, 4)
	for i := range secs {
		secs[i] = &objfmt.Section{Name: names[i], Kind: objfmt.KindProgbits, Flags: flags[i], Align: 8, Addr: addr[i], Size: size[i], Data: make([]byte, size[i])}
	}
	secs[3].Kind, secs[3].Data = objfmt.KindNobits, nil
	lookup := func(s string) (uint64, error) {
		if l, ok := labels[s]; ok {
			return addr[l.sec] + l.off, nil
		}
		return 0, fmt.Errorf("undefined label %q", s)
	}
	for _, st := range stmts {
		if !st.isInstr {
			if st.sec == 3 {
				continue
			}
			copy(secs[st.sec].Data[st.off:], st.data)
			continue
		}
		pc := addr[st.sec] + st.off
		in, imm64, err := encodeOperands(st, pc, lookup)
		if err != nil {
			return nil, fmt.Errorf("line %d: %v", st.line, err)
		}
		d := secs[st.sec].Data[st.off:]
		binary.LittleEndian.PutUint64(d, isa.Encode(in.Op, in.RA, in.RB, in.RC, in.Imm))
		if st.op == isa.LI64 {
			binary.LittleEndian.PutUint64(d[8:], imm64)
		}
		secs[st.sec].Lines = append(secs[st.sec].Lines, objfmt.Line{Offset: st.off, File: testFile, Line: uint32(st.line), Col: 1})
	}
	img := &objfmt.File{Type: objfmt.TypeExec, Sections: secs}
	for _, name := range labelOrder {
		l := labels[name]
		sym := objfmt.Symbol{Name: name, Bind: objfmt.BindGlobal, Section: l.sec, Value: addr[l.sec] + l.off}
		if l.sec == 0 && !strings.HasPrefix(name, ".") {
			sym.Type = objfmt.SymFunc
		}
		if strings.HasPrefix(name, ".") {
			sym.Bind = objfmt.BindLocal
		}
		img.Symbols = append(img.Symbols, sym)
	}
	entry, err := lookup("_start")
	if err != nil {
		entry = addr[0]
	}
	img.Entry = entry
	return img, nil
}

// encodeOperands turns an instruction's operand strings into fields.
func encodeOperands(st tstmt, pc uint64, lookup func(string) (uint64, error)) (isa.Inst, uint64, error) {
	in := isa.Inst{Op: st.op}
	f := isa.Table[st.op].Format
	want := map[isa.Format]int{isa.FmtN: 0, isa.FmtR: 1, isa.FmtRR: 2, isa.FmtRRR: 3, isa.FmtRI: 2, isa.FmtRRI: 3,
		isa.FmtRM: 2, isa.FmtRT: 2, isa.FmtRRT: 3, isa.FmtT: 1, isa.FmtI: 1, isa.FmtRK: 2}[f]
	if len(st.ops) != want {
		return in, 0, fmt.Errorf("%s wants %d operands, got %d", st.op, want, len(st.ops))
	}
	reg := func(s string) (uint8, error) {
		r, ok := isa.RegByName(s)
		if !ok {
			return 0, fmt.Errorf("bad register %q", s)
		}
		return r, nil
	}
	num := func(s string) (int64, error) {
		if len(s) == 3 && s[0] == '\'' && s[2] == '\'' {
			return int64(s[1]), nil
		}
		v, err := strconv.ParseInt(s, 0, 64)
		if err != nil {
			u, err2 := strconv.ParseUint(s, 0, 64)
			if err2 != nil {
				return 0, err
			}
			v = int64(u)
		}
		return v, nil
	}
	target := func(s string) (int32, error) {
		if v, err := num(s); err == nil {
			return int32(v), nil
		}
		a, err := lookup(s)
		return int32(int64(a - pc)), err
	}
	var err error
	var imm64 uint64
	regs := func(n int) {
		for i := 0; i < n && err == nil; i++ {
			var r uint8
			r, err = reg(st.ops[i])
			switch i {
			case 0:
				in.RA = r
			case 1:
				in.RB = r
			case 2:
				in.RC = r
			}
		}
	}
	switch f {
	case isa.FmtR, isa.FmtRR, isa.FmtRRR:
		regs(want)
	case isa.FmtRI, isa.FmtRRI:
		regs(want - 1)
		if err == nil {
			var v int64
			v, err = num(st.ops[want-1])
			in.Imm = int32(v)
		}
	case isa.FmtI:
		var v int64
		v, err = num(st.ops[0])
		in.Imm = int32(v)
	case isa.FmtRT, isa.FmtRRT:
		regs(want - 1)
		if err == nil {
			in.Imm, err = target(st.ops[want-1])
		}
	case isa.FmtT:
		in.Imm, err = target(st.ops[0])
	case isa.FmtRM:
		regs(1)
		m := strings.TrimSpace(st.ops[1])
		if err == nil && (!strings.HasPrefix(m, "[") || !strings.HasSuffix(m, "]")) {
			err = fmt.Errorf("bad memory operand %q", m)
		}
		if err == nil {
			m = strings.ReplaceAll(m[1:len(m)-1], " ", "")
			base, off := m, "0"
			if i := strings.IndexAny(m, "+-"); i >= 0 {
				base, off = m[:i], m[i:]
			}
			in.RB, err = reg(base)
			if err == nil {
				var v int64
				v, err = num(strings.TrimPrefix(off, "+"))
				in.Imm = int32(v)
			}
		}
	case isa.FmtRK:
		regs(1)
		if err == nil {
			var v int64
			if v, err = num(st.ops[1]); err != nil {
				imm64, err = lookup(st.ops[1])
			} else {
				imm64 = uint64(v)
			}
		}
	}
	return in, imm64, err
}

// result is what a test program did.
type result struct {
	status int
	stdout string
	stderr string
	err    error
	proc   *Process
}

// runSrc assembles src and runs it with cfg (Stdout and Stderr are
// captured unless set), failing the test if it cannot be loaded.
func runSrc(t testing.TB, src string, cfg Config) result {
	t.Helper()
	return runImg(t, assemble(t, src), cfg)
}

func runImg(t testing.TB, img *objfmt.File, cfg Config) result {
	t.Helper()
	var out, errb strings.Builder
	if cfg.Stdout == nil {
		cfg.Stdout = &out
	}
	if cfg.Stderr == nil {
		cfg.Stderr = &errb
	}
	if cfg.Args == nil {
		cfg.Args = []string{"t"}
	}
	p, err := Load(img, "t.img", cfg)
	require.NoError(t, err)
	status, err := p.Run()
	return result{status, out.String(), errb.String(), err, p}
}
