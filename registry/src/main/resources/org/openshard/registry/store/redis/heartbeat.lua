-- One heartbeat, one round trip. The token check compares SHA-256 digests of the tokens (the store
-- never holds the token itself), so a timing difference reveals nothing usable about the token.
-- ARGV: 1 prefix, 2 peer id, 3 sha256(token), 4 LoadReport bytes, 5 now ms, 6 new deadline ms
-- Returns 'OK', 'UNKNOWN' (not registered or already expired) or 'BADTOKEN'.
local pkey = ARGV[1] .. 'peer:' .. ARGV[2]
local t = redis.call('HGET', pkey, 'tokh')
if not t then
  return 'UNKNOWN'
end
local dkey = ARGV[1] .. 'deadlines'
local dl = redis.call('ZSCORE', dkey, ARGV[2])
if (not dl) or tonumber(dl) < tonumber(ARGV[5]) then
  return 'UNKNOWN'
end
if t ~= ARGV[3] then
  return 'BADTOKEN'
end
redis.call('HSET', pkey, 'load', ARGV[4], 'hb', ARGV[5])
redis.call('ZADD', dkey, ARGV[6], ARGV[2])
return 'OK'
