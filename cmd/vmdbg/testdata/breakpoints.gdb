# Breakpoints by symbol, by file:line, by line, by address, temporary.
break fib
break fib.s:36
break 40
break *fib+8
tbreak atoi
info breakpoints
run
continue
info breakpoints
delete 1 3
continue
continue
delete
continue
