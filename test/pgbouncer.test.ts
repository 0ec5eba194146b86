import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { createContext, type AppContext } from '../src/app/context.js';
import { createLogger } from '../src/logger.js';
import { bootstrap } from '../src/services/bootstrap-service.js';
import { createTestDatabase, TEST_ADMIN_KEY, TEST_DATABASE_URL, testConfig, type TestDatabase } from './helpers/databases.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { adminHeaders, httpRequest } from './helpers/http.js';

const TEST_PGBOUNCER_URL = process.env.TEST_PGBOUNCER_URL;
if (process.env.CI === 'true' && !TEST_PGBOUNCER_URL) {
  throw new Error('CI=true but TEST_PGBOUNCER_URL is not set: the PgBouncer test cannot be skipped in CI');
}

function onDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function pgbouncerAdmin<T>(query: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: onDatabase(TEST_PGBOUNCER_URL!, 'pgbouncer') });
  await client.connect();
  try {
    return (await client.query(query)).rows as T[];
  } finally {
    await client.end();
  }
}

describe.runIf(TEST_PGBOUNCER_URL && TEST_DATABASE_URL)('the app through PgBouncer in transaction mode (P1-2)', () => {
  let database: TestDatabase;
  let name: string;
  let ctx: AppContext;
  let server: TestServer;
  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    name = new URL(database.url!).pathname.slice(1);
    const config = testConfig({
      DATABASE_URL: onDatabase(TEST_PGBOUNCER_URL!, name),
      DATABASE_DIRECT_URL: database.url,
      DATABASE_POOL_MAX: '4',
      // Debian's PgBouncer here is 1.18: it cannot track named prepared statements in transaction mode.
      DATABASE_PREPARED_STATEMENTS: 'false',
      ADMIN_API_KEY: TEST_ADMIN_KEY,
      RATE_LIMIT_PER_MINUTE: '100000',
    });
    ctx = await createContext(config, createLogger('silent'), { name: 'agi-tracker-pgbouncer-test' });
    // Migrations go over the direct URL; catalog, evidence, snapshots and the admin key through PgBouncer.
    await bootstrap(ctx);
    server = await startTestServer(ctx);
  }, 120_000);
  afterAll(async () => {
    await server?.close();
    await ctx?.close();
    if (name) await pgbouncerAdmin(`KILL ${name}`).catch(() => {});
    await database?.drop();
  });

  it('the pooled connections really are PgBouncer connections, in transaction mode', async () => {
    await httpRequest(`${server.url}/health/ready`);
    const pools = await pgbouncerAdmin<{ database: string; pool_mode: string }>('SHOW POOLS');
    const ours = pools.find((p) => p.database === name);
    expect(ours?.pool_mode).toBe('transaction');
  });

  it('readiness, reads, keyed admin writes, audit rows and failed auth all work through it', async () => {
    expect((await httpRequest(`${server.url}/health/ready`)).status).toBe(200);
    const events = await httpRequest(`${server.url}/v1/events?limit=500`);
    expect(events.status).toBe(200);
    expect(events.json().results.length).toBeGreaterThan(0);
    expect(events.json().results.length).toBeLessThanOrEqual(100);
    expect((await httpRequest(`${server.url}/v1/index`)).status).toBe(200);

    const created = await httpRequest(`${server.url}/v1/admin/api-keys`, {
      method: 'POST',
      headers: adminHeaders({ 'content-type': 'application/json' }),
      body: JSON.stringify({ name: 'via pgbouncer', role: 'reader' }),
    });
    expect(created.status).toBe(201);
    expect(
      (
        await httpRequest(`${server.url}/v1/admin/api-keys`, {
          headers: { 'x-api-key': 'agt_nope'.padEnd(47, 'x'), 'x-request-id': 'pgb-fail' },
        })
      ).status,
    ).toBe(403);
    const audit = await httpRequest(`${server.url}/v1/admin/audit-logs?action=auth_failed`, { headers: adminHeaders() });
    expect(audit.json().results.map((r: { request_id: string }) => r.request_id)).toContain('pgb-fail');
  });

  it('many concurrent requests share a pool of 4 connections without errors', async () => {
    const paths = Array.from({ length: 60 }, (_, i) =>
      i % 3 === 0 ? `/v1/events?limit=${1 + i}` : i % 3 === 1 ? '/health/ready' : `/v1/admin/audit-logs?limit=${1 + i}`,
    );
    const responses = await Promise.all(paths.map((p) => httpRequest(`${server.url}${p}`, { headers: adminHeaders() })));
    expect(responses.map((r) => r.status).filter((s) => s !== 200)).toEqual([]);
  });
});
