import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSources, type SourceConfig } from '../src/ingest/source.js';
import { ingestJobs } from '../src/jobs/ingest-jobs.js';
import { IngestQueue } from '../src/jobs/ingest-queue.js';
import { createTestDatabase, requireRedisUrl, TEST_ADMIN_KEY, TEST_DATABASE_URL, type TestDatabase } from './helpers/databases.js';
import { fixture, FixtureServer } from './helpers/fixture-server.js';
import { createIngestTestContext, type IngestTestContext } from './helpers/ingest.js';
import { startTestServer } from './helpers/server.js';

const REDIS_URL = requireRedisUrl();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(fn: () => Promise<T | undefined>, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('condition not met in time');
    await sleep(100);
  }
}

/**
 * Queue mode needs Redis and a database several processes share: server Postgres. Each "process" here
 * is its own context (own connections, own IngestService owner token) on the same database and Redis
 * namespace, as replicas and workers would be.
 */
describe.skipIf(!REDIS_URL || !TEST_DATABASE_URL)('ingestion on a queue (BullMQ on Redis)', () => {
  let fixtures: FixtureServer;
  let database: TestDatabase;
  let sources: SourceConfig[];
  const opened: IngestTestContext[] = [];

  beforeAll(async () => {
    fixtures = await new FixtureServer().start();
    // No validators: every run fetches and records a row, so runs can be counted per job.
    fixtures.set('/q/feed.xml', { body: fixture('openai-news.rss.xml'), etag: null });
    fixtures.set('/q/down.xml', { status: 500 });
    sources = parseSources([
      { id: 'q-feed', name: 'Q', kind: 'feed', url: `${fixtures.url}/q/feed.xml`, tier: 'B', publisher: 'Q Lab', source_type: 'lab_post' },
      {
        id: 'q-down',
        name: 'Down',
        kind: 'feed',
        url: `${fixtures.url}/q/down.xml`,
        tier: 'B',
        publisher: 'Down',
        source_type: 'lab_post',
        disabled: 'fails on purpose',
      },
    ]);
    database = await createTestDatabase('postgres');
  });
  afterAll(async () => {
    for (const t of opened.splice(0)) await t.cleanup();
    await database?.drop();
    await fixtures?.close();
  });

  /** A "process": a context on the shared database and Redis namespace. */
  async function processContext(prefix: string, loadData = false): Promise<IngestTestContext> {
    const t = await createIngestTestContext('postgres', { sources }, { database, redisPrefix: prefix, env: { REDIS_URL }, loadData });
    opened.push(t);
    return t;
  }

  it('two workers and two API processes on one Redis run each scheduled job exactly once', async () => {
    const prefix = `test-${randomBytes(4).toString('hex')}:`;
    const api1 = await processContext(prefix, true);
    const api2 = await processContext(prefix);
    const worker1 = await processContext(prefix);
    const worker2 = await processContext(prefix);
    const inspect = new IngestQueue(REDIS_URL!, prefix);
    try {
      // Both replicas put the schedule in place (every second for the test; a cron pattern in production).
      await Promise.all([ingestJobs(api1.ctx).startScheduling({ every: 1_000 }), ingestJobs(api2.ctx).startScheduling({ every: 1_000 })]);
      expect(await inspect.queue.getJobSchedulersCount()).toBe(1);
      await Promise.all([ingestJobs(worker1.ctx).startWorker(), ingestJobs(worker2.ctx).startWorker()]);
      await sleep(4_500);
      await ingestJobs(api1.ctx).stopScheduling();
      // Let a job already taken finish.
      await until(async () => ((await inspect.queue.getActiveCount()) === 0 ? true : undefined));
      await Promise.all([ingestJobs(worker1.ctx).close(), ingestJobs(worker2.ctx).close()]);

      const completed = (await inspect.queue.getJobs(['completed'], 0, -1)).map((j) => j.id!);
      const runs = await api1.ctx.database.db.selectFrom('ingest_runs').selectAll().where('trigger', '=', 'schedule').execute();
      const jobIdsOfRuns = runs.map((r) => String(r.details.job_id));
      // One tick per second from one scheduler, not one per replica: about four, never eight.
      expect(completed.length).toBeGreaterThanOrEqual(3);
      expect(completed.length).toBeLessThanOrEqual(6);
      // Each job ran once: one run per job, no job id twice.
      expect(new Set(jobIdsOfRuns).size).toBe(jobIdsOfRuns.length);
      expect([...jobIdsOfRuns].sort()).toEqual([...completed].sort());
      expect(runs.every((r) => r.status === 'succeeded' && r.source === 'q-feed')).toBe(true);
      // The first run stored the feed; the later ones found it there.
      const events = await api1.ctx.database.db.selectFrom('events').select('id').where('source_id', '=', 'q-feed').execute();
      expect(events).toHaveLength(2);
    } finally {
      await inspect.queue.obliterate({ force: true }).catch(() => {});
      await inspect.close();
      for (const t of [api1, api2, worker1, worker2]) await ingestJobs(t.ctx).close();
    }
  });

  it('a failing job is retried with backoff, then stays in the failed set that GET /v1/admin/ingest-runs shows', async () => {
    const prefix = `test-${randomBytes(4).toString('hex')}:`;
    const api = await processContext(prefix);
    const worker = await processContext(prefix);
    const fast = {
      attempts: 2,
      backoff: { type: 'fixed' as const, delay: 200 },
      removeOnComplete: { count: 10 },
      removeOnFail: { count: 10 },
    };
    ingestJobs(api.ctx, { jobOptions: fast });
    await ingestJobs(worker.ctx).startWorker();
    const server = await startTestServer(api.ctx);
    try {
      const res = await fetch(`${server.url}/v1/admin/ingest`, {
        method: 'POST',
        headers: { 'x-api-key': TEST_ADMIN_KEY, 'content-type': 'application/json' },
        body: JSON.stringify({ sources: ['q-down', 'q-feed'] }),
      });
      expect(res.status).toBe(202);
      const queued = (await res.json()) as { status: string; mode: string; job_id: string };
      expect(queued).toMatchObject({ status: 'queued', mode: 'queue', job_id: expect.any(String) });

      const listing = await until(async () => {
        const body = (await (await fetch(`${server.url}/v1/admin/ingest-runs`, { headers: { 'x-api-key': TEST_ADMIN_KEY } })).json()) as {
          results: Array<{ source: string; status: string; details: { job_id?: string; attempt?: number } }>;
          failed_jobs: Array<{ id: string; attempts_made: number; failed_reason: string; data: { sources?: string[] } }>;
        };
        return body.failed_jobs.length > 0 ? body : undefined;
      });
      expect(listing.failed_jobs[0]).toMatchObject({ id: queued.job_id, attempts_made: 2 });
      expect(listing.failed_jobs[0]!.failed_reason).toMatch(/^1 source\(s\) failed: q-down: fetch: HTTP 500/);
      // The retry repeated only the source that failed.
      expect(listing.failed_jobs[0]!.data.sources).toEqual(['q-down']);
      const ofJob = listing.results.filter((r) => r.details.job_id === queued.job_id);
      expect(ofJob.filter((r) => r.source === 'q-down').map((r) => [r.status, r.details.attempt])).toEqual([
        ['failed', 2],
        ['failed', 1],
      ]);
      expect(ofJob.filter((r) => r.source === 'q-feed').map((r) => r.status)).toEqual(['succeeded']);
    } finally {
      await server.close();
      await ingestJobs(worker.ctx).close();
      const inspect = new IngestQueue(REDIS_URL!, prefix);
      await inspect.queue.obliterate({ force: true }).catch(() => {});
      await inspect.close();
    }
  });
});
