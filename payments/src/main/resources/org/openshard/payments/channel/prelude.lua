-- Exact arithmetic on non-negative decimal strings (base units). Redis Lua numbers are IEEE
-- binary64 and lose precision above 2^53, so money is never converted to a Lua number.
local function cmp(a, b)
  if #a ~= #b then
    if #a < #b then return -1 end
    return 1
  end
  if a == b then return 0 end
  if a < b then return -1 end
  return 1
end

local function add(a, b)
  local out, carry = {}, 0
  local i, j = #a, #b
  while i > 0 or j > 0 or carry > 0 do
    local s = carry
    if i > 0 then s = s + string.byte(a, i) - 48; i = i - 1 end
    if j > 0 then s = s + string.byte(b, j) - 48; j = j - 1 end
    if s >= 10 then s = s - 10; carry = 1 else carry = 0 end
    out[#out + 1] = string.char(48 + s)
  end
  local r = string.reverse(table.concat(out))
  if r == "" then return "0" end
  return r
end

-- a - b for a >= b
local function sub(a, b)
  local out, borrow = {}, 0
  local i, j = #a, #b
  while i > 0 do
    local d = string.byte(a, i) - 48 - borrow
    if j > 0 then d = d - (string.byte(b, j) - 48); j = j - 1 end
    if d < 0 then d = d + 10; borrow = 1 else borrow = 0 end
    out[#out + 1] = string.char(48 + d)
    i = i - 1
  end
  local r = (string.gsub(string.reverse(table.concat(out)), "^0+", ""))
  if r == "" then return "0" end
  return r
end

local function satsub(a, b)
  if cmp(a, b) <= 0 then return "0" end
  return sub(a, b)
end

local function minv(a, b)
  if cmp(a, b) <= 0 then return a end
  return b
end

local function reply(flag, value)
  return {"OK", flag, value, redis.call("HGETALL", KEYS[1]), redis.call("HGETALL", KEYS[2])}
end

local function fail(reason, message)
  return {"ERR", reason, message}
end
