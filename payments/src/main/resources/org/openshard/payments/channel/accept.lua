-- KEYS: channel hash, reservations hash. ARGV: cumulative, sequence, usage digest hex, signature hex.
local h = KEYS[1]
if redis.call("EXISTS", h) == 0 then return fail("UNKNOWN_CHANNEL", "channel is not known to this seller") end
if redis.call("HGET", h, "closed") == "1" then return fail("CHANNEL_CLOSED", "channel is closed") end
local f = redis.call("HMGET", h, "v_sig", "v_cum", "v_seq", "v_digest", "last_seq", "authorized", "deposit")
if f[1] == ARGV[4] and f[2] == ARGV[1] and f[3] == ARGV[2] and f[4] == ARGV[3] then
  return reply("resend", "")
end
if cmp(ARGV[2], f[5]) <= 0 then
  return fail("STALE_VOUCHER", "voucher sequence " .. ARGV[2] .. " is not above " .. f[5])
end
if cmp(ARGV[1], f[6]) <= 0 then
  return fail("STALE_VOUCHER", "voucher amount does not increase the authorized total")
end
if cmp(ARGV[1], f[7]) > 0 then
  return fail("ABOVE_DEPOSIT", "voucher amount " .. ARGV[1] .. " is above the deposit " .. f[7])
end
redis.call("HSET", h, "authorized", ARGV[1], "last_seq", ARGV[2], "v_cum", ARGV[1], "v_seq", ARGV[2],
  "v_digest", ARGV[3], "v_sig", ARGV[4], "v_kind", "VOUCHER")
return reply("accepted", "")
