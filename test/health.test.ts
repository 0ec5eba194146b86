import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import net from 'node:net';
import { createTestContext, createTestDatabase, TEST_DATABASE_URL, testConfig, type TestContext } from './helpers/databases.js';
import { createContext, type AppContext } from '../src/app/context.js';
import { createLogger } from '../src/logger.js';
import { bootstrap } from '../src/services/bootstrap-service.js';
import { startTestServer, type TestServer } from './helpers/server.js';

describe('liveness and readiness on the embedded database', () => {
  let t: TestContext;
  let server: TestServer;
  beforeAll(async () => {
    t = await createTestContext('pglite');
    server = await startTestServer(t.ctx);
  });
  afterAll(async () => {
    await server?.close();
    await t?.cleanup();
  });

  it('GET and HEAD /health answer 200', async () => {
    const get = await fetch(`${server.url}/health`);
    expect(get.status).toBe(200);
    expect(await get.json()).toEqual({ status: 'ok' });
    const head = await fetch(`${server.url}/health`, { method: 'HEAD' });
    expect(head.status).toBe(200);
  });

  it('/health/ready reports the database as ok', async () => {
    const res = await fetch(`${server.url}/health/ready`);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.status).toBe('ready');
    expect(body.checks.database.status).toBe('ok');
  });
});

describe('readiness when Redis is configured but down', () => {
  let t: TestContext;
  let server: TestServer;
  beforeAll(async () => {
    // Port 1 refuses connections: a Redis that is down.
    t = await createTestContext('pglite', { REDIS_URL: 'redis://127.0.0.1:1' });
    server = await startTestServer(t.ctx);
  });
  afterAll(async () => {
    await server?.close();
    await t?.cleanup();
  });

  it('answers 503 with the failing check, quickly', async () => {
    const started = Date.now();
    const res = await fetch(`${server.url}/health/ready`);
    expect(res.status).toBe(503);
    const body = await res.json();
    expect(body.checks.database.status).toBe('ok');
    expect(body.checks.redis.status).toBe('down');
    expect(typeof body.checks.redis.error).toBe('string');
    expect(Date.now() - started).toBeLessThan(3_000);
  });
});

/** A TCP proxy in front of Postgres that the test can cut and restore, so "Postgres down" is real for the app. */
class CuttableProxy {
  private server?: net.Server;
  private sockets = new Set<net.Socket>();
  port = 0;
  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}
  async start(port = 0): Promise<void> {
    this.server = net.createServer((client) => {
      const upstream = net.connect(this.targetPort, this.targetHost);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => {});
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.port = (this.server!.address() as net.AddressInfo).port;
  }
  async cut(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }
}

describe.runIf(TEST_DATABASE_URL)('readiness when server Postgres goes down and comes back', () => {
  let ctx: AppContext;
  let server: TestServer;
  let proxy: CuttableProxy;
  let dropDb: () => Promise<void>;
  beforeAll(async () => {
    const db = await createTestDatabase('postgres');
    dropDb = db.drop;
    const target = new URL(db.url!);
    proxy = new CuttableProxy(target.hostname, Number(target.port || 5432));
    await proxy.start();
    const viaProxy = new URL(db.url!);
    viaProxy.port = String(proxy.port);
    ctx = await createContext(testConfig({ DATABASE_URL: viaProxy.toString() }), createLogger('silent'));
    await bootstrap(ctx, { loadData: false });
    server = await startTestServer(ctx);
  });
  afterAll(async () => {
    await server?.close();
    await ctx?.close();
    await dropDb?.();
  });

  it('503 with detail while Postgres is unreachable, 200 again once it is back', async () => {
    expect((await fetch(`${server.url}/health/ready`)).status).toBe(200);

    await proxy.cut();
    const started = Date.now();
    const down = await fetch(`${server.url}/health/ready`);
    expect(down.status).toBe(503);
    const body = await down.json();
    expect(body.checks.database.status).toBe('down');
    expect(JSON.stringify(body)).not.toMatch(/postgres(ql)?:\/\//);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
    // An API call that needs the database says 503 (dependency down) as problem JSON, not 500.
    const api = await fetch(`${server.url}/v1/events?q=outage${Date.now()}`);
    expect(api.status).toBe(503);
    expect(api.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(JSON.stringify(await api.json())).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|postgres/i);

    await proxy.start(proxy.port);
    let status = 0;
    for (let i = 0; i < 20 && status !== 200; i++) {
      status = (await fetch(`${server.url}/health/ready`)).status;
      if (status !== 200) await new Promise((r) => setTimeout(r, 250));
    }
    expect(status).toBe(200);
  });
});

describe('while start-up is still migrating and loading', () => {
  let t: TestContext;
  let server: TestServer;
  beforeAll(async () => {
    t = await createTestContext('pglite', {}, { loadData: false });
    server = await startTestServer(t.ctx);
  });
  afterAll(async () => {
    await server?.close();
    await t?.cleanup();
  });

  it('liveness answers, readiness and every other route say 503 starting, until start-up is done', async () => {
    t.ctx.startup.ready = false;
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
    const ready = await fetch(`${server.url}/health/ready`);
    expect(ready.status).toBe(503);
    expect((await ready.json()).status).toBe('starting');
    const api = await fetch(`${server.url}/v1/events`);
    expect(api.status).toBe(503);
    expect(api.headers.get('retry-after')).toBe('2');
    expect(api.headers.get('content-type')).toMatch(/application\/problem\+json/);
    t.ctx.startup.ready = true;
    expect((await fetch(`${server.url}/health/ready`)).status).toBe(200);
    expect((await fetch(`${server.url}/v1/events`)).status).toBe(200);
  });
});
