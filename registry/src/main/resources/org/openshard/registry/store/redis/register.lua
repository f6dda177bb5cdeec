-- Register or replace a peer's registration atomically (REG-11 anti-replay included).
-- ARGV: 1 prefix, 2 peer id, 3 signed timestamp ms, 4 now ms, 5 deadline ms, 6 anti-replay retention ms,
--       7 RegisterRequest bytes, 8 sha256(heartbeat token), 9 LoadReport bytes, 10 service ids (comma-joined),
--       11 REMOVED("expired") event payload, 12 REMOVED("deregistered") event payload,
--       13 ADDED/UPDATED event payload
-- Returns {outcome, last accepted timestamp}: outcome is 'A' (added), 'U' (updated) or 'STALE'.
local p = ARGV[1]
local peer = ARGV[2]
local ts = tonumber(ARGV[3])
local now = tonumber(ARGV[4])
local tskey = p .. 'ts:' .. peer
local last = redis.call('GET', tskey)
if last and tonumber(last) >= ts then
  return {'STALE', last}
end
local pkey = p .. 'peer:' .. peer
local dkey = p .. 'deadlines'
local chan = p .. 'events'
local oldsvcs = redis.call('HGET', pkey, 'svcs')
local kind = 'A'
if oldsvcs then
  local dl = redis.call('ZSCORE', dkey, peer)
  if (not dl) or tonumber(dl) < now then
    -- The old registration expired but was not pruned yet: remove it first.
    for s in string.gmatch(oldsvcs, '[^,]+') do
      redis.call('SREM', p .. 'svc:' .. s, peer)
    end
    local rm = redis.call('HGET', pkey, 'rmx')
    redis.call('ZREM', dkey, peer)
    redis.call('DEL', pkey)
    if rm then
      redis.call('PUBLISH', chan, 'R\n' .. rm)
    end
    oldsvcs = nil
  else
    kind = 'U'
    local keep = {}
    for s in string.gmatch(ARGV[10], '[^,]+') do
      keep[s] = true
    end
    for s in string.gmatch(oldsvcs, '[^,]+') do
      if not keep[s] then
        redis.call('SREM', p .. 'svc:' .. s, peer)
      end
    end
  end
end
for s in string.gmatch(ARGV[10], '[^,]+') do
  redis.call('SADD', p .. 'svc:' .. s, peer)
end
redis.call('DEL', pkey)
redis.call('HSET', pkey, 'req', ARGV[7], 'tokh', ARGV[8], 'load', ARGV[9], 'hb', ARGV[4], 'svcs', ARGV[10],
  'rmx', ARGV[11], 'rmd', ARGV[12])
redis.call('ZADD', dkey, ARGV[5], peer)
redis.call('SET', tskey, ARGV[3], 'PX', ARGV[6])
if kind == 'U' then
  redis.call('PUBLISH', chan, 'U' .. oldsvcs .. '\n' .. ARGV[13])
else
  redis.call('PUBLISH', chan, 'A\n' .. ARGV[13])
end
return {kind, ARGV[3]}
