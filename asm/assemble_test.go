package asm

import (
	"encoding/binary"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"linkvm/objfmt"
	"linkvm/vm/isa"
)

// mustAssemble assembles src as "t.s".
func mustAssemble(t *testing.T, src string) *objfmt.File {
	t.Helper()
	f, err := Assemble("t.s", []byte(src), Options{})
	require.NoError(t, err)
	return f
}

// sec returns the named section.
func sec(t *testing.T, f *objfmt.File, name string) *objfmt.Section {
	t.Helper()
	for _, s := range f.Sections {
		if s.Name == name {
			return s
		}
	}
	require.Failf(t, "no section", "%s", name)
	return nil
}

// sym returns the named symbol.
func sym(t *testing.T, f *objfmt.File, name string) objfmt.Symbol {
	t.Helper()
	for _, s := range f.Symbols {
		if s.Name == name {
			return s
		}
	}
	require.Failf(t, "no symbol", "%s", name)
	return objfmt.Symbol{}
}

func relocs(f *objfmt.File, s *objfmt.Section) []string {
	var out []string
	for _, r := range s.Relocs {
		out = append(out, fmt.Sprintf("%d %s", r.Offset, relocString(f, r)))
	}
	return out
}

func TestDataDirectives(t *testing.T) {
	f := mustAssemble(t, `
	.data
a:	.byte 1, -1, 255, 'A'
	.half 0x1234, -2
	.short 7
	.word 0xdeadbeef, -2147483648
	.long 1
	.quad -1, 1 << 40
	.ascii "ab", "c\n"
	.asciz "x\ty\0z", "\x41\101"
	.string ""
	.double 1.5, -2, 1e3, inf, -inf
	.zero 3
	.space 2, 0xaa
`)
	d := sec(t, f, ".data")
	var want []byte
	le := func(n int, v uint64) {
		var b [8]byte
		binary.LittleEndian.PutUint64(b[:], v)
		want = append(want, b[:n]...)
	}
	want = append(want, 1, 0xff, 0xff, 'A')
	le(2, 0x1234)
	le(2, 0xfffe)
	le(2, 7)
	le(4, 0xdeadbeef)
	le(4, 0x80000000)
	le(4, 1)
	le(8, math.MaxUint64)
	le(8, 1<<40)
	want = append(want, "abc\n"...)
	want = append(want, "x\ty\x00z\x00AA\x00\x00"...)
	for _, x := range []float64{1.5, -2, 1e3, math.Inf(1), math.Inf(-1)} {
		le(8, math.Float64bits(x))
	}
	want = append(want, 0, 0, 0, 0xaa, 0xaa)
	assert.Equal(t, want, d.Data)
	assert.Equal(t, uint64(len(want)), d.Size)
	assert.Equal(t, uint64(len(want)), sym(t, f, "a").Size)
	assert.Equal(t, objfmt.SymObject, sym(t, f, "a").Type)
}

func TestDataRelocations(t *testing.T) {
	f := mustAssemble(t, `
	.text
fn:	ret
	.data
p:	.quad fn, ext + 8, p, . , ext - 4
	.word ext, ext - ., fn - ., ext - p, here - p
here:	.long .Lloc - .
	.rodata
.Lloc:	.byte 0
`)
	d := sec(t, f, ".data")
	assert.Equal(t, []string{
		"0 reloc ABS64 .text",
		"8 reloc ABS64 ext+8",
		"16 reloc ABS64 .data",
		"24 reloc ABS64 .data+24",
		"32 reloc ABS64 ext-4",
		"40 reloc ABS32 ext",
		"44 reloc PC32 ext",
		"48 reloc PC32 .text",
		"52 reloc PC32 ext+52", // ext - p at P=52: S + (52 - 0) - P
		"60 reloc PC32 .rodata",
	}, relocs(f, d))
	// here - p is a constant: 60.
	assert.Equal(t, []byte{60, 0, 0, 0}, d.Data[56:60])
	// Relocated places hold zeros.
	assert.Equal(t, make([]byte, 8), d.Data[:8])
}

