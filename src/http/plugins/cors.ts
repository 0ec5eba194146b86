import fp from 'fastify-plugin';
import cors from '@fastify/cors';
import type { AppContext } from '../../app/context.js';

/**
 * P1-7: only the CORS_ORIGINS allow-list may call the API from a browser (config refuses `*` or an
 * empty list in production). Keys travel in X-API-Key, never in cookies, so credentials stay off.
 */
export const corsPolicy = fp<{ ctx: AppContext }>(
  async (app, { ctx }) => {
    const origins = ctx.config.corsOrigins;
    await app.register(cors, {
      origin: origins.includes('*') ? '*' : origins,
      methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
      allowedHeaders: ['Content-Type', 'X-API-Key', 'X-Request-ID', 'If-None-Match', 'Last-Event-ID'],
      // Pre-joined: the plugin would join an array on every request.
      exposedHeaders: 'X-Request-ID, Retry-After, ETag, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset',
      credentials: false,
      maxAge: 600,
      strictPreflight: true,
    });
  },
  { name: 'cors' },
);
