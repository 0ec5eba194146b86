import type { Redis } from 'ioredis';
import type { CachedResponse, CacheStamp, CacheStats, ResponseCache } from './response-cache.js';

// Both scripts run atomically in Redis, so a store and an invalidation of the same tag never interleave.
const SET_SCRIPT = `
local n = tonumber(ARGV[3])
if #ARGV > 3 then
  for i = 1, n do
    if (redis.call('GET', KEYS[1 + n + i]) or '0') ~= ARGV[3 + i] then return 0 end
  end
end
local ttl = tonumber(ARGV[2])
redis.call('SET', KEYS[1], ARGV[1], 'EX', ttl)
for i = 1, n do
  redis.call('SADD', KEYS[1 + i], KEYS[1])
  if redis.call('TTL', KEYS[1 + i]) < ttl then redis.call('EXPIRE', KEYS[1 + i], ttl) end
end
return 1`;

const INVALIDATE_SCRIPT = `
local n = #KEYS / 2
local evicted = 0
for i = 1, n do
  redis.call('INCR', KEYS[n + i])
  redis.call('EXPIRE', KEYS[n + i], 86400)
  for _, key in ipairs(redis.call('SMEMBERS', KEYS[i])) do evicted = evicted + redis.call('DEL', key) end
  redis.call('DEL', KEYS[i])
end
return evicted`;

type ScriptedRedis = Redis & {
  responseCacheSet(numKeys: number, ...args: (string | number)[]): Promise<number>;
  responseCacheInvalidate(numKeys: number, ...keys: string[]): Promise<number>;
};

/**
 * Tagged cache shared by every replica. An entry is a key with a TTL; each tag is a set of the entry
 * keys carrying it plus a version counter. Invalidation bumps the versions and deletes exactly the
 * members of the tag sets, so every replica sees it at once (there is no per-process layer to clear).
 * Keys live under the client's key prefix (ctx.redisPrefix). Assumes one Redis, not Redis Cluster.
 */
export class RedisResponseCache implements ResponseCache {
  private readonly redis: ScriptedRedis;
  private readonly counters: CacheStats = { hits: 0, misses: 0, invalidations: 0 };

  constructor(redis: Redis) {
    this.redis = redis as ScriptedRedis;
    if (!this.redis.responseCacheSet) {
      redis.defineCommand('responseCacheSet', { lua: SET_SCRIPT });
      redis.defineCommand('responseCacheInvalidate', { lua: INVALIDATE_SCRIPT });
    }
  }

  async get(key: string): Promise<CachedResponse | undefined> {
    const raw = await this.redis.get(entryKey(key));
    if (raw === null) {
      this.counters.misses++;
      return undefined;
    }
    this.counters.hits++;
    return JSON.parse(raw) as CachedResponse;
  }

  async stamp(tags: string[]): Promise<CacheStamp> {
    const unique = [...new Set(tags)];
    if (unique.length === 0) return '';
    const versions = await this.redis.mget(unique.map(versionKey));
    return versions.map((v) => v ?? '0').join(',');
  }

  async set(key: string, value: CachedResponse, tags: string[], ttlSeconds: number, stamp?: CacheStamp): Promise<boolean> {
    const unique = [...new Set(tags)];
    const keys = [entryKey(key), ...unique.map(tagKey), ...unique.map(versionKey)];
    const expected = stamp !== undefined && unique.length > 0 ? stamp.split(',') : [];
    const stored = await this.redis.responseCacheSet(
      keys.length,
      ...keys,
      JSON.stringify(value),
      Math.max(1, Math.round(ttlSeconds)),
      unique.length,
      ...expected,
    );
    return stored === 1;
  }

  async invalidate(tags: string[]): Promise<void> {
    const unique = [...new Set(tags)];
    if (unique.length === 0) return;
    const keys = [...unique.map(tagKey), ...unique.map(versionKey)];
    await this.redis.responseCacheInvalidate(keys.length, ...keys);
    this.counters.invalidations++;
  }

  stats(): CacheStats {
    return { ...this.counters };
  }

  async close(): Promise<void> {}
}

const entryKey = (key: string) => `cache:entry:${key}`;
const tagKey = (tag: string) => `cache:tag:${tag}`;
const versionKey = (tag: string) => `cache:version:${tag}`;
