// Pseudo-instructions and the relocations instructions get.
	.equ N, 10
	.global g
	.weak w
	.text
f:
	li r1, 5                // 05010000 05000000
	li r1, -2147483648      // 05010000 00000080
	li r1, 0xffffffffffffffff // 05010000 ffffffff
	li r1, 2147483648       // 06010000 00000000 00000080 00000000
	li r1, N * 2            // 05010000 14000000
	li r1, LATER            // 06010000 00000000 07000000 00000000
	li r1, end - f          // 06010000 00000000 98010000 00000000
	li r1, . - f            // 05010000 50000000
	li r1, ext              // 06010000 00000000 00000000 00000000 reloc ABS64 ext
	li r1, msg + 4          // 06010000 00000000 00000000 00000000 reloc ABS64 .rodata+4
	li64 r2, -1             // 06020000 00000000 ffffffff ffffffff
	li64 r2, g              // 06020000 00000000 00000000 00000000 reloc ABS64 g
	la r2, msg              // 07020000 00000000 reloc INSN_PC .rodata
	la r2, f                // 07020000 60ffffff
	fli r3, 1.5             // 06030000 00000000 00000000 0000f83f
	fli r3, -2              // 06030000 00000000 00000000 000000c0
	fli r3, -inf            // 06030000 00000000 00000000 0000f0ff
	subi r1, r2, 8          // 15010200 f8ffffff
	subi r1, r2, -2147483647 // 15010200 ffffff7f
	bgt r1, r2, f           // 43020100 18ffffff
	ble r1, r2, f           // 44020100 10ffffff
	bgtu r1, r2, f          // 45020100 08ffffff
	bleu r1, r2, f          // 46020100 00ffffff
	b f                     // 3c000000 f8feffff
	call ext                // 3e000000 00000000 reloc INSN_PC ext
	call ext + 8            // 3e000000 00000000 reloc INSN_PC ext+8
	call g                  // 3e000000 00000000 reloc INSN_PC g
	call w                  // 3e000000 00000000 reloc INSN_PC w
	call other              // 3e000000 00000000 reloc INSN_PC .text.other+8
	beqz r1, .Lskip         // 47010000 10000000
	bnez r1, msg            // 48010000 00000000 reloc INSN_PC .rodata
.Lskip:
	ld64 r1, [r2 + msg]     // 33010200 00000000 reloc INSN_ABS .rodata
	addi r1, r1, ext + 4    // 15010100 00000000 reloc INSN_ABS ext+4
	sys SYSNUM              // 03000000 00000000 reloc INSN_ABS SYSNUM
	andi r1, r1, ~0xf       // 17010100 f0ffffff
	ori r1, r1, 1 << 4 | 1  // 18010100 11000000
	muli r1, r1, (2 + 3) * 4 - 30 / 7 % 3 // 16010100 13000000
	xori r1, r1, 'a' + '\n' // 19010100 6b000000
	slti r1, r1, 0b101 + 0o17 + 0x10 // 27010100 24000000
g:	ret                     // 40000000 00000000
	jmp g                   // 3c000000 00000000 reloc INSN_PC g
end:
	.equ LATER, 7

	.section .text.other, "ax"
	nop                     // 02000000 00000000
other:	ret                 // 40000000 00000000
	jmp f                   // 3c000000 00000000 reloc INSN_PC .text
	lea r1, .               // 07010000 00000000

	.section .rodata
msg:	.asciz "hello"
