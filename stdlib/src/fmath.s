# fmath.s: the f64 functions that are single instructions: sqrt, fabs,
# floor, ceil, trunc. Exact (correctly rounded) on every host.

        .text
        .global sqrt, fabs, floor, ceil, trunc

# double sqrt(double x)
sqrt:
        fsqrt r0, r0
        ret

# double fabs(double x)
fabs:
        fabs  r0, r0
        ret

# double floor(double x)
floor:
        ffloor r0, r0
        ret

# double ceil(double x)
ceil:
        fceil r0, r0
        ret

# double trunc(double x)
trunc:
        ftrunc r0, r0
        ret
