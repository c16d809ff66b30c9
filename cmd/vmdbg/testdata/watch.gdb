# watch a counter, then the program traps: its state stays readable.
watch counter
watch/4 small
info breakpoints
run
bt
continue
delete 1
continue
print counter
bt
x/3i $pc - 8
info registers r9 r1 pc
step
run
