import fp from 'fastify-plugin';
import type { FastifyReply } from 'fastify';
import type { AppContext } from '../../app/context.js';
import { BadRequestError } from '../../errors.js';

/**
 * P0-4 headers, computed once. Not @fastify/helmet: its plugin rebuilds helmet's middleware on every
 * request, measured at about 10 us of CPU per request on a ~14 us trivial route (docs/hardening.md);
 * the header set here is small, fixed and exactly what SPEC section 2 asks for.
 * Scripts, styles and connections come only from this origin: the web app is built by Vite into
 * external files, so no 'unsafe-inline' or 'unsafe-eval' is needed anywhere.
 */
export function securityHeaderValues(production: boolean): Record<string, string> {
  const csp = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(production ? ['upgrade-insecure-requests'] : []),
  ].join('; ');
  return {
    'content-security-policy': csp,
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'strict-origin-when-cross-origin',
    'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), browsing-topics=()',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    ...(production ? { 'strict-transport-security': 'max-age=31536000; includeSubDomains; preload' } : {}),
  };
}

export function applySecurityHeaders(reply: FastifyReply, headers: Record<string, string>): void {
  reply.headers(headers);
}

const HOST = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/**
 * Headers on every response (set in onRequest, so error replies keep them), and in production a
 * 307 from plain HTTP to the same URL on https. `req.protocol` reads X-Forwarded-Proto only when
 * TRUST_PROXY trusts the peer, so a client cannot skip the redirect by forging the header.
 */
export const securityHeaders = fp<{ ctx: AppContext }>(
  async (app, { ctx }) => {
    const headers = securityHeaderValues(ctx.config.production);
    app.addHook('onRequest', (_req, reply, done) => {
      applySecurityHeaders(reply, headers);
      done();
    });
    if (!ctx.config.production) return;
    app.addHook('onRequest', async (req, reply) => {
      if (req.protocol === 'https') return;
      if (!HOST.test(req.host ?? '')) throw new BadRequestError('the Host header is missing or malformed');
      return reply.header('cache-control', 'no-store').redirect(`https://${req.host}${req.url}`, 307);
    });
  },
  { name: 'security-headers' },
);
