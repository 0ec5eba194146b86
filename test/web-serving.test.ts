import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../src/app/context.js';
import { createLogger } from '../src/logger.js';
import { NOT_BUILT_MESSAGE, webRoutes } from '../src/http/routes/web.js';

const ctx = { log: createLogger('silent') } as unknown as AppContext;

async function appFor(webDir: string): Promise<FastifyInstance> {
  const app = Fastify({ exposeHeadRoutes: true });
  app.get('/v1/index', async () => ({ ok: true }));
  await app.register(webRoutes, { ctx, webDir });
  await app.ready();
  return app;
}

describe('serving the built web app', () => {
  let dir: string;
  let app: FastifyInstance;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agi-web-'));
    fs.mkdirSync(path.join(dir, 'assets'));
    fs.mkdirSync(path.join(dir, '.vite'));
    fs.writeFileSync(
      path.join(dir, 'index.html'),
      '<!doctype html><title>app</title><script type="module" src="/assets/index-abc123.js"></script>',
    );
    fs.writeFileSync(path.join(dir, 'assets/index-abc123.js'), 'console.log(1)');
    fs.writeFileSync(path.join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    fs.writeFileSync(path.join(dir, '.vite/manifest.json'), '{}');
    app = await appFor(dir);
  });

  afterAll(async () => {
    await app.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('hashed assets are cached for a year as immutable', async () => {
    const res = await app.inject('/assets/index-abc123.js');
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(res.headers['content-type']).toMatch(/javascript/);
  });

  it.each(['/', '/events', '/events/42', '/signposts/swe_bench_85?x=1', '/admin/keys', '/what-if'])(
    '%s answers index.html, revalidated',
    async (url) => {
      const res = await app.inject(url);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/text\/html/);
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.body).toContain('/assets/index-abc123.js');
    },
  );

  it('an unknown page answers the app with status 404', async () => {
    const res = await app.inject('/no-such-page');
    expect(res.statusCode).toBe(404);
    expect(res.body).toContain('<title>app</title>');
  });

  it('API paths never fall back to the app', async () => {
    for (const url of ['/v1/nope', '/v1', '/health/nope', '/docs/x', '/metrics', '/openapi.json', '/assets/missing.js']) {
      const res = await app.inject(url);
      expect(res.statusCode, url).toBe(404);
      expect(res.headers['content-type'], url).not.toMatch(/text\/html/);
    }
    expect((await app.inject('/v1/index')).json()).toEqual({ ok: true });
  });

  it('serves top-level files but never the build manifest or dot paths', async () => {
    const icon = await app.inject('/favicon.svg');
    expect(icon.statusCode).toBe(200);
    expect(icon.headers['cache-control']).toBe('public, max-age=3600');
    for (const url of ['/.vite/manifest.json', '/assets/../index.html', '/%2e%2e/package.json']) {
      const res = await app.inject(url);
      expect(res.body, url).not.toContain('{}');
      expect(res.body, url).not.toContain('"name"');
    }
  });

  it('answers HEAD like GET', async () => {
    const res = await app.inject({ method: 'HEAD', url: '/events' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('');
  });

  it('without a build, / says to run the build', async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'agi-web-empty-'));
    const bare = await appFor(empty);
    const res = await bare.inject('/');
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe(NOT_BUILT_MESSAGE);
    expect(res.body).toContain('npm run build');
    await bare.close();
    fs.rmSync(empty, { recursive: true, force: true });
  });
});
