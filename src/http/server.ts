import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { randomUUID } from 'node:crypto';
import type { AppContext } from '../app/context.js';
import { healthRoutes } from './routes/health.js';

/** Builds the HTTP server: cross-cutting plugins first, then one plugin per resource. */
export async function buildServer(ctx: AppContext): Promise<FastifyInstance> {
  const app: FastifyInstance = Fastify({
    loggerInstance: ctx.log as FastifyBaseLogger,
    genReqId: () => randomUUID(),
    // Fastify accepts a hop count at run time; its types only list the other forms.
    trustProxy: ctx.config.trustProxy as boolean | string[],
    bodyLimit: 1_048_576,
    // Slow-loris: a client gets 30 s for the whole request and 10 s for headers.
    requestTimeout: 30_000,
    connectionTimeout: 60_000,
    keepAliveTimeout: 5_000,
    exposeHeadRoutes: true,
    return503OnClosing: true,
  });
  app.server.headersTimeout = 10_000;
  await app.register(healthRoutes, { ctx });
  return app;
}
