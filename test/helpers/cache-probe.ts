import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../src/app/context.js';

/**
 * Cacheable test routes whose content lives in the database (app_state), so two servers on the
 * same database and Redis can show whether a cached answer is stale. `computed_by` tells which
 * process ran the handler.
 */
export function cacheProbeRoutes(ctxOf: () => AppContext) {
  return (app: FastifyInstance) => {
    app.get<{ Params: { name: string } }>(
      '/test/probe/:name',
      { config: { policy: { cache: { tags: (req) => [`probe:${(req.params as { name: string }).name}`, 'probes'] } } } },
      async (req) => {
        const row = await ctxOf().repos.appState.get<{ value: string }>(`probe:${req.params.name}`);
        return { name: req.params.name, value: row?.value ?? null, computed_by: process.pid };
      },
    );
  };
}
