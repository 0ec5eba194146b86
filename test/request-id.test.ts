import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import { httpRequest, capturingLogger, startHardenedServer, type HardenedServer } from './helpers/http.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('request ids (P0-1)', () => {
  let s: HardenedServer;
  const { log, lines } = capturingLogger();
  beforeAll(async () => {
    s = await startHardenedServer(
      'pglite',
      { RATE_LIMIT_PER_MINUTE: '100000' },
      {
        log,
        beforeRoutes: (app) => {
          app.get('/test/echo', async (req) => {
            const n = (req.query as { n: string }).n;
            await sleep(Math.random() * 20); // interleave the requests
            req.log.info({ n }, 'echo');
            await sleep(Math.random() * 5);
            req.log.info({ n }, 'echo again');
            return { n };
          });
          app.get('/test/boom', async () => {
            throw new Error('boom');
          });
        },
      },
    );
  });
  afterAll(async () => s?.close());

  it('echoes an acceptable client id and generates a UUID otherwise', async () => {
    expect((await httpRequest(`${s.url}/health`, { headers: { 'x-request-id': 'test-123' } })).headers['x-request-id']).toBe('test-123');
    expect((await httpRequest(`${s.url}/health`)).headers['x-request-id']).toMatch(UUID);
    const longest = 'a.b:c_d-'.repeat(16);
    expect(longest).toHaveLength(128);
    expect((await httpRequest(`${s.url}/health`, { headers: { 'x-request-id': longest } })).headers['x-request-id']).toBe(longest);
  });

  it('replaces an id that is too long or has characters outside [A-Za-z0-9._:-]', async () => {
    for (const bad of ['a'.repeat(129), 'has space', '<script>', 'semi;colon', 'ünicode', 'new\tline']) {
      const res = await httpRequest(`${s.url}/health`, { headers: { 'x-request-id': bad } });
      expect(res.headers['x-request-id'], bad).toMatch(UUID);
    }
  });

  it('is on 404, 500 and validation errors, in the header and the problem body', async () => {
    for (const path of ['/v1/no/such/route', '/test/boom', '/v1/admin/api-keys']) {
      const res = await httpRequest(`${s.url}${path}`, { headers: { 'x-request-id': `rid-${path.length}` } });
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.headers['x-request-id']).toBe(`rid-${path.length}`);
      expect(res.json().request_id).toBe(`rid-${path.length}`);
    }
  });

  it('100 concurrent requests with distinct ids: every log line carries its own request id, never another', async () => {
    lines.length = 0;
    const ids = Array.from({ length: 100 }, (_, n) => `req-${n}-${Math.random().toString(36).slice(2, 8)}`);
    const responses = await Promise.all(ids.map((id, n) => httpRequest(`${s.url}/test/echo?n=${n}`, { headers: { 'x-request-id': id } })));
    responses.forEach((res, n) => {
      expect(res.headers['x-request-id']).toBe(ids[n]);
      expect(res.json()).toEqual({ n: String(n) });
    });
    await sleep(50);
    const ofRequests = lines.filter((l) => typeof l.request_id === 'string' && l.request_id.startsWith('req-'));
    // incoming request + echo + echo again + request completed, per request
    expect(ofRequests).toHaveLength(400);
    for (const line of ofRequests) {
      const n = line.n ?? (line.req?.url ? new URL(line.req.url, 'http://x').searchParams.get('n') : undefined);
      if (n !== undefined && n !== null) expect(line.request_id).toBe(ids[Number(n)]);
    }
    const completed = ofRequests.filter((l) => l.msg === 'request completed').map((l) => l.request_id);
    expect(new Set(completed)).toEqual(new Set(ids));
  });
});
