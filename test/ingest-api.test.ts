import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSources } from '../src/ingest/source.js';
import { databaseKinds, TEST_ADMIN_KEY, type DatabaseKind } from './helpers/databases.js';
import { fixture, FixtureServer } from './helpers/fixture-server.js';
import { createIngestTestContext, type IngestTestContext } from './helpers/ingest.js';
import { startTestServer, type TestServer } from './helpers/server.js';

const admin = { 'x-api-key': TEST_ADMIN_KEY, 'content-type': 'application/json' };

async function until<T>(fn: () => Promise<T | undefined>, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.each(databaseKinds())('admin ingestion API (embedded mode) on %s', (kind: DatabaseKind) => {
  let fixtures: FixtureServer;
  let t: IngestTestContext;
  let server: TestServer;

  beforeAll(async () => {
    fixtures = await new FixtureServer().start();
    fixtures.set('/lab/feed.xml', { body: fixture('openai-news.rss.xml') });
    fixtures.set('/lab2/feed.xml', { body: fixture('deepmind-blog.atom.xml') });
    const sources = parseSources([
      {
        id: 'lab-one',
        name: 'Lab one',
        kind: 'feed',
        url: `${fixtures.url}/lab/feed.xml`,
        tier: 'B',
        publisher: 'Lab One',
        source_type: 'lab_post',
      },
      {
        id: 'lab-two',
        name: 'Lab two',
        kind: 'feed',
        url: `${fixtures.url}/lab2/feed.xml`,
        tier: 'B',
        publisher: 'Lab Two',
        source_type: 'lab_post',
      },
    ]);
    t = await createIngestTestContext(kind, { sources });
    server = await startTestServer(t.ctx);
  });
  afterAll(async () => {
    await server.close();
    await t.cleanup();
    await fixtures.close();
  });

  it('both routes refuse a request without an admin key', async () => {
    expect((await fetch(`${server.url}/v1/admin/ingest`, { method: 'POST' })).status).toBe(401);
    expect((await fetch(`${server.url}/v1/admin/ingest-runs`)).status).toBe(401);
  });

  it('POST /v1/admin/ingest starts a run in this process (202) and writes an audit row', async () => {
    const res = await fetch(`${server.url}/v1/admin/ingest`, {
      method: 'POST',
      headers: admin,
      body: JSON.stringify({ source: 'lab-one' }),
    });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ status: 'started', mode: 'embedded', job_id: null, sources: ['lab-one'] });
    const run = await until(async () => {
      const r = await t.ctx.database.db
        .selectFrom('ingest_runs')
        .selectAll()
        .where('source', '=', 'lab-one')
        .where('status', '!=', 'running')
        .executeTakeFirst();
      return r ?? undefined;
    });
    expect(run).toMatchObject({ status: 'succeeded', trigger: 'api', new: 2 });
    expect(run.details).toMatchObject({ requested_by: { request_id: expect.any(String) } });
    // Counted on the context's Prometheus registry (served at /metrics).
    expect(await t.ctx.metrics.getSingleMetricAsString('agi_tracker_ingest_runs_total')).toContain(
      'source="lab-one",status="succeeded"} 1',
    );
    expect(await t.ctx.metrics.getSingleMetricAsString('agi_tracker_ingest_items_total')).toContain('source="lab-one",outcome="new"} 2');
    const audit = await t.ctx.database.db.selectFrom('audit_logs').selectAll().where('action', '=', 'trigger_ingest').execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ success: true, resource_type: 'ingest', details: { sources: ['lab-one'], mode: 'embedded' } });
  });

  it('an unknown source is a 400 problem, and nothing starts', async () => {
    const res = await fetch(`${server.url}/v1/admin/ingest`, {
      method: 'POST',
      headers: admin,
      body: JSON.stringify({ sources: ['nope'] }),
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(((await res.json()) as { detail: string }).detail).toMatch(/unknown source "nope"/);
  });

  it('GET /v1/admin/ingest-runs lists runs newest first with keyset pages', async () => {
    // No body at all: every enabled source.
    const all = await fetch(`${server.url}/v1/admin/ingest`, { method: 'POST', headers: { 'x-api-key': TEST_ADMIN_KEY } });
    expect(all.status).toBe(202);
    expect(((await all.json()) as { sources: string[] }).sources).toEqual(['lab-one', 'lab-two']);
    await until(async () => {
      const n = await t.ctx.database.db
        .selectFrom('ingest_runs')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('status', '!=', 'running')
        .executeTakeFirstOrThrow();
      return Number(n.n) >= 3 ? true : undefined;
    });
    const first = await fetch(`${server.url}/v1/admin/ingest-runs?limit=2`, { headers: admin });
    expect(first.status).toBe(200);
    const page1 = (await first.json()) as {
      results: Array<{ id: number; source: string; status: string }>;
      next_cursor: string | null;
      failed_jobs: unknown[];
    };
    expect(page1.results).toHaveLength(2);
    expect(page1.failed_jobs).toEqual([]);
    expect(page1.next_cursor).toEqual(expect.any(String));
    const page2 = (await (
      await fetch(`${server.url}/v1/admin/ingest-runs?limit=2&cursor=${page1.next_cursor}`, { headers: admin })
    ).json()) as typeof page1;
    const ids = [...page1.results, ...page2.results].map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    const filtered = (await (await fetch(`${server.url}/v1/admin/ingest-runs?source=lab-two`, { headers: admin })).json()) as typeof page1;
    expect(filtered.results.map((r) => r.source)).toEqual(['lab-two']);
    expect((await fetch(`${server.url}/v1/admin/ingest-runs?limit=0`, { headers: admin })).status).toBe(400);
  });
});
