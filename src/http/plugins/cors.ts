import fp from 'fastify-plugin';
import type { FastifyReply, onRequestHookHandler } from 'fastify';
import type { AppContext } from '../../app/context.js';
import { BadRequestError } from '../../errors.js';

const CORS_METHODS = 'GET, HEAD, POST, PUT, PATCH, DELETE';
const CORS_ALLOWED_HEADERS = 'Content-Type, X-API-Key, X-Request-ID, If-None-Match, Last-Event-ID';
const CORS_EXPOSED_HEADERS = 'X-Request-ID, Retry-After, ETag, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset';
const PREFLIGHT_MAX_AGE_SECONDS = '600';

/**
 * P1-7: only the CORS_ORIGINS allow-list may call the API from a browser (config refuses `*` or an
 * empty list in production). Keys travel in X-API-Key, never in cookies, so credentials stay off.
 *
 * - A request with an allowed `Origin` gets `Access-Control-Allow-Origin` (that origin) and
 *   `Access-Control-Expose-Headers`; any other origin gets neither, so the browser withholds the
 *   response. Every response carries `Vary: Origin`.
 * - A preflight (`OPTIONS` with `Origin` and `Access-Control-Request-Method`) is answered here,
 *   before authentication and rate limits: 204 with the allowed methods, headers and max-age (and the
 *   allow-origin header only for an allowed origin). An `OPTIONS` without those two headers is a 400
 *   problem.
 *
 * Written here rather than registering @fastify/cors (used until 2026-11; the behaviour above is
 * the configuration we had, test/cors.test.ts checks it): that plugin copies its options into a new
 * object and writes Vary and Access-Control-Expose-Headers on every request, also the many without
 * an Origin header. On a trivial route that was ~0.8 µs of ~21 µs (bench/hardening.ts), a sixth of
 * the whole hardening stack's cost; here a request without Origin costs one header read.
 */
export const corsPolicy = fp<{ ctx: AppContext }>(
  async (app, { ctx }) => {
    const origins = ctx.config.corsOrigins;
    const anyOrigin = origins.includes('*');
    const allowed = new Set(origins);
    const allowOrigin = (origin: string): string | undefined => (anyOrigin ? '*' : allowed.has(origin) ? origin : undefined);

    const preflight = (reply: FastifyReply) =>
      reply
        .code(204)
        .header('access-control-allow-methods', CORS_METHODS)
        .header('access-control-allow-headers', CORS_ALLOWED_HEADERS)
        .header('access-control-max-age', PREFLIGHT_MAX_AGE_SECONDS)
        .header('content-length', '0')
        .send();

    const onRequest: onRequestHookHandler = (req, reply, done) => {
      // Responses differ by Origin: caches must key on it.
      reply.header('vary', 'Origin');
      const origin = req.headers.origin;
      if (origin !== undefined) {
        const allow = allowOrigin(origin);
        if (allow !== undefined)
          reply.header('access-control-allow-origin', allow).header('access-control-expose-headers', CORS_EXPOSED_HEADERS);
      }
      if (req.method !== 'OPTIONS') return done();
      // A preflight is answered here, for every path (no route serves OPTIONS), before
      // authentication and rate limits; a malformed one is a 400 problem like any bad request.
      if (!origin || !req.headers['access-control-request-method']) {
        return done(new BadRequestError('a CORS preflight needs Origin and Access-Control-Request-Method headers'));
      }
      preflight(reply);
    };
    app.addHook('onRequest', onRequest);
  },
  { name: 'cors' },
);
