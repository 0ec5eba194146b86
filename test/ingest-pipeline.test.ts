import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { sql } from 'kysely';
import { parseSources, type SourceConfig } from '../src/ingest/source.js';
import { BadRequestError } from '../src/errors.js';
import { databaseKinds, type DatabaseKind } from './helpers/databases.js';
import { fixture, FixtureServer } from './helpers/fixture-server.js';
import { createIngestTestContext, serveFixtureSources, type IngestTestContext } from './helpers/ingest.js';
import { generateRss } from './helpers/feed-generator.js';

function feed(id: string, url: string, extra: Record<string, unknown> = {}): SourceConfig {
  return parseSources([{ id, name: id, kind: 'feed', url, tier: 'B', publisher: 'Test Lab', source_type: 'lab_post', ...extra }])[0]!;
}

async function eventsOf(t: IngestTestContext, source: string) {
  return t.ctx.database.db.selectFrom('events').selectAll().where('source_id', '=', source).orderBy('id').execute();
}

async function observationsOf(t: IngestTestContext, source: string) {
  return t.ctx.database.db
    .selectFrom('observations')
    .innerJoin('events', 'events.id', 'observations.event_id')
    .select([
      'events.title',
      'observations.signpost_code',
      'observations.value',
      'observations.confidence',
      'observations.status',
      'observations.method',
      'observations.rationale',
    ])
    .where('events.source_id', '=', source)
    .orderBy('observations.id')
    .execute();
}