func TestSections(t *testing.T) {
	f := mustAssemble(t, `
	nop
	.section .text.foo
	nop
	.section .rodata.str, "a"
	.byte 1
	.section .data.x
	.section .bss.y
	.zero 16
	.section .note, ""
	.section "my sec", "awx"
	.section .custom, "aw", @nobits
	.space 4
	.bss
	.align 16
	.zero 1
	.text
	nop
`)
	type info struct {
		Name  string
		Kind  objfmt.SectionKind
		Flags objfmt.SectionFlags
		Align uint64
		Size  uint64
	}
	var got []info
	for _, s := range f.Sections {
		got = append(got, info{s.Name, s.Kind, s.Flags, s.Align, s.Size})
		if s.Kind == objfmt.KindNobits {
			assert.Nil(t, s.Data, s.Name)
		}
	}
	A, W, X := objfmt.FlagAlloc, objfmt.FlagWrite, objfmt.FlagExec
	P, N := objfmt.KindProgbits, objfmt.KindNobits
	assert.Equal(t, []info{
		{".text", P, A | X, 8, 16},
		{".text.foo", P, A | X, 8, 8},
		{".rodata.str", P, A, 1, 1},
		{".data.x", P, A | W, 1, 0},
		{".bss.y", N, A | W, 1, 16},
		{".note", P, 0, 1, 0},
		{"my sec", P, A | W | X, 8, 0},
		{".custom", N, A | W, 1, 4},
		{".bss", N, A | W, 16, 1},
	}, got)
}

func TestAlign(t *testing.T) {
	f := mustAssemble(t, `
	.text
	nop
	.align 32
	ret
	.balign 16, 0xff
	.data
	.byte 1
	.p2align 2
	.byte 2
	.align 8, 7
	.byte 3
`)
	text := sec(t, f, ".text")
	nop := isa.Encode(isa.NOP, 0, 0, 0, 0)
	words := func(d []byte) []uint64 {
		var w []uint64
		for i := 0; i+8 <= len(d); i += 8 {
			w = append(w, binary.LittleEndian.Uint64(d[i:]))
		}
		return w
	}
	ret := isa.Encode(isa.RET, 0, 0, 0, 0)
	assert.Equal(t, []uint64{nop, nop, nop, nop, ret, math.MaxUint64}, words(text.Data))
	assert.Equal(t, uint64(32), text.Align)
	data := sec(t, f, ".data")
	assert.Equal(t, []byte{1, 0, 0, 0, 2, 7, 7, 7, 3}, data.Data)
	assert.Equal(t, uint64(8), data.Align)
}

func TestSymbols(t *testing.T) {
	f := mustAssemble(t, `
	.global main, counter
	.weak hook
	.text
main:	call helper
	call puts
	call hook
	ret
helper:	nop
.Llocal:
1:	ret
	.size helper, 8
	.type obj_in_text, @object
obj_in_text:
	.quad 0
	.data
counter: .quad 0
table:	.quad 1, 2
	.type table2, @function
table2:	.byte 0
	.set ABSV, 42
	.global ABSV
	.equ alias, table + 8
	.global alias
	.extern unused
	.bss
buf:	.zero 100
`)
	type s struct {
		Name    string
		Bind    objfmt.SymBind
		Type    objfmt.SymType
		Section int
		Value   uint64
		Size    uint64
	}
	var got []s
	for _, y := range f.Symbols {
		got = append(got, s{y.Name, y.Bind, y.Type, y.Section, y.Value, y.Size})
	}
	L, G, W := objfmt.BindLocal, objfmt.BindGlobal, objfmt.BindWeak
	assert.Equal(t, []s{
		{"helper", L, objfmt.SymFunc, 0, 32, 8},
		{"obj_in_text", L, objfmt.SymObject, 0, 48, 8},
		{"table", L, objfmt.SymObject, 1, 8, 16},
		{"table2", L, objfmt.SymFunc, 1, 24, 1},
		{"buf", L, objfmt.SymObject, 2, 0, 100},
		{"main", G, objfmt.SymFunc, 0, 0, 32},
		{"counter", G, objfmt.SymObject, 1, 0, 8},
		{"hook", W, objfmt.SymNoType, objfmt.SecUndef, 0, 0},
		{"puts", G, objfmt.SymNoType, objfmt.SecUndef, 0, 0},
		{"ABSV", G, objfmt.SymNoType, objfmt.SecAbs, 42, 0},
		{"alias", G, objfmt.SymNoType, 1, 16, 0},
	}, got)
	// helper is local and in the same section: resolved, no relocation.
	assert.Equal(t, []string{"8 reloc INSN_PC puts", "16 reloc INSN_PC hook"}, relocs(f, sec(t, f, ".text")))
}

