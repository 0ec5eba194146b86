import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../app/context.js';
import { healthRoutes } from './health.js';
import { webRoutes } from './web.js';

/** Every resource's routes, one plugin per file. */
export async function registerRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  await app.register(healthRoutes, { ctx });
  // The web app (dist/web) answers only GET paths outside /v1 that no API route claims.
  await app.register(webRoutes, { ctx });
}
