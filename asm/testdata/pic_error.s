# Misused @got and @plt modifiers: one error per line.
	.text
f:
	.quad counter@got		// ERROR "@got is only allowed on the target of ldpc, lea and la, not in .quad"
	li r1, counter@got		// ERROR "@got is only allowed on the target of ldpc, lea and la"
	call f@got			// ERROR "@got is only allowed on the target of ldpc, lea and la"
	ldpc r1, f@plt			// ERROR "@plt is only allowed on the target of call, jmp and b"
	ldpc r1, r2@got			// ERROR "@got needs a symbol, not register r2"
	ldpc r1, 8@got			// ERROR "@got needs a symbol, not the constant 8"
	ldpc r1, counter@got+8		// ERROR "counter@got cannot have an addend (found 8): load the address from the GOT slot, then add the offset"
	call f+8@plt			// ERROR "f@plt cannot have an addend (found 8): a call through the PLT goes to the start of the function"
	jmp f@pcrel			// ERROR "unknown modifier @pcrel (expected @got or @plt)"
	ldpc r1, counter@got		// fine
	call f@plt			// fine
