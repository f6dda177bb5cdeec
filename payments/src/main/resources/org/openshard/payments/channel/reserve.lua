-- KEYS: channel hash, reservations hash. ARGV: admission id, amount, now ms, reservation ttl ms.
local h, rk = KEYS[1], KEYS[2]
if redis.call("EXISTS", h) == 0 then return fail("UNKNOWN_CHANNEL", "channel is not known to this seller") end
local reserved = redis.call("HGET", h, "reserved")
local res = redis.call("HGETALL", rk)
for i = 1, #res, 2 do
  local v = res[i + 1]
  local c = string.find(v, ":", 1, true)
  local amt, created = string.sub(v, 1, c - 1), string.sub(v, c + 1)
  if cmp(add(created, ARGV[4]), ARGV[3]) < 0 then
    reserved = satsub(reserved, amt)
    redis.call("HDEL", rk, res[i])
  end
end
redis.call("HSET", h, "reserved", reserved)
local f = redis.call("HMGET", h, "authorized", "consumed")
local available = satsub(satsub(f[1], f[2]), reserved)
if redis.call("HEXISTS", rk, ARGV[1]) == 1 then return reply("reserved", available) end
if cmp(ARGV[2], available) > 0 then return reply("short", available) end
redis.call("HSET", rk, ARGV[1], ARGV[2] .. ":" .. ARGV[3])
redis.call("HSET", h, "reserved", add(reserved, ARGV[2]))
return reply("reserved", available)
