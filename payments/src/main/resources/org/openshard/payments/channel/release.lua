-- KEYS: channel hash, reservations hash. ARGV: admission id.
local h, rk = KEYS[1], KEYS[2]
if redis.call("EXISTS", h) == 0 then return fail("UNKNOWN_CHANNEL", "channel is not known to this seller") end
local v = redis.call("HGET", rk, ARGV[1])
if v then
  local c = string.find(v, ":", 1, true)
  redis.call("HSET", h, "reserved", satsub(redis.call("HGET", h, "reserved"), string.sub(v, 1, c - 1)))
  redis.call("HDEL", rk, ARGV[1])
end
return reply("released", "")
