import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../app/context.js';
import { healthRoutes } from './health.js';

/** Every resource's routes, one plugin per file. */
export async function registerRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  await app.register(healthRoutes, { ctx });
}
