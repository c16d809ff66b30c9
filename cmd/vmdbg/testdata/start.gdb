# start: run to main with a temporary breakpoint; next over libstd calls.
start
info breakpoints
next
next
next 4
next
next
