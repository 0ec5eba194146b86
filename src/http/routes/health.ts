import type { FastifyPluginAsync } from 'fastify';
import type { AppContext } from '../../app/context.js';
import { pingRedis } from '../../redis.js';

interface Check {
  status: 'ok' | 'down';
  latency_ms: number;
  error?: string;
}

async function check(fn: () => Promise<void>): Promise<Check> {
  const started = performance.now();
  try {
    await fn();
    return { status: 'ok', latency_ms: Math.round(performance.now() - started) };
  } catch (err) {
    // The message names the failure (refused, timed out) without connection strings.
    const message = (err as Error).message.replace(/\b\w+:\/\/\S+/g, '[url]');
    return { status: 'down', latency_ms: Math.round(performance.now() - started), error: message };
  }
}

/** Liveness (no I/O) and readiness (every dependency answers within its timeout, else 503 with detail). */
export const healthRoutes: FastifyPluginAsync<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get('/health', async () => ({ status: 'ok' }));

  app.get('/health/ready', async (_req, reply) => {
    if (!ctx.startup.ready) {
      reply.code(503).header('retry-after', '2');
      return { status: 'starting', checks: {} };
    }
    const checks: Record<string, Check> = { database: await check(() => ctx.database.ping(2_000)) };
    if (ctx.redis) {
      const redis = ctx.redis;
      checks.redis = await check(() => pingRedis(redis, 1_000));
    }
    const ready = Object.values(checks).every((c) => c.status === 'ok');
    reply.code(ready ? 200 : 503);
    return { status: ready ? 'ready' : 'unavailable', checks };
  });
};
