# Bad commands get clear errors, never a crash; the session goes on.
frobnicate
st
continue
step
finish
set $r1 = 2
x
x/3z counter
x/0x counter
x/4g 0
print
print nosuch
print $r99
print 1 +
print (1
print 1 )
print 'ab'
print 99999999999999999999999
print &1
print 1 && 2
print/q 1
break fib.s:0
break nosuch.s:3
break watch.s:400
break *0x10
break counter
break foo bar
break counter if
break bump if r0 ==
watch/3 counter
watch nosuch
delete 9
delete x
info
info frobs
info symbol 0x10
set $pc = 3
set counter = 3
set $r1
list 9999
list nosuch
list -
step 0
next x
run 'unterminated
run < nope
run a < b < c
help frob
help bt
quit now
echo still here\n
quit
echo not reached\n
