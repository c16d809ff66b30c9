# print, x, info registers, backtrace, disassemble, list, info symbol.
list
break bump
run
print counter
print small
print msg
print &counter
print $r9
print $pc
print/x $r9 + 10
print/d -1
print/u -1
print bump
print 'A' - 1
print $sp == $fp
x/s msg
x/8x counter
x
x/2g $sp
x/3dw counter
x/2ub msg
x/3i $pc
info registers
info registers r9 lr pc
info symbol $pc
info symbol counter
bt
disassemble
disassemble loop
list
list -
list -
list watch.s:3
list bump
set $r9 = 1
print $r9
delete
continue
print counter
