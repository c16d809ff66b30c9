# Position-independent code: the @got and @plt operand modifiers
# (docs/asm.md, "Position-independent code").
	.text
	.global main
main:
	ldpc r1, counter@got		// 59010000 00000000 reloc INSN_GOT counter
	ldpc r2, counter@got+0		// 59020000 00000000 reloc INSN_GOT counter
	la r3, counter@got		// 07030000 00000000 reloc INSN_GOT counter
	lea r4, table@got		// 07040000 00000000 reloc INSN_GOT table
	ldpc r5, helper@got		// 59050000 00000000 reloc INSN_GOT helper
	ldpc r6, local_data@got		// 59060000 00000000 reloc INSN_GOT local_data
	call puts@plt			// 3e000000 00000000 reloc INSN_PLT puts
	call helper@plt			// 3e000000 00000000 reloc INSN_PLT helper
	call .Lnear@plt			// 3e000000 00000000 reloc INSN_PLT .text+104
	jmp exit@plt			// 3c000000 00000000 reloc INSN_PLT exit
	b abort@plt			// 3c000000 00000000 reloc INSN_PLT abort
	call puts			// 3e000000 00000000 reloc INSN_PC puts
	ldpc r7, literal		// 59070000 00000000 reloc INSN_PC .data+8
.Lnear:
	ret				// 40000000 00000000
	.global helper
helper:
	ret				// 40000000 00000000
	.data
local_data:
	.quad 0
literal:
	.quad 42
