# A breakpoint in a module the program will dlopen: pending until then.
break plugin_main
info breakpoints
run
info sharedlibrary
bt
next
continue
info breakpoints
