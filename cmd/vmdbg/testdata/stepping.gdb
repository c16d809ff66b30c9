# step, next, finish, stepi, nexti, with counts; an empty line does not repeat in scripts.
break fib.s:12
run
next
step
step 3
next
next
nexti
stepi
stepi 2
bt
finish
next 2
step
bt
kill
