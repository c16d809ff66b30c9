package asm

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"linkvm/objfmt"
)

func TestPICModifierErrors(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"data directive", "\t.quad counter@got\n", `t.s:1:15: error: @got is only allowed on the target of ldpc, lea and la, not in .quad`},
		{"data directive plt", "\t.word f@plt\n", `t.s:1:9: error: @plt is only allowed on the target of call, jmp and b, not in .word`},
		{"set", "\t.set x, y@got\n", `t.s:1:11: error: @got is only allowed on the target of ldpc, lea and la, not in .set`},
		{"assignment", "x = y@got\n", `t.s:1:6: error: unexpected token "@"`},
		{"li immediate", "\tli r1, x@got\n", `t.s:1:10: error: @got is only allowed on the target of ldpc, lea and la`},
		{"addi immediate", "\taddi r1, r2, x@got\n", `t.s:1:16: error: @got is only allowed on the target of ldpc, lea and la`},
		{"memory offset", "\tld64 r1, [r2 + x@got]\n", `t.s:1:18: error: unexpected token "@" (expected "]")`},
		{"got on a call", "\tcall f@got\n", `t.s:1:8: error: @got is only allowed on the target of ldpc, lea and la`},
		{"plt on ldpc", "\tldpc r1, x@plt\n", `t.s:1:12: error: @plt is only allowed on the target of call, jmp and b`},
		{"plt on a branch", "\tbeqz r1, f@plt\n", `t.s:1:12: error: @plt is only allowed on the target of call, jmp and b`},
		{"register", "\tldpc r1, r2@got\n", `t.s:1:13: error: @got needs a symbol, not register r2`},
		{"register operand", "\tldpc r1@got, x\n", `t.s:1:9: error: @got needs a symbol, not register r1`},
		{"constant", "\tldpc r1, 5@got\n", `t.s:1:11: error: @got needs a symbol, not the constant 5`},
		{"difference", "\tldpc r1, a - b@got\n", `t.s:1:11: error: @got needs a symbol, not a - b`},
		{"addend before", "\tldpc r1, x+4@got\n", `t.s:1:11: error: x@got cannot have an addend (found 4): load the address from the GOT slot, then add the offset`},
		{"addend after", "\tla r1, x@got+4\n", `t.s:1:9: error: x@got cannot have an addend (found 4): load the address from the GOT slot, then add the offset`},
		{"plt addend", "\tcall f@plt-8\n", `t.s:1:7: error: f@plt cannot have an addend (found -8): a call through the PLT goes to the start of the function`},
		{"addend not constant", "\tldpc r1, x@got+y\n", `t.s:1:16: error: the addend after @got must be a constant, found y`},
		{"unknown modifier", "\tldpc r1, x@gotpcrel\n", `t.s:1:12: error: unknown modifier @gotpcrel (expected @got or @plt)`},
		{"unknown modifier in data", "\t.quad x@tlsgd\n", `t.s:1:9: error: unknown modifier @tlsgd (expected @got or @plt)`},
		{"assembler-local label", "\tldpc r1, .Lx@got\n.Lx:\n", `t.s:1:11: error: @got needs a symbol that is in the symbol table, not the assembler-local label .Lx`},
		{"dot", "\tlea r1, .@got\n", `t.s:1:10: error: @got needs a symbol that is in the symbol table, not the assembler-local label .`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.want, assembleErr(t, tt.src, Options{}))
		})
	}
}

func TestPICRelocations(t *testing.T) {
	src := "\t.text\nf:\n\tldpc r1, data@got\n\tcall f@plt\n\tcall g@plt\n\tlea r2, g@got\n\t.data\ndata:\n\t.quad 1\n"
	f, err := Assemble("t.s", []byte(src), Options{})
	require.NoError(t, err)
	sym := func(r objfmt.Reloc) objfmt.Symbol { return f.Symbols[r.Sym] }
	text := f.Sections[0]
	require.Len(t, text.Relocs, 4)
	kinds := []objfmt.RelocKind{objfmt.RelInsnGot, objfmt.RelInsnPLT, objfmt.RelInsnPLT, objfmt.RelInsnGot}
	for i, r := range text.Relocs {
		require.Equal(t, uint64(8*i), r.Offset)
		require.Equal(t, kinds[i], r.Kind)
	}
	// @got names the local symbol itself, with no addend: its GOT slot
	// holds data's address.
	require.Equal(t, objfmt.Symbol{Name: "data", Bind: objfmt.BindLocal, Type: objfmt.SymObject, Section: 1, Size: 8}, sym(text.Relocs[0]))
	require.Equal(t, int64(0), text.Relocs[0].Addend)
	// @plt to a local function is emitted against its section, as a plain
	// call would be if it were not resolved at once.
	require.Equal(t, objfmt.SymSection, sym(text.Relocs[1]).Type)
	require.Equal(t, 0, sym(text.Relocs[1]).Section)
	require.Equal(t, int64(0), text.Relocs[1].Addend)
	// An undefined symbol becomes a global import; f, called, is a function.
	require.Equal(t, objfmt.Symbol{Name: "g", Bind: objfmt.BindGlobal, Section: objfmt.SecUndef}, sym(text.Relocs[2]))
	require.Equal(t, "g", sym(text.Relocs[3]).Name)
	for _, s := range f.Symbols {
		if s.Name == "f" {
			require.Equal(t, objfmt.SymFunc, s.Type)
		}
	}
	_, err = f.Encode()
	require.NoError(t, err)
}

// TestPICDocExample assembles the example of docs/asm.md, section
// "Position-independent code".
func TestPICDocExample(t *testing.T) {
	doc, err := os.ReadFile("../docs/asm.md")
	require.NoError(t, err)
	_, rest, ok := strings.Cut(string(doc), "## Position-independent code\n")
	require.True(t, ok)
	_, rest, ok = strings.Cut(rest, "\nExample:")
	require.True(t, ok)
	_, rest, ok = strings.Cut(rest, "```\n")
	require.True(t, ok)
	src, _, ok := strings.Cut(rest, "```")
	require.True(t, ok)
	f, err := Assemble("pic.s", []byte(src), Options{})
	require.NoError(t, err)
	require.Equal(t, []string{"8 reloc INSN_GOT counter", "40 reloc INSN_PC .rodata", "48 reloc INSN_PLT puts"}, relocs(f, sec(t, f, ".text")))
}