describe.each(databaseKinds())('ingestion pipeline on %s', (kind: DatabaseKind) => {
  let server: FixtureServer;
  const contexts: IngestTestContext[] = [];

  beforeAll(async () => {
    server = await new FixtureServer().start();
  });
  afterAll(() => server.close());
  afterEach(async () => {
    for (const t of contexts.splice(0)) await t.cleanup();
    vi.restoreAllMocks();
  });

  async function context(sources: SourceConfig[], extra: { batchSize?: number } = {}): Promise<IngestTestContext> {
    const t = await createIngestTestContext(kind, { sources, ...extra });
    contexts.push(t);
    return t;
  }

  it('every configured source ingests its fixture: events, tiers, observations auto-approved or queued per the review policy', async () => {
    const t = await context(serveFixtureSources(server));
    const report = await t.ctx.services.ingest.run({ trigger: 'test' });
    expect(report.sources.map((s) => [s.source, s.status, s.fetched, s.new, s.errors])).toEqual([
      ['arxiv', 'succeeded', 3, 3, 0],
      ['openai-news', 'succeeded', 3, 2, 1],
      ['google-deepmind-blog', 'succeeded', 2, 2, 0],
      ['ars-technica-ai', 'succeeded', 3, 1, 0], // press keeps only items with values
      ['swe-bench-verified', 'succeeded', 3, 2, 1],
      ['arc-agi-1', 'succeeded', 2, 2, 0],
      ['arc-agi-2', 'succeeded', 1, 1, 0],
      ['webarena', 'succeeded', 3, 2, 1],
      ['gpqa-diamond-epoch', 'succeeded', 2, 2, 0],
      ['epoch-notable-models', 'succeeded', 2, 2, 0],
    ]);

    // A/B values from strong rules are approved; C-tier press waits for review.
    const lab = await observationsOf(t, 'openai-news');
    expect(lab.map((o) => [o.signpost_code, o.value, o.status, o.method])).toEqual(
      expect.arrayContaining([
        ['swe_bench_85', 0.749, 'approved', 'rule'],
        ['swe_bench_90', 0.749, 'approved', 'rule'],
        ['gpqa_sota', 0.884, 'approved', 'rule'],
      ]),
    );
    expect(lab[0]!.rationale).toMatch(/^rule percent_on_benchmark: "/);
    const press = await observationsOf(t, 'ars-technica-ai');
    expect(press.map((o) => [o.signpost_code, o.value, o.status])).toEqual(
      expect.arrayContaining([
        ['webarena_70', 0.7, 'pending'],
        ['webarena_85', 0.7, 'pending'],
      ]),
    );
    const board = await observationsOf(t, 'swe-bench-verified');
    expect(board.filter((o) => o.signpost_code === 'swe_bench_85').map((o) => [o.value, o.confidence, o.status])).toEqual([
      [0.752, 1, 'approved'],
      [0.704, 1, 'approved'],
    ]);
    // Epoch AI's "speculative" estimate goes to review; "likely" passes.
    const compute = await observationsOf(t, 'epoch-notable-models');
    expect(new Set(compute.filter((o) => o.value === 3.8e25).map((o) => o.status))).toEqual(new Set(['pending']));
    expect(new Set(compute.filter((o) => o.value === 5e26).map((o) => o.status))).toEqual(new Set(['approved']));

    const papers = await eventsOf(t, 'arxiv');
    expect(papers.map((e) => [e.tier, e.source_type, e.canonical_url])).toContainEqual(['A', 'paper', 'https://arxiv.org/abs/2505.01234']);

    const runs = await t.ctx.database.db.selectFrom('ingest_runs').selectAll().orderBy('id').execute();
    expect(runs).toHaveLength(10);
    expect(runs.every((r) => r.status === 'succeeded' && r.finished_at !== null && r.trigger === 'test')).toBe(true);
    expect(runs.find((r) => r.source === 'openai-news')!.details).toMatchObject({
      error_samples: ['entry 3: entry has no title'],
      http_status: 200,
    });
  });

  it('running the same source twice adds nothing: the second fetch is conditional and answered 304, nothing is parsed', async () => {
    const t = await context(serveFixtureSources(server, ['openai-news', 'swe-bench-verified']));
    const first = await t.ctx.services.ingest.run({ trigger: 'test' });
    expect(first.new).toBe(4);
    const before = server.requests.length;
    const again = await t.ctx.services.ingest.run({ trigger: 'test' });
    expect(again.sources.map((s) => [s.source, s.not_modified, s.fetched, s.new, s.duplicates])).toEqual([
      ['openai-news', true, 0, 0, 0],
      ['swe-bench-verified', true, 0, 0, 0],
    ]);
    const conditional = server.requests.slice(before);
    expect(conditional.map((r) => r.status)).toEqual([304, 304]);
    expect(conditional.every((r) => typeof r.headers['if-none-match'] === 'string')).toBe(true);
    expect(await eventsOf(t, 'openai-news')).toHaveLength(2);
  });

  it('without validators from the server, a second run finds only duplicates', async () => {
    server.set('/plain/feed.xml', { body: fixture('openai-news.rss.xml'), etag: null });
    const t = await context([feed('plain', `${server.url}/plain/feed.xml`)]);
    expect((await t.ctx.services.ingest.run({ trigger: 'test' })).new).toBe(2);
    const again = await t.ctx.services.ingest.run({ trigger: 'test' });
    expect(again.sources[0]).toMatchObject({ status: 'succeeded', fetched: 3, new: 0, duplicates: 2 });
    expect(await eventsOf(t, 'plain')).toHaveLength(2);
  });

  it('an article whose title was edited is the same document: deduplicated by canonical URL', async () => {
    const original = fixture('openai-news.rss.xml');
    server.set('/edited/feed.xml', { body: original });
    const t = await context([feed('edited', `${server.url}/edited/feed.xml`)]);
    await t.ctx.services.ingest.run({ trigger: 'test' });
    server.set('/edited/feed.xml', {
      body: original.replace('Introducing Model Nova', 'Introducing Model Nova (updated)').replace('?utm_source=rss', '?utm_medium=feed'),
    });
    const again = await t.ctx.services.ingest.run({ trigger: 'test' });
    expect(again.sources[0]).toMatchObject({ new: 0, duplicates: 2 });
    expect((await eventsOf(t, 'edited')).map((e) => e.title)).toEqual(['Introducing Model Nova', 'Our approach to AI safety & security']);
  });

  it('a 500, a timeout, a truncated download and a broken document are survived: logged, counted, and the run goes on', async () => {
    server.set('/bad/500.xml', { status: 500 });
    server.set('/bad/slow.xml', { body: fixture('openai-news.rss.xml'), delayMs: 3_000 });
    server.set('/bad/cut.xml', { body: fixture('openai-news.rss.xml'), truncate: true });
    server.set('/bad/broken.xml', { body: fixture('openai-news.rss.xml').slice(0, 600) });
    server.set('/good/feed.xml', { body: fixture('deepmind-blog.atom.xml') });
    // Each on its own host name so they run side by side.
    const at = (host: string, p: string) => server.url.replace('127.0.0.1', host) + p;
    const t = await context([
      feed('five-hundred', at('127.0.0.1', '/bad/500.xml')),
      feed('stalled', at('localhost', '/bad/slow.xml')),
      feed('cut-short', at('127.0.0.1', '/bad/cut.xml')),
      feed('broken', at('127.0.0.1', '/bad/broken.xml')),
      feed('good', at('127.0.0.1', '/good/feed.xml')),
    ]);
    const report = await t.ctx.services.ingest.run({ trigger: 'test' });
    const by = Object.fromEntries(report.sources.map((s) => [s.source, s]));
    expect(by['five-hundred']).toMatchObject({ status: 'failed', errors: 1, error: 'fetch: HTTP 500 (after 3 attempts)' });
    expect(by.stalled).toMatchObject({ status: 'failed', errors: 1 });
    expect(by.stalled!.error).toMatch(/^fetch: timed out after 2000 ms/);
    expect(by['cut-short']).toMatchObject({ status: 'failed', errors: 1 });
    expect(by['cut-short']!.error).toMatch(/^fetch: network error/);
    expect(by.broken).toMatchObject({ status: 'failed', errors: 1 });
    expect(by.broken!.error).toMatch(/^document skipped: not well-formed XML/);
    expect(by.good).toMatchObject({ status: 'succeeded', new: 2 });
    expect(report.errors).toBe(4);

    const runs = await t.ctx.database.db
      .selectFrom('ingest_runs')
      .select(['source', 'status', 'errors', 'error_message'])
      .orderBy('id')
      .execute();
    expect(
      runs
        .filter((r) => r.status === 'failed')
        .map((r) => r.source)
        .sort(),
    ).toEqual(['broken', 'cut-short', 'five-hundred', 'stalled']);
    expect(runs.every((r) => r.status === 'succeeded' || (r.errors === 1 && r.error_message))).toBe(true);
    // A failed source keeps no validators: its next fetch is a full one.
    const state = await t.ctx.database.db
      .selectFrom('ingest_source_state')
      .selectAll()
      .where('source', '=', 'broken')
      .executeTakeFirstOrThrow();
    expect(state.etag).toBeNull();
  });

  it('an item the database refused is picked up by the next run: the validators are kept back', async () => {
    server.set('/refused/feed.xml', { body: fixture('openai-news.rss.xml') });
    const t = await context([feed('refused', `${server.url}/refused/feed.xml`)]);
    // The batch fails, then the first item alone fails again: it is reported, the other item is stored.
    const insert = vi.spyOn(t.ctx.repos.events, 'insertMany');
    insert.mockRejectedValueOnce(new Error('connection reset')).mockRejectedValueOnce(new Error('connection reset'));
    const first = await t.ctx.services.ingest.run({ trigger: 'test' });
    expect(first.sources[0]).toMatchObject({ status: 'succeeded', new: 1, errors: 2 });
    const run = await t.ctx.repos.ingestRuns.findById(first.sources[0]!.run_id!);
    expect(run!.details).toMatchObject({ validators_kept_back: '1 item(s) refused by the database' });
    insert.mockRestore();

    const before = server.requests.length;
    const again = await t.ctx.services.ingest.run({ trigger: 'test' });
    expect(server.requests.slice(before).map((r) => [r.status, r.headers['if-none-match']])).toEqual([[200, undefined]]);
    expect(again.sources[0]).toMatchObject({ status: 'succeeded', new: 1, duplicates: 1 });
    expect(await eventsOf(t, 'refused')).toHaveLength(2);
  });

  it('snapshots are refreshed and cache tags invalidated once per run, not per item or batch', async () => {
    server.set('/many/a.xml', { body: generateRss(30, { host: 'a.example' }) });
    server.set('/many/b.xml', { body: generateRss(30, { host: 'b.example' }) });
    const t = await context([feed('many-a', `${server.url}/many/a.xml`), feed('many-b', `${server.url}/many/b.xml`)], { batchSize: 7 });
    const invalidate = vi.spyOn(t.ctx.cache, 'invalidate');
    const refresh = vi.spyOn(t.ctx.services.snapshots, 'refresh');
    const report = await t.ctx.services.ingest.run({ trigger: 'test' });
    expect(report.new).toBe(60);
    expect(report.followed_up).toBe(true);
    expect(invalidate).toHaveBeenCalledTimes(1);
    expect(invalidate.mock.calls[0]![0]).toEqual(
      expect.arrayContaining(['events', 'evidence', 'index', 'signposts', 'signpost:swe_bench_85']),
    );
    expect(refresh).toHaveBeenCalledTimes(1);
    // Nothing new: nothing to refresh.
    await t.ctx.services.ingest.run({ trigger: 'test' });
    expect(invalidate).toHaveBeenCalledTimes(1);
    expect(refresh).toHaveBeenCalledTimes(1);
  });

  it('a run left "running" by a dead process is marked failed when the source is next run', async () => {
    server.set('/lease/feed.xml', { body: fixture('openai-news.rss.xml') });
    const t = await context([feed('leased', `${server.url}/lease/feed.xml`)]);
    const ghost = await t.ctx.repos.ingestRuns.start('leased', 'schedule', 'gone-host:4242:dead');
    await sql`UPDATE ingest_runs SET heartbeat_at = now() - interval '1 hour' WHERE id = ${ghost!.id}`.execute(t.ctx.database.db);
    const report = await t.ctx.services.ingest.run({ trigger: 'test' });
    expect(report.sources[0]).toMatchObject({ status: 'succeeded', new: 2 });
    const old = await t.ctx.repos.ingestRuns.findById(ghost!.id);
    expect(old).toMatchObject({ status: 'failed' });
    expect(old!.error_message).toMatch(/^abandoned: /);
  });

  it.skipIf(kind === 'pglite')('a source whose lease another live process holds is skipped, not run twice', async () => {
    server.set('/busy/feed.xml', { body: fixture('openai-news.rss.xml') });
    const t = await context([feed('busy', `${server.url}/busy/feed.xml`)]);
    const other = await t.ctx.repos.ingestRuns.start('busy', 'schedule', 'other-host:4242:alive');
    const report = await t.ctx.services.ingest.run({ trigger: 'test' });
    expect(report.sources[0]).toMatchObject({ status: 'skipped', run_id: null });
    expect(report.sources[0]!.error).toMatch(/already running \(run \d+, owner other-host:4242:alive\)/);
    expect((await t.ctx.repos.ingestRuns.findById(other!.id))!.status).toBe('running');
    expect(server.requestsTo('/busy/feed.xml')).toHaveLength(0);
  });

  it('a source naming a metric the catalog lacks fails with that reason; an unknown source id is a 400', async () => {
    server.set('/odd/board.json', { body: '[]', contentType: 'application/json' });
    const odd = parseSources([
      {
        id: 'odd-board',
        name: 'Odd',
        kind: 'leaderboard',
        url: `${server.url}/odd/board.json`,
        tier: 'A',
        publisher: 'Odd',
        format: 'json',
        benchmark: 'Odd Bench',
        metric: 'no_such_metric',
        fields: { model: ['m'], score: ['s'] },
        page: 'https://odd.example/',
      },
    ]);
    const t = await context(odd);
    const report = await t.ctx.services.ingest.run({ trigger: 'test' });
    expect(report.sources[0]).toMatchObject({
      status: 'failed',
      error: 'document skipped: the catalog has no metric "no_such_metric" for this source',
    });
    await expect(t.ctx.services.ingest.run({ trigger: 'test', sources: ['nope'] })).rejects.toThrow(BadRequestError);
  });
});
