/**
 * Ingestion throughput (issue 5): a generated RSS feed served by a local HTTP server, through the real
 * pipeline (fetch, XML parse, normalise, rule extraction, import in one transaction per batch with
 * dedup inside the insert) to committed rows. One in three items carries a SWE-bench score, so it is
 * stored with two observations. Measured on in-memory PGlite and, when TEST_DATABASE_URL is set, on a
 * fresh database of that Postgres server. Target: >= 1,000 items/s.
 *
 *   npx tsx bench/ingest.ts [items]        (default 10000; writes bench/results/ingest.json)
 *
 * Two numbers per database: the first run (every item new) and a second run of the same feed served
 * without validators (every item a duplicate, found by the insert itself).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createContext } from '../src/app/context.js';
import { createLogger } from '../src/logger.js';
import { parseSources } from '../src/ingest/source.js';
import { prepareForIngest } from '../src/cli/ingest.js';
import { FixtureServer } from '../test/helpers/fixture-server.js';
import { generateRss } from '../test/helpers/feed-generator.js';
import { createTestDatabase, testConfig, TEST_DATABASE_URL, type DatabaseKind } from '../test/helpers/databases.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const ITEMS = Number(process.argv[2] ?? 10_000);
const TARGET = 1_000;

interface Measured {
  database: DatabaseKind;
  items: number;
  batch_size: number;
  first_run: { seconds: number; items_per_s: number; new: number; bytes: number };
  repeat_run: { seconds: number; items_per_s: number; duplicates: number };
  meets_target: boolean;
}

async function measure(kind: DatabaseKind, server: FixtureServer): Promise<Measured> {
  const database = await createTestDatabase(kind);
  const sources = parseSources([
    {
      id: 'bench-feed',
      name: 'Bench',
      kind: 'feed',
      url: `${server.url}/bench/feed.xml`,
      tier: 'B',
      publisher: 'Bench Lab',
      source_type: 'lab_post',
    },
  ]);
  const ctx = await createContext(testConfig({ DATABASE_URL: database.url }), createLogger('silent'), {
    inMemory: kind === 'pglite',
    name: 'agi-tracker-bench',
    ingest: { sources, fetcher: { minIntervalMs: 0, timeoutMs: 60_000 } },
  });
  try {
    await prepareForIngest(ctx);
    const t0 = performance.now();
    const first = await ctx.services.ingest.run({ trigger: 'bench' });
    const t1 = performance.now();
    const repeat = await ctx.services.ingest.run({ trigger: 'bench' });
    const t2 = performance.now();
    const s1 = first.sources[0]!;
    const s2 = repeat.sources[0]!;
    if (s1.status !== 'succeeded' || s1.new !== ITEMS || s2.duplicates !== ITEMS) {
      throw new Error(`unexpected run: ${JSON.stringify({ first: s1, repeat: s2 })}`);
    }
    const run = await ctx.repos.ingestRuns.findById(s1.run_id!);
    const firstSeconds = (t1 - t0) / 1000;
    const repeatSeconds = (t2 - t1) / 1000;
    return {
      database: kind,
      items: ITEMS,
      batch_size: 250,
      first_run: {
        seconds: round(firstSeconds),
        items_per_s: Math.round(ITEMS / firstSeconds),
        new: s1.new,
        bytes: Number(run?.details.bytes ?? 0),
      },
      repeat_run: { seconds: round(repeatSeconds), items_per_s: Math.round(ITEMS / repeatSeconds), duplicates: s2.duplicates },
      meets_target: ITEMS / firstSeconds >= TARGET,
    };
  } finally {
    await ctx.close();
    await database.drop();
  }
}

const round = (x: number) => Math.round(x * 1000) / 1000;

const server = await new FixtureServer().start();
// Served without an ETag so the second run fetches and parses the whole feed again.
server.set('/bench/feed.xml', { body: generateRss(ITEMS, { host: 'bench.example' }), etag: null, contentType: 'application/rss+xml' });
const kinds: DatabaseKind[] = TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];
const results: Measured[] = [];
try {
  for (const kind of kinds) {
    const r = await measure(kind, server);
    results.push(r);
    console.log(
      `${kind}: ${ITEMS} items, first run ${r.first_run.seconds}s = ${r.first_run.items_per_s} items/s; ` +
        `repeat (all duplicates) ${r.repeat_run.seconds}s = ${r.repeat_run.items_per_s} items/s`,
    );
  }
} finally {
  await server.close();
}
if (!TEST_DATABASE_URL) console.log('TEST_DATABASE_URL is not set: Postgres not measured');

const out = {
  bench: 'ingest',
  command: `npx tsx bench/ingest.ts ${ITEMS}`,
  measured_at: new Date().toISOString(),
  machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model ?? 'unknown', node: process.version },
  target_items_per_s: TARGET,
  results,
};
mkdirSync(path.join(here, 'results'), { recursive: true });
writeFileSync(path.join(here, 'results', 'ingest.json'), `${JSON.stringify(out, null, 2)}\n`);
