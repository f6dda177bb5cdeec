-- Live peers of one service id (ARGV[3] non-empty) or of the given peer ids (ARGV[4..]).
-- ARGV: 1 prefix, 2 now ms, 3 service id or '', 4.. peer ids (when 3 is '')
-- Returns a flat list: peer id, RegisterRequest bytes, LoadReport bytes, last heartbeat ms, deadline ms, ... per peer.
local p = ARGV[1]
local now = tonumber(ARGV[2])
local dkey = p .. 'deadlines'
local members
if ARGV[3] ~= '' then
  members = redis.call('SMEMBERS', p .. 'svc:' .. ARGV[3])
else
  members = {}
  for i = 4, #ARGV do
    members[#members + 1] = ARGV[i]
  end
end
local out = {}
for _, peer in ipairs(members) do
  local dl = redis.call('ZSCORE', dkey, peer)
  if dl and tonumber(dl) >= now then
    local v = redis.call('HMGET', p .. 'peer:' .. peer, 'req', 'load', 'hb')
    if v[1] then
      out[#out + 1] = peer
      out[#out + 1] = v[1]
      out[#out + 1] = v[2] or ''
      out[#out + 1] = v[3] or '0'
      out[#out + 1] = dl
    end
  end
end
return out
