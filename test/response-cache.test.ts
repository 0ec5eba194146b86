import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { createRedis, type Redis } from '../src/redis.js';
import { MemoryResponseCache } from '../src/cache/memory-cache.js';
import { RedisResponseCache } from '../src/cache/redis-cache.js';
import type { CachedResponse, ResponseCache } from '../src/cache/response-cache.js';
import { requireRedisUrl, TEST_DATABASE_URL } from './helpers/databases.js';
import { httpRequest, startHardenedServer, type HardenedServer } from './helpers/http.js';
import { cacheProbeRoutes } from './helpers/cache-probe.js';

const REDIS_URL = requireRedisUrl();

const entry = (body: string): CachedResponse => ({
  status: 200,
  headers: { 'content-type': 'application/json' },
  body,
  etag: `"${body}"`,
  storedAt: Date.now(),
});

const implementations: [string, () => { cache: ResponseCache; ready?: Promise<unknown>; close(): Promise<void> }][] = [
  ['memory', () => ({ cache: new MemoryResponseCache(), close: async () => {} })],
];
if (REDIS_URL) {
  implementations.push([
    'redis',
    () => {
      const redis: Redis = createRedis(REDIS_URL, 'cache-test', `test-cache-${randomBytes(4).toString('hex')}:`);
      // Commands fail fast instead of queueing (createRedis), so wait for the connection.
      const ready = new Promise((r) => redis.once('ready', r));
      return { cache: new RedisResponseCache(redis), ready, close: async () => redis.disconnect() };
    },
  ]);
}

describe.each(implementations)('tagged response cache (%s)', (_name, make) => {
  let cache: ResponseCache;
  let close: () => Promise<void>;
  beforeAll(async () => {
    const made = make();
    ({ cache, close } = made);
    await made.ready;
  });
  afterAll(async () => close());

  it('invalidating a tag evicts exactly the entries carrying it and nothing else', async () => {
    await cache.set('/events', entry('events'), ['events'], 60);
    await cache.set('/events/1', entry('e1'), ['event:1', 'events'], 60);
    await cache.set('/events/2', entry('e2'), ['event:2'], 60);
    await cache.set('/index', entry('index'), ['index'], 60);
    await cache.invalidate(['event:1']);
    expect(await cache.get('/events/1')).toBeUndefined();
    expect((await cache.get('/events'))?.body).toBe('events');
    expect((await cache.get('/events/2'))?.body).toBe('e2');
    await cache.invalidate(['events']);
    expect(await cache.get('/events')).toBeUndefined();
    expect((await cache.get('/events/2'))?.body).toBe('e2');
    expect((await cache.get('/index'))?.body).toBe('index');
  });

  it('a response computed across an invalidation of its tag is not stored (stamp taken before the read)', async () => {
    const stamp = await cache.stamp(['signposts', 'index']);
    await cache.invalidate(['index']);
    expect(await cache.set('/signposts', entry('stale'), ['signposts', 'index'], 60, stamp)).toBe(false);
    expect(await cache.get('/signposts')).toBeUndefined();
    const fresh = await cache.stamp(['signposts', 'index']);
    expect(await cache.set('/signposts', entry('fresh'), ['signposts', 'index'], 60, fresh)).toBe(true);
    expect((await cache.get('/signposts'))?.body).toBe('fresh');
  });

  it('entries expire after their TTL', async () => {
    await cache.set('/short', entry('short'), ['short'], 1);
    expect((await cache.get('/short'))?.body).toBe('short');
    await new Promise((r) => setTimeout(r, 1_200));
    expect(await cache.get('/short')).toBeUndefined();
  });
});

