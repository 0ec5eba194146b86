import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { requireRedisUrl } from './helpers/databases.js';
import { adminHeaders, httpRequest, startHardenedServer, type HardenedServer } from './helpers/http.js';
import { FAILED_AUTH_PER_MINUTE } from '../src/http/plugins/auth.js';
import { BUCKET_LIMITS } from '../src/http/plugins/rate-limit.js';

const REDIS_URL = requireRedisUrl();

const chatProbe = (app: import('fastify').FastifyInstance) => {
  app.get('/test/chat-like', { config: { policy: { rateLimit: 'chat' } } }, async () => ({ ok: true }));
};

function expect429(res: Awaited<ReturnType<typeof httpRequest>>, what: string) {
  expect(res.status, what).toBe(429);
  const retryAfter = Number(res.headers['retry-after']);
  expect(retryAfter, what).toBeGreaterThanOrEqual(1);
  expect(retryAfter, what).toBeLessThanOrEqual(60);
  expect(res.headers['content-type'], what).toMatch(/^application\/problem\+json/);
  expect(res.json(), what).toMatchObject({ status: 429, title: 'Too Many Requests', request_id: res.headers['x-request-id'] });
}

describe('rate limits in memory', () => {
  let s: HardenedServer;
  beforeAll(async () => {
    s = await startHardenedServer('pglite', { RATE_LIMIT_PER_MINUTE: '5' }, { beforeRoutes: chatProbe });
  });
  afterAll(async () => s?.close());

  it('the 6th request of a minute from one IP is a 429 problem with Retry-After; a forged X-Forwarded-For does not reset it', async () => {
    for (let i = 0; i < 5; i++) expect((await httpRequest(`${s.url}/health`)).status).toBe(200);
    expect429(await httpRequest(`${s.url}/health`, { headers: { 'x-request-id': 'limited-1' } }), 'sixth');
    expect429(await httpRequest(`${s.url}/health`, { headers: { 'x-forwarded-for': '198.51.100.1' } }), 'forged XFF');
  });

  it("a key's own rate_limit_per_minute applies to it, separately from the IP's anonymous budget", async () => {
    const key = await s.t.ctx.services.apiKeys.create({ name: 'limited', role: 'admin', rate_limit_per_minute: 3 });
    const call = () => httpRequest(`${s.url}/v1/admin/api-keys?limit=1`, { headers: { 'x-api-key': key.secret } });
    for (let i = 0; i < 3; i++) expect((await call()).status).toBe(200);
    const limited = await call();
    expect429(limited, 'key over its limit');
    expect(limited.headers['x-ratelimit-limit']).toBe('3');
    // The environment admin key has the default limit (5) and its own counter.
    expect((await httpRequest(`${s.url}/v1/admin/api-keys?limit=1`, { headers: adminHeaders() })).status).toBe(200);
  });
});

describe('stricter buckets', () => {
  let s: HardenedServer;
  beforeAll(async () => {
    s = await startHardenedServer('pglite', { RATE_LIMIT_PER_MINUTE: '1000' }, { beforeRoutes: chatProbe });
  });
  afterAll(async () => s?.close());

  it(`chat routes allow ${BUCKET_LIMITS.chat} requests a minute per client while other routes go on`, async () => {
    for (let i = 0; i < BUCKET_LIMITS.chat; i++) expect((await httpRequest(`${s.url}/test/chat-like`)).status).toBe(200);
    expect429(await httpRequest(`${s.url}/test/chat-like`), 'chat');
    expect((await httpRequest(`${s.url}/health`)).status).toBe(200);
  });

  it(`after ${FAILED_AUTH_PER_MINUTE} failed admin authentications an IP gets 429, with no further audit rows, even with the right key`, async () => {
    const before = await s.t.ctx.database.db.selectFrom('audit_logs').select('id').where('action', '=', 'auth_failed').execute();
    for (let i = 0; i < FAILED_AUTH_PER_MINUTE; i++) {
      const res = await httpRequest(`${s.url}/v1/admin/api-keys`, { headers: { 'x-api-key': `agt_guess${i}`.padEnd(47, 'x') } });
      expect(res.status).toBe(403);
    }
    expect429(await httpRequest(`${s.url}/v1/admin/api-keys`, { headers: { 'x-api-key': 'agt_one-more-guess'.padEnd(47, 'x') } }), 'guess');
    expect429(await httpRequest(`${s.url}/v1/admin/api-keys`), 'no key');
    expect429(await httpRequest(`${s.url}/v1/admin/api-keys`, { headers: adminHeaders() }), 'right key');
    const after = await s.t.ctx.database.db.selectFrom('audit_logs').select('id').where('action', '=', 'auth_failed').execute();
    expect(after.length - before.length).toBe(FAILED_AUTH_PER_MINUTE);
    // Requests without a key are not affected by the failure counter.
    expect((await httpRequest(`${s.url}/health`)).status).toBe(200);
  });
});

describe.runIf(REDIS_URL)('rate limits in Redis, shared by replicas', () => {
  let a: HardenedServer;
  let b: HardenedServer;
  beforeAll(async () => {
    const redisPrefix = `test-rl-${randomBytes(4).toString('hex')}:`;
    a = await startHardenedServer('pglite', { RATE_LIMIT_PER_MINUTE: '6', REDIS_URL }, { redisPrefix });
    b = await startHardenedServer('pglite', { RATE_LIMIT_PER_MINUTE: '6', REDIS_URL }, { redisPrefix });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  it('requests spread over two servers count against one limit', async () => {
    for (let i = 0; i < 3; i++) {
      expect((await httpRequest(`${a.url}/health`)).status).toBe(200);
      expect((await httpRequest(`${b.url}/health`)).status).toBe(200);
    }
    expect429(await httpRequest(`${a.url}/health`), 'replica a');
    expect429(await httpRequest(`${b.url}/health`), 'replica b');
    // KEYS takes a pattern, which ioredis does not prefix.
    const keys = await a.t.ctx.redis!.keys(`${a.t.ctx.redisPrefix}rate-limit:*`);
    expect(keys.length).toBeGreaterThan(0);
  });
});

describe('when Redis is down', () => {
  let s: HardenedServer;
  beforeAll(async () => {
    s = await startHardenedServer('pglite', { RATE_LIMIT_PER_MINUTE: '2', REDIS_URL: 'redis://127.0.0.1:1' });
  });
  afterAll(async () => s?.close());

  it('requests are served (the limit fails open) rather than failing', async () => {
    for (let i = 0; i < 4; i++) expect((await httpRequest(`${s.url}/health`)).status).toBe(200);
  });
});
