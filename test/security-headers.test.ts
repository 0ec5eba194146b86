import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpRequest, startHardenedServer, type HardenedServer } from './helpers/http.js';

const HSTS = 'max-age=31536000; includeSubDomains; preload';

function expectSecurityHeaders(headers: Record<string, unknown>, what: string) {
  expect(headers['x-content-type-options'], what).toBe('nosniff');
  expect(headers['x-frame-options'], what).toBe('DENY');
  expect(headers['referrer-policy'], what).toBe('strict-origin-when-cross-origin');
  expect(headers['permissions-policy'], what).toMatch(/camera=\(\)/);
  const csp = String(headers['content-security-policy']);
  expect(csp, what).toMatch(/^default-src 'self'; /);
  const scriptSrc = csp.split(';').find((d) => d.trim().startsWith('script-src'))!;
  expect(scriptSrc.trim(), what).toBe("script-src 'self'");
  expect(csp, what).not.toMatch(/unsafe-inline|unsafe-eval/);
  expect(csp, what).toMatch(/frame-ancestors 'none'/);
  expect(csp, what).toMatch(/object-src 'none'/);
  expect(headers['x-request-id'], what).toBeTruthy();
}

const probes = (app: import('fastify').FastifyInstance) => {
  app.get('/test/boom', async () => {
    throw new Error('database password=hunter2 in SELECT * FROM api_keys');
  });
  app.post('/test/echo', async (req) => req.body);
};

describe('security headers in development (P0-4)', () => {
  let s: HardenedServer;
  beforeAll(async () => {
    s = await startHardenedServer('pglite', { RATE_LIMIT_PER_MINUTE: '5' }, { beforeRoutes: probes });
  });
  afterAll(async () => s?.close());

  it('are on a 200, a 404, a 500, a 400, a 413 and a 429, and HSTS is not sent outside production', async () => {
    const responses = {
      ok: await httpRequest(`${s.url}/health`),
      notFound: await httpRequest(`${s.url}/v1/nothing-here`),
      error: await httpRequest(`${s.url}/test/boom`),
    };
    const bigBody = JSON.stringify({ x: 'y'.repeat(1_100_000) });
    Object.assign(responses, {
      badJson: await httpRequest(`${s.url}/test/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"x":' }),
      tooLarge: await httpRequest(`${s.url}/test/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: bigBody }),
    });
    // RATE_LIMIT_PER_MINUTE is 5, and this client has made 5 requests (404s count too).
    Object.assign(responses, { limited: await httpRequest(`${s.url}/health`) });
    const statuses = Object.fromEntries(Object.entries(responses).map(([k, r]) => [k, r.status]));
    expect(statuses).toEqual({ ok: 200, notFound: 404, error: 500, badJson: 400, tooLarge: 413, limited: 429 });
    for (const [what, res] of Object.entries(responses)) {
      expectSecurityHeaders(res.headers, what);
      expect(res.headers['strict-transport-security'], what).toBeUndefined();
    }
  });

  it('plain HTTP is served, not redirected, outside production', async () => {
    expect((await httpRequest(`${s.url}/v1/nothing-here`)).status).not.toBe(307);
  });
});

describe.each([
  { trust: 'false', forgedProtoAvoidsRedirect: false },
  { trust: '10.0.0.0/8', forgedProtoAvoidsRedirect: false },
  { trust: '127.0.0.1', forgedProtoAvoidsRedirect: true },
])('production HTTPS with TRUST_PROXY=$trust', ({ trust, forgedProtoAvoidsRedirect }) => {
  let s: HardenedServer;
  beforeAll(async () => {
    s = await startHardenedServer(
      'pglite',
      { ENVIRONMENT: 'production', CORS_ORIGINS: 'https://agi-tracker.example', TRUST_PROXY: trust },
      { beforeRoutes: probes },
    );
  });
  afterAll(async () => s?.close());

  it('plain HTTP gets a 307 to the same URL on https, with the request id and security headers', async () => {
    const res = await httpRequest(`${s.url}/health?x=1`, { headers: { host: 'api.agi-tracker.example', 'x-request-id': 'redirect-1' } });
    expect(res.status).toBe(307);
    expect(res.headers.location).toBe('https://api.agi-tracker.example/health?x=1');
    expect(res.headers['x-request-id']).toBe('redirect-1');
    expect(res.headers['strict-transport-security']).toBe(HSTS);
    expectSecurityHeaders(res.headers, 'redirect');
  });

  it('a POST is redirected with 307 too, so the method and body are kept', async () => {
    const res = await httpRequest(`${s.url}/test/echo`, {
      method: 'POST',
      headers: { host: 'api.agi-tracker.example', 'content-type': 'application/json' },
      body: '{}',
    });
    expect(res.status).toBe(307);
  });

  it(`X-Forwarded-Proto: https from this client ${forgedProtoAvoidsRedirect ? 'is trusted' : 'is ignored'}`, async () => {
    const res = await httpRequest(`${s.url}/health`, { headers: { host: 'api.agi-tracker.example', 'x-forwarded-proto': 'https' } });
    if (forgedProtoAvoidsRedirect) {
      expect(res.status).toBe(200);
      expect(res.headers['strict-transport-security']).toBe(HSTS);
      expectSecurityHeaders(res.headers, 'behind proxy');
    } else {
      expect(res.status).toBe(307);
      expect(res.headers.location).toBe('https://api.agi-tracker.example/health');
    }
  });

  it.runIf(forgedProtoAvoidsRedirect)(
    'behind the trusted proxy, a 500 carries HSTS and a generic problem body without secrets',
    async () => {
      const res = await httpRequest(`${s.url}/test/boom`, { headers: { 'x-forwarded-proto': 'https', 'x-request-id': 'boom-1' } });
      expect(res.status).toBe(500);
      expect(res.headers['strict-transport-security']).toBe(HSTS);
      expectSecurityHeaders(res.headers, '500');
      expect(res.body).not.toMatch(/hunter2|SELECT|api_keys|at .*\.ts/);
      expect(res.json()).toMatchObject({ status: 500, request_id: 'boom-1' });
    },
  );

  it('a malformed Host header is a 400, never a redirect to it', async () => {
    const res = await httpRequest(`${s.url}/health`, { headers: { host: 'evil.example/phish?' } });
    expect(res.status).toBe(400);
    expect(res.headers.location).toBeUndefined();
  });
});
