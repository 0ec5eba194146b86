import fp from 'fastify-plugin';
import type { FastifyRequest, onRequestHookHandler, preParsingHookHandler, RouteOptions } from 'fastify';
import type { AppContext } from '../../app/context.js';
import { ForbiddenError, RateLimitedError, UnauthorizedError } from '../../errors.js';
import { keyPrefix } from '../../services/api-key-service.js';
import { addRouteHook } from '../route-hooks.js';

/** Failed authentications allowed per client IP and minute; then 429 without any lookup or audit row. */
export const FAILED_AUTH_PER_MINUTE = 10;

declare module 'fastify' {
  interface FastifyRequest {
    /** Set when an X-API-Key was presented but matched no active key (only its prefix is kept). */
    invalidKeyPrefix?: string;
  }
}

type Failure = { status: 401 | 403; reason: 'missing_key' | 'invalid_key' | 'insufficient_role'; message: string };

function failureOf(req: FastifyRequest, need: 'reader' | 'admin'): Failure | undefined {
  if (req.invalidKeyPrefix) return { status: 403, reason: 'invalid_key', message: 'the API key is not valid' };
  if (!req.principal) return { status: 401, reason: 'missing_key', message: 'an API key is required (X-API-Key header)' };
  if (need === 'admin' && req.principal.role !== 'admin')
    return { status: 403, reason: 'insufficient_role', message: 'this route needs an admin API key' };
  return undefined;
}

const refusal = (f: Failure) => (f.status === 401 ? new UnauthorizedError(f.message) : new ForbiddenError(f.message));

/**
 * X-API-Key authentication and each route's `policy.auth`. Every request with a key is identified in
 * onRequest (before the rate limit, which counts per key); a wrong key is refused (403) at once on
 * public routes. Routes that need a key get a preParsing check (after the rate limit, before any body
 * is read): no key 401, wrong key or role 403, and exactly one `auth_failed` audit row per failed
 * admin attempt (IP and key prefix, never the secret). Failures are counted per IP: past
 * FAILED_AUTH_PER_MINUTE the answer is 429, which bounds key guessing and audit-table flooding.
 */
export const authentication = fp<{ ctx: AppContext }>(
  async (app, { ctx }) => {
    const failures = app.createRateLimit({
      max: FAILED_AUTH_PER_MINUTE,
      timeWindow: 60_000,
      keyGenerator: (req) => `auth-failed:${req.ip}`,
    });
    const refuseWhenBlocked = async (req: FastifyRequest) => {
      const state = await failures(req, { increment: false });
      if (!state.isAllowed && state.remaining === 0) {
        throw new RateLimitedError('too many failed authentication attempts from this address', Math.max(1, state.ttlInSeconds));
      }
    };

    const identify = async (req: FastifyRequest, presented: string) => {
      await refuseWhenBlocked(req);
      const principal = await ctx.services.apiKeys.authenticate(presented);
      if (principal) {
        req.principal = principal;
        return;
      }
      req.invalidKeyPrefix = keyPrefix(presented);
      if (req.routeOptions.config?.policy?.auth === 'admin') return; // refused and audited in `enforce`
      await failures(req);
      throw new ForbiddenError('the API key is not valid');
    };

    const refuse = async (req: FastifyRequest, need: 'reader' | 'admin', failure: Failure) => {
      if (need === 'reader') throw refusal(failure);
      if (failure.reason === 'missing_key') await refuseWhenBlocked(req);
      await failures(req);
      await ctx.services.audit
        .record({
          req,
          action: 'auth_failed',
          resource_type: 'route',
          resource_id: `${req.method} ${req.routeOptions.url}`,
          details: { reason: failure.reason, key_prefix: req.invalidKeyPrefix ?? req.principal?.prefix ?? null },
          success: false,
          error_message: failure.message,
        })
        .catch((err: unknown) => req.log.error({ err }, 'could not write the auth_failed audit row'));
      throw refusal(failure);
    };

    // Callback-style with a synchronous fast path: most requests carry no key.
    const onRequest: onRequestHookHandler = (req, _reply, done) => {
      const presented = req.headers['x-api-key'];
      if (typeof presented !== 'string' || presented === '') return done();
      identify(req, presented).then(() => done(), done);
    };
    app.addHook('onRequest', onRequest);

    app.addHook('onRoute', (route: RouteOptions) => {
      const need = route.config?.policy?.auth;
      if (need !== 'reader' && need !== 'admin') return;
      // The OpenAPI document shows the key requirement of every keyed route, derived from its policy.
      route.schema = { ...route.schema, security: [{ apiKey: [] }] };
      const enforce: preParsingHookHandler = (req, reply, _payload, done) => {
        // Keyed responses (secrets, audit data) must never sit in a shared or browser cache.
        reply.header('cache-control', 'no-store');
        const failure = failureOf(req, need);
        if (!failure) return done();
        refuse(req, need, failure).then(() => done(), done);
      };
      addRouteHook(route, 'preParsing', enforce);
    });
  },
  { name: 'authentication', dependencies: ['rate-limit'] },
);
