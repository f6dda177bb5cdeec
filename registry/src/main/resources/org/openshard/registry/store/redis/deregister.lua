-- Remove a peer at once (anti-replay as for registrations).
-- ARGV: 1 prefix, 2 peer id, 3 signed timestamp ms, 4 now ms, 5 anti-replay retention ms
-- Returns {outcome, last accepted timestamp}: 'REMOVED', 'NONE' (nothing live) or 'STALE'.
local p = ARGV[1]
local peer = ARGV[2]
local tskey = p .. 'ts:' .. peer
local last = redis.call('GET', tskey)
if last and tonumber(last) >= tonumber(ARGV[3]) then
  return {'STALE', last}
end
redis.call('SET', tskey, ARGV[3], 'PX', ARGV[5])
local pkey = p .. 'peer:' .. peer
local svcs = redis.call('HGET', pkey, 'svcs')
if not svcs then
  return {'NONE', ARGV[3]}
end
local dkey = p .. 'deadlines'
local dl = redis.call('ZSCORE', dkey, peer)
local live = dl and tonumber(dl) >= tonumber(ARGV[4])
for s in string.gmatch(svcs, '[^,]+') do
  redis.call('SREM', p .. 'svc:' .. s, peer)
end
local rm
if live then
  rm = redis.call('HGET', pkey, 'rmd')
else
  rm = redis.call('HGET', pkey, 'rmx')
end
redis.call('ZREM', dkey, peer)
redis.call('DEL', pkey)
if rm then
  redis.call('PUBLISH', p .. 'events', 'R\n' .. rm)
end
if live then
  return {'REMOVED', ARGV[3]}
end
return {'NONE', ARGV[3]}
