import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { parseSources } from '../src/ingest/source.js';
import { databaseKinds, createTestDatabase, testConfig, type DatabaseKind, type TestDatabase } from './helpers/databases.js';
import { FixtureServer } from './helpers/fixture-server.js';
import { generateRss } from './helpers/feed-generator.js';
import { TEST_FETCHER } from './helpers/ingest.js';
import { createContext } from '../src/app/context.js';
import { createLogger } from '../src/logger.js';
import { prepareForIngest } from '../src/cli/ingest.js';

const ITEMS = 4_000;
const BATCH = 40;
const src = (p: string) => JSON.stringify(path.resolve(p));

/** A separate process that ingests the feed and reports each committed batch on stdout. */
function writerScript(feedUrl: string, env: Record<string, string>): string {
  return `
    import { createContext } from ${src('src/app/context.ts')};
    import { createLogger } from ${src('src/logger.ts')};
    import { loadConfig } from ${src('src/config.ts')};
    import { parseSources } from ${src('src/ingest/source.ts')};
    import { prepareForIngest } from ${src('src/cli/ingest.ts')};
    const config = loadConfig(${JSON.stringify({ ENVIRONMENT: 'test', LOG_LEVEL: 'silent', INGEST_ENABLED: 'false', ...env })});
    const sources = parseSources([{ id: 'crash-feed', name: 'Crash', kind: 'feed', url: ${JSON.stringify(feedUrl)}, tier: 'B', publisher: 'Lab', source_type: 'lab_post' }]);
    const ctx = await createContext(config, createLogger('silent'), { name: 'crash-writer', ingest: { sources, batchSize: ${BATCH}, fetcher: ${JSON.stringify(TEST_FETCHER)} } });
    await prepareForIngest(ctx);
    process.stdout.write('ready\\n');
    await ctx.services.ingest.run({ trigger: 'crash-test', onProgress: (p) => process.stdout.write('batch ' + p.counts.new + '\\n') });
    process.stdout.write('finished\\n');
    await ctx.close();
  `;
}

describe.each(databaseKinds())('crash safety on %s', (kind: DatabaseKind) => {
  let fixtures: FixtureServer;
  let dir: string;
  let database: TestDatabase;

  beforeAll(async () => {
    fixtures = await new FixtureServer().start();
    fixtures.set('/crash/feed.xml', { body: generateRss(ITEMS, { host: 'crash.example' }) });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agt-crash-'));
    database = await createTestDatabase(kind);
  });
  afterAll(async () => {
    await fixtures.close();
    await database.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('kill -9 mid-run, then run again: nothing lost, nothing duplicated, the dead run marked failed', async () => {
    const env: Record<string, string> = kind === 'pglite' ? { DATA_DIR: path.join(dir, 'data') } : { DATABASE_URL: database.url! };
    const file = path.join(dir, 'writer.mts');
    fs.writeFileSync(file, writerScript(`${fixtures.url}/crash/feed.xml`, env));
    const child = spawn(process.execPath, ['--import', 'tsx', file], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const progressed = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (b: Buffer) => {
        out += b.toString();
        // Kill on the second committed batch: certainly mid-run, with work committed before it.
        if ((out.match(/^batch /gm) ?? []).length >= 2) resolve(out);
      });
      void exited.then((code) => reject(new Error(`writer exited with ${code} before committing twice:\n${out}\n${stderr}`)));
    });
    child.kill('SIGKILL');
    expect(await exited).toBeNull();
    expect(progressed).not.toContain('finished');

    const config = testConfig({ ...env });
    const sources = parseSources([
      {
        id: 'crash-feed',
        name: 'Crash',
        kind: 'feed',
        url: `${fixtures.url}/crash/feed.xml`,
        tier: 'B',
        publisher: 'Lab',
        source_type: 'lab_post',
      },
    ]);
    const ctx = await createContext(config, createLogger('silent'), {
      name: 'crash-rerun',
      ingest: { sources, batchSize: 500, fetcher: TEST_FETCHER },
    });
    try {
      await prepareForIngest(ctx);
      const db = ctx.database.db;
      const count = async () =>
        Number(
          (
            await db
              .selectFrom('events')
              .select((eb) => eb.fn.countAll<number>().as('n'))
              .where('source_id', '=', 'crash-feed')
              .executeTakeFirstOrThrow()
          ).n,
        );
      const committed = await count();
      expect(committed).toBeGreaterThanOrEqual(2 * BATCH);
      expect(committed).toBeLessThan(ITEMS);
      const dead = await db.selectFrom('ingest_runs').selectAll().where('source', '=', 'crash-feed').executeTakeFirstOrThrow();
      expect(dead.status).toBe('running');

      const before = fixtures.requestsTo('/crash/feed.xml').length;
      const report = await ctx.services.ingest.run({ trigger: 'crash-test' });
      expect(report.sources[0]).toMatchObject({
        status: 'succeeded',
        fetched: ITEMS,
        new: ITEMS - committed,
        duplicates: committed,
        errors: 0,
      });
      // The dead run never saved validators, so the rerun fetched the whole feed again.
      const refetch = fixtures.requestsTo('/crash/feed.xml').slice(before);
      expect(refetch.map((r) => [r.status, r.headers['if-none-match']])).toEqual([[200, undefined]]);

      expect(await count()).toBe(ITEMS);
      const distinct = await sql<{ urls: number; hashes: number }>`
        SELECT count(DISTINCT canonical_url)::int AS urls, count(DISTINCT content_hash)::int AS hashes FROM events WHERE source_id = 'crash-feed'`.execute(
        db,
      );
      expect(distinct.rows[0]).toEqual({ urls: ITEMS, hashes: ITEMS });
      // Each event arrived with its observations or not at all: every third item carries a SWE-bench score.
      const withScores = await sql<{ n: number }>`
        SELECT count(*)::int AS n FROM events e WHERE e.source_id = 'crash-feed' AND e.summary LIKE '%SWE-bench%'
          AND (SELECT count(*) FROM observations o WHERE o.event_id = e.id) = 2`.execute(db);
      expect(withScores.rows[0]!.n).toBe(Math.ceil(ITEMS / 3));
      const orphans = await sql<{ n: number }>`
        SELECT count(*)::int AS n FROM events e WHERE e.source_id = 'crash-feed' AND e.summary LIKE '%SWE-bench%'
          AND NOT EXISTS (SELECT 1 FROM observations o WHERE o.event_id = e.id)`.execute(db);
      expect(orphans.rows[0]!.n).toBe(0);

      const runs = await db.selectFrom('ingest_runs').selectAll().where('source', '=', 'crash-feed').orderBy('id').execute();
      expect(runs.map((r) => r.status)).toEqual(['failed', 'succeeded']);
      expect(runs[0]!.error_message).toMatch(/^abandoned: /);
      // The dead run's counters were current up to its last committed batch.
      expect(runs[0]!.new).toBeLessThanOrEqual(committed);
      expect(runs[0]!.new).toBeGreaterThanOrEqual(2 * BATCH);
    } finally {
      await ctx.close();
    }
  }, 120_000);
});
