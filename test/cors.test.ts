import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { loadConfig } from '../src/config.js';
import { httpRequest, startHardenedServer, type HardenedServer } from './helpers/http.js';

const ALLOWED = 'https://dashboard.example';

describe('strict CORS (P1-7)', () => {
  let s: HardenedServer;
  beforeAll(async () => {
    s = await startHardenedServer('pglite', { CORS_ORIGINS: `${ALLOWED},https://www.dashboard.example` });
  });
  afterAll(async () => s?.close());

  it('a preflight from an allowed origin is answered 204 with the allowed methods and headers', async () => {
    const res = await httpRequest(`${s.url}/v1/admin/api-keys`, {
      method: 'OPTIONS',
      headers: { origin: ALLOWED, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-api-key' },
    });
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe(ALLOWED);
    expect(res.headers['access-control-allow-methods']).toMatch(/POST/);
    expect(res.headers['access-control-allow-headers']).toMatch(/X-API-Key/i);
    expect(res.headers['access-control-allow-credentials']).toBeUndefined();
    expect(res.headers['x-request-id']).toBeTruthy();
  });

  it('a preflight from another origin gets no Access-Control-Allow-Origin, so the browser refuses it', async () => {
    for (const origin of ['https://evil.example', 'https://dashboard.example.evil.example', 'null', 'http://dashboard.example']) {
      const res = await httpRequest(`${s.url}/v1/admin/api-keys`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST' },
      });
      expect(res.headers['access-control-allow-origin'], origin).toBeUndefined();
    }
  });

  it('a simple request from an allowed origin exposes X-Request-ID, Retry-After and ETag; responses vary on Origin', async () => {
    const res = await httpRequest(`${s.url}/health`, { headers: { origin: ALLOWED } });
    expect(res.headers['access-control-allow-origin']).toBe(ALLOWED);
    const exposed = String(res.headers['access-control-expose-headers']).toLowerCase();
    for (const h of ['x-request-id', 'retry-after', 'etag']) expect(exposed).toContain(h);
    expect(res.headers.vary).toMatch(/Origin/);
    const other = await httpRequest(`${s.url}/health`, { headers: { origin: 'https://evil.example' } });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('a preflight lacking Origin or Access-Control-Request-Method is a 400; every response varies on Origin', async () => {
    const noOrigin = await httpRequest(`${s.url}/v1/events`, { method: 'OPTIONS', headers: { 'access-control-request-method': 'GET' } });
    expect(noOrigin.status).toBe(400);
    const noMethod = await httpRequest(`${s.url}/v1/events`, { method: 'OPTIONS', headers: { origin: ALLOWED } });
    expect(noMethod.status).toBe(400);
    expect(noMethod.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(noMethod.json()).toMatchObject({ status: 400, request_id: noMethod.headers['x-request-id'] });
    const ok = await httpRequest(`${s.url}/v1/does-not-exist`, {
      method: 'OPTIONS',
      headers: { origin: ALLOWED, 'access-control-request-method': 'GET' },
    });
    expect(ok.status).toBe(204);
    expect(ok.headers['access-control-max-age']).toBe('600');
    expect(ok.headers['content-length']).toBe('0');
    expect(ok.body).toBe('');
    const plain = await httpRequest(`${s.url}/health`);
    expect(plain.headers.vary).toMatch(/Origin/);
    expect(plain.headers['access-control-allow-origin']).toBeUndefined();
    expect(plain.headers['access-control-expose-headers']).toBeUndefined();
  });

  it('production refuses to start with CORS_ORIGINS set to * or empty, with a message naming the variable', () => {
    expect(() => loadConfig({ ENVIRONMENT: 'production', CORS_ORIGINS: '*' })).toThrow(/CORS_ORIGINS/);
    expect(() => loadConfig({ ENVIRONMENT: 'production', CORS_ORIGINS: ' , ' })).toThrow(/CORS_ORIGINS/);
    expect(() => loadConfig({ ENVIRONMENT: 'production', CORS_ORIGINS: 'https://a.example,*' })).toThrow(/CORS_ORIGINS/);
  });

  it('`agi-tracker serve` in production with CORS_ORIGINS=* exits before serving, naming the variable', () => {
    const env = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      ENVIRONMENT: 'production',
      CORS_ORIGINS: '*',
      PORT: '0',
      DATA_DIR: '/nonexistent-agt',
    };
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve'], { env, encoding: 'utf8', timeout: 20_000 });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/CORS_ORIGINS/);
    expect(r.stdout).not.toMatch(/serving on/);
  });
});
