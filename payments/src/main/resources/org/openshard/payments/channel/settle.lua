-- KEYS: channel hash, reservations hash, settled-admission key. ARGV: admission id, cost, settled ttl ms.
local h, rk = KEYS[1], KEYS[2]
if redis.call("EXISTS", h) == 0 then return fail("UNKNOWN_CHANNEL", "channel is not known to this seller") end
local prev = redis.call("GET", KEYS[3])
if prev then return reply("repeated", prev) end
local v = redis.call("HGET", rk, ARGV[1])
if not v then return fail("UNKNOWN_ADMISSION", "no reservation for this admission") end
local c = string.find(v, ":", 1, true)
local amt = string.sub(v, 1, c - 1)
local f = redis.call("HMGET", h, "authorized", "consumed", "reserved")
local others = satsub(f[3], amt)
local room = satsub(satsub(f[1], f[2]), others)
local charged = minv(ARGV[2], room)
redis.call("HDEL", rk, ARGV[1])
redis.call("HSET", h, "reserved", others, "consumed", add(f[2], charged))
redis.call("SET", KEYS[3], charged, "PX", ARGV[3])
return reply("charged", charged)
