# The number of primes below N, by the sieve of Eratosthenes over one byte
# per number, as examples/sieve does (crossing off with slice assignment).
import sys

n = int(sys.argv[1])
composite = bytearray(max(n, 2))
i = 2
while i * i < n:
    if not composite[i]:
        composite[i * i:n:i] = b"\x01" * len(range(i * i, n, i))
    i += 1
print(n - 2 - sum(composite[2:n]) if n > 2 else 0)
