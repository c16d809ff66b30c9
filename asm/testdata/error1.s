// Errors, one per line; TestGoldenErrors checks each message exactly.
	.text
	frob r1                 // ERROR "unknown mnemonic \"frob\""
	add r1, r2, 5           // ERROR "add operand 3 must be a register (add ra, rb, rc)"
	add r1, r2              // ERROR "add expects 3 operands (add ra, rb, rc), got 2"
	addi r1, r2, 0x100000000 // ERROR "immediate out of range: 4294967296 does not fit in 32 bits"
	jmp 3b                  // ERROR "undefined local label 3b"
dup:	nop
dup:	nop                 // ERROR "label \"dup\" already defined at testdata/error1.s:8:1"
	jmp .Lnowhere           // ERROR "undefined assembler-local label \".Lnowhere\""
	.frob 1                 // ERROR "unknown directive \".frob\""
	.ascii "a\qb"           // ERROR "unknown escape sequence \\q"
