-- KEYS: channel hash, reservations hash. ARGV: deposit, expiry, closed ("0"/"1").
if redis.call("EXISTS", KEYS[1]) == 0 then return fail("UNKNOWN_CHANNEL", "channel is not known to this seller") end
if cmp(ARGV[1], redis.call("HGET", KEYS[1], "deposit")) > 0 then redis.call("HSET", KEYS[1], "deposit", ARGV[1]) end
if cmp(ARGV[2], redis.call("HGET", KEYS[1], "expiry")) > 0 then redis.call("HSET", KEYS[1], "expiry", ARGV[2]) end
if ARGV[3] == "1" then redis.call("HSET", KEYS[1], "closed", "1") end
return reply("refreshed", "")