func TestSectionSymbolsFirst(t *testing.T) {
	f := mustAssemble(t, "\t.global g\ng:\tla r1, d\n\t.data\nd:\t.quad g\n")
	require.Len(t, f.Symbols, 3)
	assert.Equal(t, objfmt.Symbol{Type: objfmt.SymSection, Section: 1}, f.Symbols[0])
	assert.Equal(t, "d", f.Symbols[1].Name)
	assert.Equal(t, "g", f.Symbols[2].Name)
	assert.Equal(t, []string{"0 reloc INSN_PC .data"}, relocs(f, sec(t, f, ".text")))
	assert.Equal(t, []string{"0 reloc ABS64 g"}, relocs(f, sec(t, f, ".data")))
}

func TestExpressions(t *testing.T) {
	tests := []struct {
		expr string
		want int64
	}{
		{"1 + 2 * 3", 7},
		{"(1 + 2) * 3", 9},
		{"1 << 2 + 1", 8},
		{"1 | 2 ^ 3 & 1", 3},
		{"6 & 3 | 8", 10},
		{"-7 / 2", -3},
		{"-7 % 2", -1},
		{"~0", -1},
		{"- -5", 5},
		{"+5", 5},
		{"-1 >> 1", -1},
		{"0x10 + 0b11 + 0o7 + 010", 36},
		{"'\\\\' + '\\'' + '\\0' + '\\x41'", 92 + 39 + 0 + 65},
		{"'\\101'", 65},
		{"'é'", 0xe9},
		{"K * 2", 84},
		{"1 << 64", 0},
		{"-1 >> 70", -1},
		{"-9223372036854775807 - 1 / -1", -9223372036854775807 - (-1)},
		{"(-9223372036854775807 - 1) / -1", math.MinInt64},
		{"end - start", 16},
		{". - start", 8},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			f := mustAssemble(t, fmt.Sprintf("K = 42\n\t.data\nstart:\t.quad 0\n\t.quad %s\nend:\n", tt.expr))
			got := int64(binary.LittleEndian.Uint64(sec(t, f, ".data").Data[8:]))
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestEquates(t *testing.T) {
	f := mustAssemble(t, `
	.data
	.set x, 1
	.byte x
	.set x, x + 1
	.byte x
	x = x * 10
	.byte x
	.equ y, later
	.byte y
	.byte fwd
fwd = 9
later = 5
`)
	// A use before the first definition in the file sees the final value
	// of the equate.
	assert.Equal(t, []byte{1, 2, 20, 5, 9}, sec(t, f, ".data").Data)
	assert.Empty(t, f.Symbols, "local equates are not in the symbol table")
}

func TestLocalLabels(t *testing.T) {
	f := mustAssemble(t, `
1:	nop
	jmp 1b
	jmp 1f
1:	jmp 1b
	jmp 2f
2:	jmp 1b
.Lx:	jmp .Lx
`)
	text := sec(t, f, ".text")
	var imms []int32
	for i := 8; i < len(text.Data); i += 8 {
		imms = append(imms, isa.Decode(binary.LittleEndian.Uint64(text.Data[i:])).Imm)
	}
	assert.Equal(t, []int32{-8, 8, 0, 8, -16, 0}, imms)
	assert.Empty(t, f.Symbols)
	assert.Empty(t, text.Relocs)
}

func TestLineTable(t *testing.T) {
	f := mustAssemble(t, "main:\n\tnop; li r1, 1 << 40\n\n  ret\n\t.data\n\t.quad 1\n")
	assert.Equal(t, []objfmt.Line{
		{Offset: 0, File: "t.s", Line: 2, Col: 2},
		{Offset: 8, File: "t.s", Line: 2, Col: 7},
		{Offset: 24, File: "t.s", Line: 4, Col: 3},
	}, sec(t, f, ".text").Lines)
	assert.Empty(t, sec(t, f, ".data").Lines)
}

// memFS returns a ReadFile over an in-memory file set.
func memFS(files map[string]string) func(string) ([]byte, error) {
	return func(name string) ([]byte, error) {
		if s, ok := files[filepath.ToSlash(name)]; ok {
			return []byte(s), nil
		}
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
}

func TestInclude(t *testing.T) {
	files := map[string]string{
		"src/defs.s":       ".include \"sub/more.s\"\nA = 1\n",
		"src/sub/more.s":   "\tnop\n",
		"inc/lib.s":        "B = 2\n\tret\n",
		"src/local.s":      "C = 3\n",
		"inc/local.s":      "C = 4\n",
		"src/bad.s":        "\n\tfrob\n",
		"src/cycle_a.s":    ".include \"cycle_b.s\"\n",
		"src/cycle_b.s":    ".include \"cycle_a.s\"\n",
		"src/with_label.s": "",
	}
	opts := Options{IncludeDirs: []string{"inc"}, ReadFile: memFS(files)}
	f, err := Assemble("src/main.s", []byte(".include \"defs.s\"\nx: .include \"lib.s\"\n.include \"local.s\"\n\tli r1, A + B * 10 + C * 100\n"), opts)
	require.NoError(t, err)
	text := sec(t, f, ".text")
	require.Len(t, text.Data, 24)
	assert.Equal(t, int32(321), isa.Decode(binary.LittleEndian.Uint64(text.Data[16:])).Imm, "local.s relative to the including file wins")
	assert.Equal(t, []objfmt.Line{
		{Offset: 0, File: "src/sub/more.s", Line: 1, Col: 2},
		{Offset: 8, File: "inc/lib.s", Line: 2, Col: 2},
		{Offset: 16, File: "src/main.s", Line: 4, Col: 2},
	}, text.Lines)
	assert.Equal(t, uint64(8), sym(t, f, "x").Value)

	_, err = Assemble("src/main.s", []byte("\tnop\n.include \"bad.s\"\n"), opts)
	require.Error(t, err)
	assert.Equal(t, `src/bad.s:2:2: error: unknown mnemonic "frob"`, err.Error())

	_, err = Assemble("src/main.s", []byte(".include \"cycle_a.s\"\n"), opts)
	require.Error(t, err)
	assert.Equal(t, `src/cycle_b.s:1:10: error: include cycle: src/main.s -> src/cycle_a.s -> src/cycle_b.s -> src/cycle_a.s`, err.Error())

	_, err = Assemble("src/main.s", []byte(".include \"nope.s\"\n"), opts)
	require.Error(t, err)
	assert.Equal(t, `src/main.s:1:10: error: cannot find include file "nope.s"`, err.Error())
}

func TestIncludeFromDisk(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "a.s"), []byte("V = 7\n"), 0o644))
	main := filepath.Join(dir, "main.s")
	f, err := Assemble(main, []byte(".include \"a.s\"\n\t.data\n\t.byte V\n"), Options{})
	require.NoError(t, err)
	assert.Equal(t, []byte{7}, sec(t, f, ".data").Data)
}

