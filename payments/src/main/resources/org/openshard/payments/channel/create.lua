-- KEYS: channel hash, reservations hash. ARGV: field/value pairs of a fresh record.
if redis.call("EXISTS", KEYS[1]) == 0 then
  redis.call("HSET", KEYS[1], unpack(ARGV))
end
return reply("stored", "")
