-- Remove up to LIMIT peers whose deadline is before now. The script runs atomically, so when several
-- replicas prune at once each expired peer is removed - and its REMOVED("expired") published - once.
-- ARGV: 1 prefix, 2 now ms, 3 limit
-- Returns the number of peers removed.
local p = ARGV[1]
local dkey = p .. 'deadlines'
local ids = redis.call('ZRANGEBYSCORE', dkey, '-inf', '(' .. ARGV[2], 'LIMIT', 0, tonumber(ARGV[3]))
local n = 0
for _, peer in ipairs(ids) do
  if redis.call('ZREM', dkey, peer) == 1 then
    local pkey = p .. 'peer:' .. peer
    local svcs = redis.call('HGET', pkey, 'svcs')
    if svcs then
      for s in string.gmatch(svcs, '[^,]+') do
        redis.call('SREM', p .. 'svc:' .. s, peer)
      end
    end
    local rm = redis.call('HGET', pkey, 'rmx')
    redis.call('DEL', pkey)
    if rm then
      redis.call('PUBLISH', p .. 'events', 'R\n' .. rm)
    end
    n = n + 1
  end
end
return n
