# The Benchmarks Game's spectral-norm, as examples/spectralnorm does: ten
# rounds of the power method on the N x N matrix A(i, j) = 1 / ((i+j)(i+j+1)/2
# + i + 1).
import sys
from math import sqrt


def eval_A(i, j):
    ij = i + j
    return 1.0 / (ij * (ij + 1) // 2 + i + 1)


def Av(x, n):
    return [sum(eval_A(i, j) * x[j] for j in range(n)) for i in range(n)]


def Atv(x, n):
    return [sum(eval_A(j, i) * x[j] for j in range(n)) for i in range(n)]


def AtAv(x, n):
    return Atv(Av(x, n), n)


n = int(sys.argv[1])
u = [1.0] * n
for _ in range(10):
    v = AtAv(u, n)
    u = AtAv(v, n)
vBv = sum(ui * vi for ui, vi in zip(u, v))
vv = sum(vi * vi for vi in v)
print(f"{sqrt(vBv / vv):.9f}")
