import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminHeaders, httpRequest, startHardenedServer, type HardenedServer } from './helpers/http.js';

function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const inside = line.slice(name.length + 1, line.indexOf('}'));
    if (want.every((w) => inside.split(',').includes(w))) return Number(line.split(' ').pop());
  }
  return undefined;
}

describe('Prometheus metrics', () => {
  let s: HardenedServer;
  let other: HardenedServer;
  beforeAll(async () => {
    const probes = (app: import('fastify').FastifyInstance) => {
      app.get('/test/items/:id', async () => ({ ok: true }));
      app.get('/test/boom', async () => {
        throw new Error('boom');
      });
    };
    s = await startHardenedServer('pglite', { RATE_LIMIT_PER_MINUTE: '40' }, { beforeRoutes: probes });
    other = await startHardenedServer('pglite', { RATE_LIMIT_PER_MINUTE: '40' }, { beforeRoutes: probes });
  });
  afterAll(async () => {
    await s?.close();
    await other?.close();
  });

  it('GET /metrics serves Prometheus text: latency by route pattern (not raw URL), 5xx, 429, pool and audit rows', async () => {
    for (const id of ['1', '2', '3']) await httpRequest(`${s.url}/test/items/${id}`);
    await httpRequest(`${s.url}/test/boom`);
    await httpRequest(`${s.url}/v1/admin/api-keys`, { headers: { 'x-api-key': 'agt_wrong'.padEnd(47, 'x') } });
    await httpRequest(`${s.url}/v1/admin/api-keys`, { headers: adminHeaders() });
    let limited = 0;
    while ((await httpRequest(`${s.url}/health`)).status !== 429 && limited < 100) limited++;

    // This IP is over its limit now; a key has its own budget.
    const res = await httpRequest(`${s.url}/metrics`, { headers: adminHeaders() });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = res.body;
    expect(
      sample(text, 'agi_tracker_http_request_duration_seconds_count', { route: '/test/items/:id', method: 'GET', status_code: '200' }),
    ).toBe(3);
    expect(text).not.toMatch(/route="\/test\/items\/1"/);
    expect(sample(text, 'agi_tracker_http_request_duration_seconds_bucket', { route: '/test/items/:id', le: '+Inf' })).toBe(3);
    expect(sample(text, 'agi_tracker_http_errors_total', { route: '/test/boom', status_code: '500' })).toBe(1);
    expect(sample(text, 'agi_tracker_rate_limited_total', { route: '/health' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'agi_tracker_db_pool_connections', { state: 'waiting' })).toBe(0);
    expect(sample(text, 'agi_tracker_audit_rows_total', { action: 'auth_failed', success: 'false' })).toBe(1);
    expect(sample(text, 'agi_tracker_audit_rows_total', { action: 'list_api_keys', success: 'true' })).toBe(1);
  });

  it('each server has its own registry: another server in the same process counts only its own requests', async () => {
    await httpRequest(`${other.url}/test/items/9`);
    const text = (await httpRequest(`${other.url}/metrics`)).body;
    expect(sample(text, 'agi_tracker_http_request_duration_seconds_count', { route: '/test/items/:id', status_code: '200' })).toBe(1);
    expect(sample(text, 'agi_tracker_http_errors_total', { route: '/test/boom' })).toBeUndefined();
  });
});
