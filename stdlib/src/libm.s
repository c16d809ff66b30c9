# libm.s: the f64 functions the VM computes (system call 18, math(fn, x,
# y)) with Go's pure-Go algorithms, so that results are bit-identical on
# every host: sin cos tan exp log pow fmod atan2 atan.

        .text
        .global sin, cos, tan, exp, log, pow, fmod, atan2, atan

# double sin(double x)
sin:
        li    r8, 0
        b     math
# double cos(double x)
cos:
        li    r8, 1
        b     math
# double tan(double x)
tan:
        li    r8, 2
        b     math
# double exp(double x)
exp:
        li    r8, 3
        b     math
# double log(double x): natural logarithm
log:
        li    r8, 4
        b     math
# double pow(double x, double y)
pow:
        li    r8, 5
        b     math
# double fmod(double x, double y): x - n*y, n = trunc(x/y), exactly
fmod:
        li    r8, 6
        b     math
# double atan2(double y, double x)
atan2:
        li    r8, 7
        b     math
# double atan(double x)
atan:
        li    r8, 8
        # fall through

# math: r8 = function, r0 = x, r1 = y -> sys 18 (r0 = fn, r1 = x, r2 = y).
math:
        mov   r2, r1
        mov   r1, r0
        mov   r0, r8
        sys   18
        ret
