import fp from 'fastify-plugin';
import rateLimit from '@fastify/rate-limit';
import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../../app/context.js';
import { RateLimitedError } from '../../errors.js';

/** Requests per minute of the stricter buckets, per client; `default` is the key's own limit or RATE_LIMIT_PER_MINUTE. */
export const BUCKET_LIMITS = { chat: 20, strict: 30 } as const;
export const WINDOW_MS = 60_000;

/** The client a limit counts against: the API key when one authenticated, else the IP (behind trusted proxies only). */
export function clientOf(req: FastifyRequest): string {
  return req.principal ? `key:${req.principal.id}` : `ip:${req.ip}`;
}

function bucketOf(req: FastifyRequest): 'default' | 'chat' | 'strict' {
  return req.routeOptions.config?.policy?.rateLimit ?? 'default';
}

/**
 * Per-client limits on every route (fixed one-minute windows), counted in Redis when configured so
 * every replica shares them, else in memory. Runs after authentication has identified the key
 * (route-level onRequest hooks run after the global ones). A Redis outage lets requests through
 * rather than failing every read; the LLM budget, not this limit, is what protects spend.
 */
export const rateLimits = fp<{ ctx: AppContext }>(
  async (app, { ctx }) => {
    await app.register(rateLimit, {
      global: true,
      hook: 'onRequest',
      timeWindow: WINDOW_MS,
      redis: ctx.redis,
      nameSpace: 'rate-limit:',
      skipOnError: true,
      // X-RateLimit-* only on the 429 itself: three more headers on every response cost measurably on small responses.
      addHeadersOnExceeding: { 'x-ratelimit-limit': false, 'x-ratelimit-remaining': false, 'x-ratelimit-reset': false },
      keyGenerator: (req) => `${bucketOf(req)}:${clientOf(req)}`,
      max: (req) => {
        const own = req.principal?.rate_limit_per_minute ?? ctx.config.rateLimitPerMinute;
        const bucket = bucketOf(req);
        return bucket === 'default' ? own : Math.min(own, BUCKET_LIMITS[bucket]);
      },
      errorResponseBuilder: (_req, c) =>
        new RateLimitedError(
          `rate limit of ${c.max} requests per minute exceeded; retry in ${c.after}`,
          Math.max(1, Math.ceil(c.ttl / 1000)),
        ),
    });
  },
  { name: 'rate-limit' },
);
