// The Lua scripts RedisStore runs. A script runs atomically in Redis, so compare-and-set, the commit-id
// de-duplication and the PUBLISH that fans the commit out happen as one step, and every server process
// receives the commits of a key in the order Redis applied them.
//
// Keys: the epoch (one per Redis dataset), the key's hash { version, value }, the commit id's marker.
// Published message: "<first version>\n<epoch>\n<commit id>\n<values as a JSON array>".

/** Creates the epoch on first use; both scripts return it. */
const epochLua = `
local epoch = redis.call('GET', KEYS[1])
if not epoch then
  epoch = ARGV[1]
  redis.call('SET', KEYS[1], epoch)
end`;

/** KEYS: epoch, value hash. ARGV: epoch candidate. Returns { epoch, version, value or nil }. */
export const readScript = `${epochLua}
local version = tonumber(redis.call('HGET', KEYS[2], 'version') or '0')
return { epoch, version, redis.call('HGET', KEYS[2], 'value') }`;

/**
 * KEYS: epoch, value hash, commit-id marker. ARGV: epoch candidate, expected epoch, expected version
 * ('' for a blind write), channel, values JSON array, number of values, last value JSON, marker TTL (s).
 * Returns { 1, epoch, last version } or { 0, epoch, version, value or nil }.
 */
export const commitScript = `${epochLua}
local done = redis.call('GET', KEYS[3])
if done then return { 1, epoch, tonumber(done) } end
local version = tonumber(redis.call('HGET', KEYS[2], 'version') or '0')
if ARGV[3] ~= '' and (ARGV[2] ~= epoch or tonumber(ARGV[3]) ~= version) then
  return { 0, epoch, version, redis.call('HGET', KEYS[2], 'value') }
end
local last = version + tonumber(ARGV[6])
redis.call('HSET', KEYS[2], 'version', last, 'value', ARGV[7])
redis.call('SET', KEYS[3], last, 'EX', tonumber(ARGV[8]))
redis.call('PUBLISH', ARGV[4], (version + 1) .. '\\n' .. epoch .. '\\n' .. ARGV[9] .. '\\n' .. ARGV[5])
return { 1, epoch, last }`;
