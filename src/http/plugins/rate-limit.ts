import { createRequire } from 'node:module';
import fp from 'fastify-plugin';
import rateLimit from '@fastify/rate-limit';
import type { FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import type { Redis } from 'ioredis';
import type { AppContext } from '../../app/context.js';
import { RateLimitedError } from '../../errors.js';
import { addRouteHook } from '../route-hooks.js';

/** Requests per minute of the stricter buckets, per client; `default` is the key's own limit or RATE_LIMIT_PER_MINUTE. */
export const BUCKET_LIMITS = { chat: 20, strict: 30 } as const;
export const WINDOW_MS = 60_000;

type Bucket = 'default' | 'chat' | 'strict';

/** The client a limit counts against: the API key when one authenticated, else the IP (behind trusted proxies only). */
export function clientOf(req: FastifyRequest): string {
  return req.principal ? `key:${req.principal.id}` : `ip:${req.ip}`;
}

/** The counters of @fastify/rate-limit (its memory LRU and its Redis Lua script), used directly by the hook below. */
interface CounterStore {
  incr(key: string, cb: (err: Error | null, res: { current: number; ttl: number } | null) => void, timeWindow: number, max: number): void;
}
const require = createRequire(import.meta.url);
const LocalStore = require('@fastify/rate-limit/store/LocalStore') as new (
  continueExceeding: boolean,
  exponentialBackoff: boolean,
) => CounterStore;
const RedisStore = require('@fastify/rate-limit/store/RedisStore') as new (
  continueExceeding: boolean,
  exponentialBackoff: boolean,
  redis: Redis,
  key: string,
) => CounterStore;

/** `c.after` of @fastify/rate-limit's messages ("59 seconds", "1 minute") for a window of at most a minute. */
function retryIn(seconds: number): string {
  if (seconds <= 0) return '0 ms';
  if (seconds < 60) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  return `${Math.round(seconds / 60)} minute${Math.round(seconds / 60) === 1 ? '' : 's'}`;
}

type LimitHook = (req: FastifyRequest, reply: FastifyReply, done: (err?: Error) => void) => void;

const COUNTED = Symbol('rate-limit.counted');

declare module 'fastify' {
  interface FastifyRequest {
    [COUNTED]: boolean;
  }
  interface FastifyInstance {
    /** The `default` bucket's limit as a hook (the not-found handler counts unknown routes with it). */
    defaultRateLimit: LimitHook;
  }
}

/**
 * Per-client limits on every route (fixed one-minute windows), counted in Redis when configured so
 * every replica shares them, else in memory. Runs after authentication has identified the key
 * (route-level onRequest hooks run after the global ones). A Redis outage lets requests through
 * rather than failing every read; the LLM budget, not this limit, is what protects spend.
 *
 * The counting is @fastify/rate-limit's own stores (same keys, same Lua script), but the per-request
 * hook is this callback-style one, attached per route with its bucket already known: the library's
 * async hook awaited four promises per request and read `req.routeOptions` (a fresh object each
 * time) three times, about 1.5 us of CPU on a trivial route. The library stays registered (without
 * its global hook) for `createRateLimit`, which the failed-authentication limit uses.
 */
export const rateLimits = fp<{ ctx: AppContext }>(
  async (app, { ctx }) => {
    await app.register(rateLimit, {
      global: false,
      timeWindow: WINDOW_MS,
      redis: ctx.redis,
      nameSpace: 'rate-limit:',
      skipOnError: true,
    });
    app.decorateRequest(COUNTED, false);
    const store = ctx.redis ? new RedisStore(false, false, ctx.redis, 'rate-limit:') : new LocalStore(false, false);
    const fallback = ctx.config.rateLimitPerMinute;

    const limitFor = (bucket: Bucket): LimitHook => {
      const cap = bucket === 'default' ? Infinity : BUCKET_LIMITS[bucket];
      const prefix = `${bucket}:`;
      return (req, reply, done) => {
        // Counted once: a catch-all route that hands over to the not-found handler runs both hooks.
        if (req[COUNTED]) return done();
        req[COUNTED] = true;
        const own = req.principal?.rate_limit_per_minute ?? fallback;
        const max = own < cap ? own : cap;
        store.incr(
          prefix + clientOf(req),
          (err, res) => {
            // skipOnError: a store that does not answer lets the request through.
            if (err || !res || res.current <= max) return done();
            const ttlInSeconds = Math.ceil(res.ttl / 1000);
            // X-RateLimit-* only on the 429 itself: three more headers on every response cost measurably on small responses.
            reply
              .header('x-ratelimit-limit', max)
              .header('x-ratelimit-remaining', 0)
              .header('x-ratelimit-reset', ttlInSeconds)
              .header('retry-after', ttlInSeconds);
            done(
              new RateLimitedError(
                `rate limit of ${max} requests per minute exceeded; retry in ${retryIn(ttlInSeconds)}`,
                Math.max(1, ttlInSeconds),
              ),
            );
          },
          WINDOW_MS,
          max,
        );
      };
    };
    const hooks = { default: limitFor('default'), chat: limitFor('chat'), strict: limitFor('strict') } as const;
    app.decorate('defaultRateLimit', hooks.default);

    app.addHook('onRoute', (route: RouteOptions) => {
      addRouteHook(route, 'onRequest', hooks[route.config?.policy?.rateLimit ?? 'default']);
    });
  },
  { name: 'rate-limit' },
);
