# libgreet's _init runs before the program's first instruction: vmdbg
# holds the program before it, so a breakpoint there stops.
info sharedlibrary
break _init
run
bt
stepi 5
continue
# Killed while it is in _init, during loading: then run afresh.
run
kill
delete 1
run
