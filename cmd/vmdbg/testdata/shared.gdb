# A program linked against libstd.vso: break in puts before it is bound,
# step through the lazy-binding PLT stub and watch the binding happen.
info sharedlibrary
break puts
break hello.s:7
run
stepi
stepi
stepi
stepi
stepi
stepi
bt
list
info sharedlibrary
finish
next 3
step
step
bt
continue
