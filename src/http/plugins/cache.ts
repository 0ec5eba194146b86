import { createHash } from 'node:crypto';
import fp from 'fastify-plugin';
import type { FastifyReply, FastifyRequest, onSendHookHandler, preHandlerHookHandler, RouteOptions } from 'fastify';
import type { AppContext } from '../../app/context.js';
import type { CacheStamp } from '../../cache/response-cache.js';
import type { RoutePolicy } from '../route-config.js';
import { counter } from '../../app/metrics.js';
import { addRouteHook, routeMethods } from '../route-hooks.js';

const DEFAULT_TTL_SECONDS = 300;
/** Browsers and CDNs may reuse a response this long; the server-side cache is invalidated exactly. */
const CLIENT_MAX_AGE_SECONDS = 30;
/** Headers a cached entry replays; the rest (request id, CORS, rate limit) belong to each request. */
const STORED_HEADERS = ['content-type', 'content-disposition', 'link'];

declare module 'fastify' {
  interface FastifyRequest {
    cacheMiss?: { key: string; tags: string[]; ttl: number; stamp?: CacheStamp };
  }
}

export function etagOf(body: string | Buffer): string {
  return `"${createHash('sha1').update(body).digest('base64url')}"`;
}

function matches(req: FastifyRequest, etag: string): boolean {
  const header = req.headers['if-none-match'];
  if (!header) return false;
  return header.split(',').some((t) => {
    const tag = t.trim();
    return tag === '*' || tag === etag || tag === `W/${etag}`;
  });
}

/**
 * P1-1 on the request path. GET/HEAD routes with `policy.cache` are answered from the tagged cache
 * when an entry exists and stored after a 200, with an ETag; `If-None-Match` with it answers 304.
 * A cache outage only costs misses.
 */
export const responseCache = fp<{ ctx: AppContext }>(
  async (app, { ctx }) => {
    const lookups = counter(ctx.metrics, {
      name: 'agi_tracker_cache_requests_total',
      help: 'Response cache lookups by result (hit or miss)',
      labelNames: ['result'] as const,
    });

    const lookup = async (req: FastifyRequest, reply: FastifyReply, policy: NonNullable<RoutePolicy['cache']>) => {
      const key = `GET ${req.url}`;
      const tags = policy.tags(req);
      const entry = await ctx.cache.get(key).catch((err: unknown) => void req.log.warn({ err }, 'cache read failed'));
      reply.header('cache-control', `public, max-age=${CLIENT_MAX_AGE_SECONDS}`);
      if (entry) {
        lookups.inc({ result: 'hit' });
        reply.code(entry.status).headers(entry.headers).header('etag', entry.etag).header('x-cache', 'HIT').send(entry.body);
        return;
      }
      lookups.inc({ result: 'miss' });
      reply.header('x-cache', 'MISS');
      // The stamp is taken before the handler reads anything (see ResponseCache).
      const stamp = await ctx.cache.stamp(tags).catch(() => undefined);
      if (stamp !== undefined) req.cacheMiss = { key, tags, ttl: policy.ttlSeconds ?? DEFAULT_TTL_SECONDS, stamp };
    };

    const store = async (req: FastifyRequest, reply: FastifyReply, payload: string | Buffer, etag: string) => {
      const miss = req.cacheMiss!;
      const headers: Record<string, string> = {};
      for (const name of STORED_HEADERS) {
        const value = reply.getHeader(name);
        if (value !== undefined) headers[name] = String(value);
      }
      const entry = { status: 200, headers, body: payload.toString(), etag, storedAt: Date.now() };
      await ctx.cache
        .set(miss.key, entry, miss.tags, miss.ttl, miss.stamp)
        .catch((err: unknown) => req.log.warn({ err }, 'cache write failed'));
    };

    // Hooks only on the routes that declare `policy.cache`: every other request pays nothing here.
    app.addHook('onRoute', (route: RouteOptions) => {
      const policy = route.config?.policy?.cache;
      if (!policy || !routeMethods(route).some((m) => m === 'GET' || m === 'HEAD')) return;
      const preHandler: preHandlerHookHandler = (req, reply, done) => {
        lookup(req, reply, policy).then(() => (reply.sent ? undefined : done()), done);
      };
      const onSend: onSendHookHandler = (req, reply, payload, done) => {
        if (reply.statusCode !== 200 || (typeof payload !== 'string' && !Buffer.isBuffer(payload))) return done(null, payload);
        const etag = (reply.getHeader('etag') as string | undefined) ?? etagOf(payload);
        reply.header('etag', etag);
        const answer = () => {
          if (!matches(req, etag)) return done(null, payload);
          reply.code(304);
          done(null, '');
        };
        if (!req.cacheMiss) return answer();
        store(req, reply, payload, etag).then(answer, answer);
      };
      addRouteHook(route, 'preHandler', preHandler);
      addRouteHook(route, 'onSend', onSend);
    });
  },
  { name: 'response-cache' },
);