func TestDeterministic(t *testing.T) {
	src, err := os.ReadFile("testdata/pseudo.s")
	require.NoError(t, err)
	f1, err := Assemble("pseudo.s", src, Options{})
	require.NoError(t, err)
	f2, err := Assemble("pseudo.s", src, Options{})
	require.NoError(t, err)
	assert.Equal(t, f1, f2)
	b1, err := f1.Encode()
	require.NoError(t, err)
	b2, err := f2.Encode()
	require.NoError(t, err)
	assert.Equal(t, b1, b2)
}

// TestObjfmtRoundTrip checks that every golden file's output is a valid
// object that survives encoding and parsing.
func TestObjfmtRoundTrip(t *testing.T) {
	for _, name := range goldenFiles(t, false) {
		f, err := assembleFile(t, name)
		require.NoError(t, err)
		b, err := f.Encode()
		require.NoError(t, err, name)
		g, err := objfmt.Parse(b)
		require.NoError(t, err, name)
		assert.Equal(t, f, g, name)
	}
}

// TestDisasmReassembles checks, for every opcode, that isa.Disasm's output
// assembles back to the same word. Targets are disassembled as addresses;
// the assembler reads a constant target as an offset in the current
// section, which is the address in a relocatable module.
func TestDisasmReassembles(t *testing.T) {
	const pc = 0x40
	for op := range isa.NumOps {
		info := isa.Table[op]
		t.Run(info.Name, func(t *testing.T) {
			uses := info.Format.Uses()
			for _, imm := range []int32{0, 5, -8, 0x7fffffff, -0x80000000} {
				if op == isa.SHLI || op == isa.SHRI || op == isa.SARI {
					imm &= 63
				}
				in := isa.Inst{Op: op}
				if uses.RA {
					in.RA = 1
				}
				if uses.RB {
					in.RB = isa.RegSP
				}
				if uses.RC {
					in.RC = isa.RegIP
				}
				if uses.Imm {
					in.Imm = imm
				}
				w := isa.Encode(in.Op, in.RA, in.RB, in.RC, in.Imm)
				next := uint64(0x8000000000000000) + uint64(imm)
				text := isa.Disasm(w, next, pc, nil)
				f, err := Assemble("rt.s", []byte(fmt.Sprintf("\t.space %d\n\t%s\n", pc, text)), Options{})
				require.NoError(t, err, text)
				data := sec(t, f, ".text").Data[pc:]
				require.Len(t, data, 8*info.Format.Words(), text)
				assert.Equal(t, w, binary.LittleEndian.Uint64(data), text)
				if info.Format == isa.FmtRK {
					assert.Equal(t, next, binary.LittleEndian.Uint64(data[8:]), text)
				}
			}
		})
	}
}

