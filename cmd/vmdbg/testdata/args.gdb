# run with arguments and standard input, start, kill, run again.
break done
run < in.txt
info registers r0
run
start
next 2
kill
kill
run < nope
run
