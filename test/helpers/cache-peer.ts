/**
 * A second server process for the cross-replica cache test: same database and Redis (and Redis key
 * prefix) as the test's own server, built by the real buildServer with the cache probe routes.
 * Env: DATABASE_URL, REDIS_URL, PEER_REDIS_PREFIX. Prints {"port": n} once listening.
 */
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { createContext } from '../../src/app/context.js';
import { buildServer } from '../../src/http/server.js';
import { cacheProbeRoutes } from './cache-probe.js';

const config = loadConfig({
  ENVIRONMENT: 'test',
  LOG_LEVEL: 'silent',
  INGEST_ENABLED: 'false',
  RATE_LIMIT_PER_MINUTE: '100000',
  DATABASE_URL: process.env.DATABASE_URL,
  REDIS_URL: process.env.REDIS_URL,
});
const ctx = await createContext(config, createLogger('silent'), { name: 'cache-peer', redisPrefix: process.env.PEER_REDIS_PREFIX });
const app = await buildServer(ctx, { beforeRoutes: cacheProbeRoutes(() => ctx) });
await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();
process.stdout.write(`${JSON.stringify({ port: typeof address === 'object' && address ? address.port : 0 })}\n`);
process.on(
  'SIGTERM',
  () =>
    void app
      .close()
      .then(() => ctx.close())
      .then(() => process.exit(0)),
);
