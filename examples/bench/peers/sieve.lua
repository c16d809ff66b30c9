-- The number of primes below N, by the sieve of Eratosthenes over one flag
-- per number, as examples/sieve does. Lua 5.1 (LuaJIT) and 5.4.
local n = tonumber(arg[1])
local composite = {}
for i = 0, n - 1 do composite[i] = false end
local i = 2
while i * i < n do
  if not composite[i] then
    for j = i * i, n - 1, i do composite[j] = true end
  end
  i = i + 1
end
local count = 0
for k = 2, n - 1 do
  if not composite[k] then count = count + 1 end
end
print(string.format("%d", count))
