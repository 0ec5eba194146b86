import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance, RouteOptions } from 'fastify';
import { z } from 'zod';
import { exportPaginationQuery, paginationQuery } from '../src/http/pagination.js';
import { adminHeaders, httpRequest, startHardenedServer, type HardenedServer } from './helpers/http.js';

/** A route that lists things: declared `policy.list`, or a GET answering `{results, next_cursor}`. */
function isListRoute(route: RouteOptions): boolean {
  if (route.config?.policy?.list) return true;
  const methods = Array.isArray(route.method) ? route.method : [route.method];
  const ok = (route.schema?.response as Record<string, unknown> | undefined)?.[200];
  const shape = ok instanceof z.ZodObject ? ok.shape : undefined;
  return methods.includes('GET') && !!shape && 'results' in shape && 'next_cursor' in shape;
}

/**
 * The lint: every list route spreads the one shared pagination schema into its querystring (the
 * same schema objects, not a look-alike); bulk downloads under /v1/export/ may use the export one.
 */
function paginationViolations(routes: RouteOptions[]): string[] {
  return routes
    .filter(isListRoute)
    .filter((route) => {
      const query = route.schema?.querystring;
      const shape = query instanceof z.ZodObject ? query.shape : {};
      const allowed = route.url.startsWith('/v1/export/') ? [paginationQuery, exportPaginationQuery] : [paginationQuery];
      return !allowed.some((p) => shape.limit === p.limit && shape.cursor === p.cursor);
    })
    .map((route) => `${route.method} ${route.url}`);
}

function collectRoutes(app: FastifyInstance, into: RouteOptions[]) {
  app.addHook('onRoute', (route) => void into.push(route));
}

describe('pagination (P0-2)', () => {
  let s: HardenedServer;
  const routes: RouteOptions[] = [];
  beforeAll(async () => {
    s = await startHardenedServer('pglite', { RATE_LIMIT_PER_MINUTE: '100000' }, { beforeRoutes: (app) => collectRoutes(app, routes) });
    for (let i = 0; i < 120; i++) await s.t.ctx.services.apiKeys.create({ name: `reader ${i}`, role: 'reader' });
  });
  afterAll(async () => s?.close());

  it('lint: every list route of the real route table uses the shared pagination schema', () => {
    const lists = routes.filter(isListRoute).map((r) => `${r.method} ${r.url}`);
    expect(lists).toContain('GET /v1/admin/api-keys');
    expect(lists).toContain('GET /v1/admin/audit-logs');
    expect(lists.length).toBeGreaterThan(10);
    expect(paginationViolations(routes)).toEqual([]);
  });

  it('lint: the check flags a list route without the shared schema, and one with a look-alike schema', () => {
    const fake = (querystring?: z.ZodType, list = true): RouteOptions =>
      ({ method: 'GET', url: '/fake', handler: async () => ({}), config: { policy: { list } }, schema: { querystring } }) as RouteOptions;
    const lookAlike = z.object({ limit: z.coerce.number().optional(), cursor: z.string().optional() });
    const undeclared = {
      ...fake(undefined, false),
      url: '/undeclared',
      schema: { response: { 200: z.object({ results: z.array(z.string()), next_cursor: z.string().nullable() }) } },
    } as RouteOptions;
    const exportOutsideExports = fake(z.object({ ...exportPaginationQuery }));
    expect(
      paginationViolations([fake(), fake(lookAlike), undeclared, exportOutsideExports, fake(z.object({ ...paginationQuery }))]),
    ).toEqual(['GET /fake', 'GET /fake', 'GET /undeclared', 'GET /fake']);
  });

  it('default limit is 50, limit above 100 is clamped to 100', async () => {
    const byDefault = await httpRequest(`${s.url}/v1/admin/api-keys`, { headers: adminHeaders() });
    expect(byDefault.json().results).toHaveLength(50);
    const huge = await httpRequest(`${s.url}/v1/admin/api-keys?limit=500`, { headers: adminHeaders() });
    expect(huge.status).toBe(200);
    expect(huge.json().results).toHaveLength(100);
    expect((await httpRequest(`${s.url}/v1/admin/api-keys?limit=1000`, { headers: adminHeaders() })).json().results).toHaveLength(100);
    expect((await httpRequest(`${s.url}/v1/admin/api-keys?limit=7`, { headers: adminHeaders() })).json().results).toHaveLength(7);
  });

  it('limit below 1 or not a whole number is a 400 naming the limit field', async () => {
    for (const bad of ['0', '-1', 'abc', '1.5', '', '1e3', '10;drop', '99999999999999999999999x']) {
      const res = await httpRequest(`${s.url}/v1/admin/api-keys?limit=${encodeURIComponent(bad)}`, { headers: adminHeaders() });
      expect(res.status, `limit=${bad}`).toBe(400);
      expect(res.json().errors, `limit=${bad}`).toEqual([{ field: 'limit', message: expect.any(String) }]);
    }
  });

  it('keyset cursors walk the whole list without duplicates or gaps; a forged cursor is a 400 on cursor', async () => {
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `limit=33&cursor=${encodeURIComponent(cursor)}` : 'limit=33';
      const body: { results: { id: number }[]; next_cursor: string | null } = (
        await httpRequest(`${s.url}/v1/admin/api-keys?${query}`, { headers: adminHeaders() })
      ).json();
      seen.push(...body.results.map((k) => k.id));
      cursor = body.next_cursor;
    } while (cursor);
    const all = (await s.t.ctx.services.apiKeys.list({ limit: 1000 })).map((k) => k.id);
    expect(seen).toEqual(all);
    for (const forged of ['not-a-cursor', Buffer.from('{"id":"x"}').toString('base64url'), Buffer.from('[1]').toString('base64url')]) {
      const res = await httpRequest(`${s.url}/v1/admin/api-keys?cursor=${forged}`, { headers: adminHeaders() });
      expect(res.status).toBe(400);
      expect(res.json().errors).toEqual([{ field: 'cursor', message: expect.any(String) }]);
    }
  });
});