// TestGrammarDocumented checks that the EBNF in parseFile's doc comment is
// the parser's grammar.
func TestGrammarDocumented(t *testing.T) {
	src, err := os.ReadFile("parse.go")
	require.NoError(t, err)
	for _, line := range strings.Split(strings.TrimSpace(lineParser().String()), "\n") {
		assert.Contains(t, string(src), "//\t"+line+"\n")
	}
}

func TestNoInputNoSections(t *testing.T) {
	f := mustAssemble(t, "# nothing here\n\n// at all\n")
	assert.Equal(t, objfmt.TypeRel, f.Type)
	assert.Empty(t, f.Sections)
	assert.Empty(t, f.Symbols)
}

func TestLastLineWithoutNewline(t *testing.T) {
	f := mustAssemble(t, "\tnop\n\tret")
	assert.Len(t, sec(t, f, ".text").Data, 16)
}

// TestDocExample assembles the example of docs/asm.md.
func TestDocExample(t *testing.T) {
	doc, err := os.ReadFile("../docs/asm.md")
	require.NoError(t, err)
	_, rest, ok := strings.Cut(string(doc), "## Example\n\n```\n")
	require.True(t, ok)
	src, _, ok := strings.Cut(rest, "```")
	require.True(t, ok)
	f, err := Assemble("hello.s", []byte(src), Options{})
	require.NoError(t, err)
	assert.Equal(t, objfmt.SymFunc, sym(t, f, "_start").Type)
	assert.Equal(t, objfmt.BindGlobal, sym(t, f, "strlen").Bind)
	assert.Equal(t, uint64(4096), sec(t, f, ".bss").Size)
	assert.Equal(t, []string{"0 reloc ABS64 strlen", "8 reloc ABS64 .rodata+7", "16 reloc PC32 .rodata"}, relocs(f, sec(t, f, ".data")))
}

// TestCodeLabelTypes checks which code labels are functions: global ones,
// called ones and ones whose address is taken, but not labels that are only
// jumped or branched to, which stay untyped inside their function.
func TestCodeLabelTypes(t *testing.T) {
	f := mustAssemble(t, `
	.text
	.global start
start:	call helper
loop:	beqz r0, done
	jmp loop
done:	la r1, cb
	ret
helper:	ret
cb:	jmp helper
`)
	type s struct {
		Name string
		Type objfmt.SymType
		Size uint64
	}
	var got []s
	for _, y := range f.Symbols {
		got = append(got, s{y.Name, y.Type, y.Size})
	}
	assert.Equal(t, []s{
		{"helper", objfmt.SymFunc, 8},
		{"loop", objfmt.SymNoType, 0},
		{"done", objfmt.SymNoType, 0},
		{"cb", objfmt.SymFunc, 8},
		{"start", objfmt.SymFunc, 40},
	}, got)
}
