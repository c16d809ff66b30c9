-- The Benchmarks Game's binary-trees, as examples/binarytrees does (the
-- garbage collector frees the trees). Lua 5.1 (LuaJIT) and 5.4.
local function bottom_up_tree(depth)
  if depth > 0 then
    depth = depth - 1
    return { bottom_up_tree(depth), bottom_up_tree(depth) }
  end
  return {}
end

local function item_check(tree)
  if tree[1] then
    return 1 + item_check(tree[1]) + item_check(tree[2])
  end
  return 1
end

local n = tonumber(arg[1])
local min_depth = 4
local max_depth = math.max(min_depth + 2, n)

local stretch = max_depth + 1
io.write(string.format("stretch tree of depth %d\t check: %d\n",
  stretch, item_check(bottom_up_tree(stretch))))

local long_lived = bottom_up_tree(max_depth)
for depth = min_depth, max_depth, 2 do
  local iterations = 2 ^ (max_depth - depth + min_depth)
  local check = 0
  for _ = 1, iterations do
    check = check + item_check(bottom_up_tree(depth))
  end
  io.write(string.format("%d\t trees of depth %d\t check: %d\n",
    iterations, depth, check))
end
io.write(string.format("long lived tree of depth %d\t check: %d\n",
  max_depth, item_check(long_lived)))
