import { randomBytes } from 'node:crypto';
import { createLogger } from '../../src/logger.js';
import { createContext, type AppContext } from '../../src/app/context.js';
import type { IngestOptions } from '../../src/app/ingest.js';
import { bootstrap } from '../../src/services/bootstrap-service.js';
import { prepareForIngest } from '../../src/cli/ingest.js';
import { rebaseSources, type SourceConfig } from '../../src/ingest/source.js';
import { defaultSources } from '../../src/ingest/sources.config.js';
import { createTestDatabase, testConfig, TEST_ADMIN_KEY, type DatabaseKind, type TestDatabase } from './databases.js';
import { fixture, FixtureServer } from './fixture-server.js';

/** Which fixture each configured source is served in tests. */
export const SOURCE_FIXTURES: Record<string, { file: string; contentType: string; names?: string }> = {
  arxiv: { file: 'arxiv.atom.xml', contentType: 'application/atom+xml; charset=utf-8' },
  'openai-news': { file: 'openai-news.rss.xml', contentType: 'application/rss+xml; charset=utf-8' },
  'google-deepmind-blog': { file: 'deepmind-blog.atom.xml', contentType: 'application/atom+xml' },
  'ars-technica-ai': { file: 'press.rss.xml', contentType: 'application/rss+xml' },
  'swe-bench-verified': { file: 'swe-bench-leaderboards.json', contentType: 'application/json' },
  'arc-agi-1': { file: 'arc-evaluations.json', contentType: 'application/json', names: 'arc-models.json' },
  'arc-agi-2': { file: 'arc-evaluations.json', contentType: 'application/json', names: 'arc-models.json' },
  webarena: { file: 'webarena.csv', contentType: 'text/csv; charset=utf-8' },
  'gpqa-diamond-epoch': { file: 'epoch-benchmarks.csv', contentType: 'text/csv' },
  'epoch-notable-models': { file: 'epoch-notable-models.csv', contentType: 'text/csv' },
};

/** The path a rebased source is requested at on the fixture server. */
export function fixturePath(url: string, base: string): string {
  return new URL(url).pathname.replace(new URL(base).pathname.replace(/\/$/, ''), '') || '/';
}

/** The configured sources that have fixtures, pointed at the server, with their fixtures routed. */
export function serveFixtureSources(server: FixtureServer, ids = Object.keys(SOURCE_FIXTURES)): SourceConfig[] {
  const sources = rebaseSources(
    defaultSources().filter((s) => ids.includes(s.id)),
    server.url,
  );
  for (const s of sources) {
    const f = SOURCE_FIXTURES[s.id]!;
    server.set(new URL(s.url).pathname, { body: fixture(f.file), contentType: f.contentType });
    if (s.kind === 'leaderboard' && s.names && f.names) {
      server.set(new URL(s.names.url).pathname, { body: fixture(f.names), contentType: 'application/json' });
    }
  }
  return sources;
}

/** Fast fetch settings for tests: no politeness delay, short backoff and timeout. */
export const TEST_FETCHER = { minIntervalMs: 0, backoffMs: 10, maxBackoffMs: 200, timeoutMs: 2_000, retries: 2 };

export interface IngestTestContext {
  ctx: AppContext;
  database: TestDatabase;
  cleanup(): Promise<void>;
}

/** A migrated context with the catalog (and, with `loadData`, the bundled evidence) whose ingestion reads the given sources. */
export async function createIngestTestContext(
  kind: DatabaseKind,
  ingest: IngestOptions,
  opts: { env?: Record<string, string | undefined>; redisPrefix?: string; loadData?: boolean; database?: TestDatabase } = {},
): Promise<IngestTestContext> {
  const database = opts.database ?? (await createTestDatabase(kind));
  const config = testConfig({ ADMIN_API_KEY: TEST_ADMIN_KEY, ...opts.env, DATABASE_URL: database.url });
  const ctx = await createContext(config, createLogger('silent'), {
    inMemory: kind === 'pglite',
    name: 'agi-tracker-test',
    redisPrefix: opts.redisPrefix ?? `test-${randomBytes(4).toString('hex')}:`,
    ingest: { fetcher: TEST_FETCHER, ...ingest },
  });
  if (opts.loadData) await bootstrap(ctx);
  else {
    // Schema, catalog and the admin key; no bundled evidence (and so no snapshot history to build).
    await prepareForIngest(ctx);
    await ctx.services.apiKeys.bootstrap(config.adminApiKey);
  }
  return {
    ctx,
    database,
    async cleanup() {
      await ctx.close();
      if (!opts.database) await database.drop();
    },
  };
}