describe('cacheable GET routes over HTTP', () => {
  let s: HardenedServer;
  beforeAll(async () => {
    s = await startHardenedServer('pglite', { RATE_LIMIT_PER_MINUTE: '100000' }, { beforeRoutes: cacheProbeRoutes(() => s.t.ctx) });
  });
  afterAll(async () => s?.close());

  const setValue = (name: string, value: string) => s.t.ctx.repos.appState.set(`probe:${name}`, { value });

  it('a miss is stored and the next GET is a hit with the same ETag; If-None-Match answers 304 with no body', async () => {
    await setValue('a', 'one');
    const first = await httpRequest(`${s.url}/test/probe/a`);
    expect(first.headers['x-cache']).toBe('MISS');
    expect(first.headers.etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    expect(first.headers['cache-control']).toMatch(/^public, max-age=\d+$/);
    const second = await httpRequest(`${s.url}/test/probe/a`);
    expect(second.headers['x-cache']).toBe('HIT');
    expect(second.body).toBe(first.body);
    expect(second.headers.etag).toBe(first.headers.etag);
    expect(second.headers['content-type']).toBe(first.headers['content-type']);
    const revalidated = await httpRequest(`${s.url}/test/probe/a`, { headers: { 'if-none-match': first.headers.etag! } });
    expect(revalidated.status).toBe(304);
    expect(revalidated.body).toBe('');
    expect(revalidated.headers['x-request-id']).toBeTruthy();
    const otherTag = await httpRequest(`${s.url}/test/probe/a`, { headers: { 'if-none-match': '"something-else"' } });
    expect(otherTag.status).toBe(200);
    const head = await httpRequest(`${s.url}/test/probe/a`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.etag).toBe(first.headers.etag);
  });

  it('a mutation that invalidates a tag is seen by the next GET, entries of other tags stay cached', async () => {
    await setValue('b', 'old');
    await setValue('c', 'old');
    await httpRequest(`${s.url}/test/probe/b`);
    await httpRequest(`${s.url}/test/probe/c`);
    await setValue('b', 'new');
    await setValue('c', 'new');
    expect((await httpRequest(`${s.url}/test/probe/b`)).json().value).toBe('old'); // cached, not yet invalidated
    await s.t.ctx.cache.invalidate(['probe:b']);
    const b = await httpRequest(`${s.url}/test/probe/b`);
    expect([b.json().value, b.headers['x-cache']]).toEqual(['new', 'MISS']);
    const c = await httpRequest(`${s.url}/test/probe/c`);
    expect([c.json().value, c.headers['x-cache']]).toEqual(['old', 'HIT']);
  });

  it('hits and misses are counted in /metrics', async () => {
    const text = (await httpRequest(`${s.url}/metrics`)).body;
    expect(Number(/agi_tracker_cache_requests_total\{result="hit"\} (\d+)/.exec(text)?.[1])).toBeGreaterThan(0);
    expect(Number(/agi_tracker_cache_requests_total\{result="miss"\} (\d+)/.exec(text)?.[1])).toBeGreaterThan(0);
  });
});

describe.runIf(REDIS_URL && TEST_DATABASE_URL)('cache invalidation across server processes sharing Redis', () => {
  let s: HardenedServer;
  let peer: ChildProcess;
  let peerUrl: string;
  beforeAll(async () => {
    const redisPrefix = `test-peer-${randomBytes(4).toString('hex')}:`;
    s = await startHardenedServer(
      'postgres',
      { RATE_LIMIT_PER_MINUTE: '100000', REDIS_URL },
      { redisPrefix, beforeRoutes: cacheProbeRoutes(() => s.t.ctx) },
    );
    const script = fileURLToPath(new URL('./helpers/cache-peer.ts', import.meta.url));
    peer = spawn(process.execPath, ['--import', 'tsx', script], {
      env: { ...process.env, DATABASE_URL: s.t.database.url, REDIS_URL, PEER_REDIS_PREFIX: redisPrefix },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const port = await new Promise<number>((resolve, reject) => {
      peer.stdout!.once('data', (d: Buffer) => resolve(JSON.parse(d.toString()).port));
      peer.once('exit', (code) => reject(new Error(`peer server exited with ${code}`)));
    });
    peerUrl = `http://127.0.0.1:${port}`;
  }, 60_000);
  afterAll(async () => {
    peer?.kill('SIGTERM');
    await new Promise((r) => (peer?.exitCode !== null ? r(null) : peer.once('exit', r)));
    await s?.close();
  });

  it('an entry cached by one process is served by the other; invalidation in one is seen by the other', async () => {
    await s.t.ctx.repos.appState.set('probe:x', { value: 'v1' });
    await s.t.ctx.repos.appState.set('probe:y', { value: 'v1' });
    const computed = await httpRequest(`${peerUrl}/test/probe/x`);
    expect([computed.json().value, computed.headers['x-cache']]).toEqual(['v1', 'MISS']);
    expect(computed.json().computed_by).toBe(peer.pid);
    await httpRequest(`${peerUrl}/test/probe/y`);
    // Under load a cache write can time out (it then logs and skips storing); wait until the peer
    // answers x from the cache, so an entry it stored certainly exists.
    for (let i = 0; i < 20 && (await httpRequest(`${peerUrl}/test/probe/x`)).headers['x-cache'] !== 'HIT'; i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    // The test's own process answers from the entry the peer stored.
    const shared = await httpRequest(`${s.url}/test/probe/x`);
    expect([shared.headers['x-cache'], shared.json().computed_by]).toEqual(['HIT', peer.pid]);

    await s.t.ctx.repos.appState.set('probe:x', { value: 'v2' });
    await s.t.ctx.repos.appState.set('probe:y', { value: 'v2' });
    expect((await httpRequest(`${peerUrl}/test/probe/x`)).json().value).toBe('v1'); // still cached
    await s.t.ctx.cache.invalidate(['probe:x']); // a mutation in this process
    const fresh = await httpRequest(`${peerUrl}/test/probe/x`);
    expect([fresh.json().value, fresh.headers['x-cache']]).toEqual(['v2', 'MISS']);
    const untouched = await httpRequest(`${peerUrl}/test/probe/y`);
    expect([untouched.json().value, untouched.headers['x-cache']]).toEqual(['v1', 'HIT']);
  });
});
