# A conditional breakpoint, and finish out of the recursion.
break fib if r0 == 2
run
bt
finish
finish
info breakpoints
delete
break fib if $r0 + 1 == 2
break fib if *0 == 1
continue
continue
