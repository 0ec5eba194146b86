/**
 * A second API server process for multi-process tests: started with `tsx`, it opens the database
 * and Redis named in its environment (with the Redis key prefix of the test's own server), serves
 * on a random port and prints `READY <url>`. SIGTERM closes it.
 */
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { createContext } from '../../src/app/context.js';
import { buildServer } from '../../src/http/server.js';

const env = process.env;
const config = loadConfig({
  ENVIRONMENT: 'test',
  LOG_LEVEL: 'silent',
  INGEST_ENABLED: 'false',
  DATABASE_URL: env.CHILD_DATABASE_URL,
  REDIS_URL: env.CHILD_REDIS_URL,
  OPENAI_API_KEY: env.CHILD_OPENAI_API_KEY,
  OPENAI_BASE_URL: env.CHILD_OPENAI_BASE_URL,
  ANTHROPIC_API_KEY: env.CHILD_ANTHROPIC_API_KEY,
  ANTHROPIC_BASE_URL: env.CHILD_ANTHROPIC_BASE_URL,
  LLM_BUDGET_DAILY_USD: env.CHILD_LLM_BUDGET_DAILY_USD,
  LLM_BUDGET_WARNING_USD: env.CHILD_LLM_BUDGET_WARNING_USD,
});
const ctx = await createContext(config, createLogger('silent'), {
  name: 'agi-tracker-test-child',
  redisPrefix: env.CHILD_REDIS_PREFIX ?? '',
});
const app = await buildServer(ctx);
await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();
if (!address || typeof address === 'string') throw new Error('no port');
process.stdout.write(`READY http://127.0.0.1:${address.port}\n`);
process.on('SIGTERM', () => {
  void (async () => {
    await app.close();
    await ctx.close();
    process.exit(0);
  })();
});
