/**
 * Lua run atomically by Redis (ioredis `defineCommand`, EVALSHA), on Redis's own clock so that
 * processes with skewed clocks share one bucket fairly.
 */

/**
 * LEASE tenantBucket keyBucket ratePerMinute burst want → {granted, milliTokensLeft, msUntilFull}
 * Refills both token buckets (hashes {tokens, at}) for the time since they were last touched,
 * grants up to `want` tokens that both have, and keeps the rest. A negative `want` gives tokens
 * back (a lease this process did not use). keyBucket may equal tenantBucket (no key).
 */
export const LEASE_SCRIPT = `
local clock = redis.call('TIME')
local now = clock[1] * 1000 + math.floor(clock[2] / 1000)
local perMs = tonumber(ARGV[1]) / 60000
local burst = tonumber(ARGV[2])
local want = tonumber(ARGV[3])
local function level(key)
  local stored = redis.call('HMGET', key, 'tokens', 'at')
  local tokens = tonumber(stored[1]) or burst
  local at = tonumber(stored[2]) or now
  return math.min(burst, tokens + math.max(0, now - at) * perMs)
end
local tenant = level(KEYS[1])
local key = tenant
if KEYS[2] ~= KEYS[1] then key = level(KEYS[2]) end
local granted = want
if want >= 0 then granted = math.max(0, math.min(want, math.floor(math.min(tenant, key)))) end
local ttl = math.ceil(burst / perMs) + 1000
local function store(name, tokens)
  redis.call('HSET', name, 'tokens', tostring(tokens), 'at', tostring(now))
  redis.call('PEXPIRE', name, ttl)
end
tenant = math.min(burst, tenant - granted)
store(KEYS[1], tenant)
if KEYS[2] ~= KEYS[1] then
  key = math.min(burst, key - granted)
  store(KEYS[2], key)
end
local left = math.min(tenant, key)
return {granted, math.floor(left * 1000), math.ceil((burst - left) / perMs), tenant <= key and 1 or 0}
`;

/**
 * REPORT inFlightHash process running freshMs → others' running requests
 * Each process writes how many requests it has in flight for a tenant (with Redis's time), and
 * reads the sum of the other processes' fresh reports; a process that stopped reporting (gone)
 * drops out after `freshMs`.
 */
export const REPORT_SCRIPT = `
local clock = redis.call('TIME')
local now = clock[1] * 1000 + math.floor(clock[2] / 1000)
local fresh = tonumber(ARGV[3])
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2] .. ':' .. now)
redis.call('PEXPIRE', KEYS[1], fresh * 4)
local others = 0
local reports = redis.call('HGETALL', KEYS[1])
for index = 1, #reports, 2 do
  local process = reports[index]
  if process ~= ARGV[1] then
    local running, at = string.match(reports[index + 1], '^(%d+):(%d+)$')
    if running and now - tonumber(at) <= fresh then others = others + tonumber(running)
    else redis.call('HDEL', KEYS[1], process) end
  end
end
return others
`;
