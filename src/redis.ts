import { Redis } from 'ioredis';

export type { Redis };

/**
 * A Redis client for commands (cache, rate limits, budget). Commands fail fast instead of queueing
 * while Redis is down, so a request degrades or fails closed rather than hanging.
 */
export function createRedis(url: string, name = 'agi-tracker', keyPrefix = ''): Redis {
  const redis = new Redis(url, {
    // Tests isolate themselves on a shared Redis with a prefix; production uses none, so keys
    // such as llm_budget:daily:YYYY-MM-DD are exactly as the seed guide names them.
    keyPrefix,
    connectionName: name,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    connectTimeout: 2_000,
    commandTimeout: 2_000,
    retryStrategy: (times) => Math.min(times * 200, 2_000),
    lazyConnect: false,
  });
  // Connection errors are reported by the readiness check; without a listener they would crash the process.
  redis.on('error', () => {});
  return redis;
}

export async function pingRedis(redis: Redis, timeoutMs = 1_000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      redis.ping(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`redis ping timed out after ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
