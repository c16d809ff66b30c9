# The Benchmarks Game's fannkuch-redux, as examples/fannkuchredux does:
# permutations in the reference order (count vector), the checksum of the
# flip counts and the largest.
import sys


def fannkuch(n):
    perm1 = list(range(n))
    count = [0] * n
    max_flips = checksum = 0
    sign = 1
    r = n
    while True:
        while r != 1:
            count[r - 1] = r
            r -= 1
        perm = perm1[:]
        flips = 0
        k = perm[0]
        while k:
            perm[: k + 1] = perm[k::-1]
            flips += 1
            k = perm[0]
        max_flips = max(max_flips, flips)
        checksum += sign * flips
        sign = -sign
        while True:
            if r == n:
                return checksum, max_flips
            perm1.insert(r, perm1.pop(0))
            count[r] -= 1
            if count[r] > 0:
                break
            r += 1


n = int(sys.argv[1])
checksum, flips = fannkuch(n)
print(f"{checksum}\nPfannkuchen({n}) = {flips}")
