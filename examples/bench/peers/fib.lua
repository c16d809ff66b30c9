-- fib(N) by naive recursion, as examples/fib does. Lua 5.1 (LuaJIT) and 5.4.
local function fib(n)
  if n < 2 then return n end
  return fib(n - 1) + fib(n - 2)
end

print(string.format("%d", fib(tonumber(arg[1]))))
