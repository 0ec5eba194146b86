import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestContext, databaseKinds, type TestContext } from './helpers/databases.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { startFakeLlmServer, type FakeLlmServer } from './helpers/fake-llm-server.js';
import { reciprocalRankFusion, SearchService } from '../src/services/search-service.js';
import { LOCAL_EMBEDDING_MODEL, cosineSimilarity, localEmbedding } from '../src/llm/local-embedding.js';
import type { Logger } from '../src/logger.js';

describe('reciprocal rank fusion', () => {
  it('scores each item by the sum of 1/(60 + rank) over the lists it appears in', () => {
    const fused = reciprocalRankFusion([
      ['a', 'b', 'c'],
      ['c', 'a'],
    ]);
    expect(fused.map((f) => f.key)).toEqual(['a', 'c', 'b']);
    expect(fused[0]!.score).toBeCloseTo(1 / 61 + 1 / 62, 12);
    expect(fused[1]!.score).toBeCloseTo(1 / 63 + 1 / 61, 12);
    expect(fused[2]!.score).toBeCloseTo(1 / 62, 12);
  });
});

describe('local hashed embedding', () => {
  it('is deterministic, 256-dimensional and unit length', () => {
    const a = localEmbedding('Claude Sonnet 4.5 reaches 77.2% on SWE-bench Verified');
    expect(a).toHaveLength(256);
    expect(localEmbedding('Claude Sonnet 4.5 reaches 77.2% on SWE-bench Verified')).toEqual(a);
    expect(Math.sqrt(a.reduce((s, x) => s + x * x, 0))).toBeCloseTo(1, 12);
  });

  it('puts texts that share words closer than unrelated ones, whatever their case and accents', () => {
    const q = localEmbedding('SWE-bench Verified score of coding agents');
    const near = localEmbedding('A new state of the art on swe-bench verified for coding agents');
    const far = localEmbedding('Largest GPU cluster reaches 100,000 H100 accelerators and 5 GW of power');
    expect(cosineSimilarity(q, near)).toBeGreaterThan(cosineSimilarity(q, far) + 0.2);
    expect(localEmbedding('Résumé')).toEqual(localEmbedding('resume'));
  });

  it('gives the zero vector for text without words', () => {
    expect(localEmbedding('!!! ??? ...').every((x) => x === 0)).toBe(true);
  });
});

describe('full-text fallback without pgvector', () => {
  it('logs its warning once per process, not per query', async () => {
    const warnings: string[] = [];
    const log = { warn: (msg: string) => warnings.push(msg) } as unknown as Logger;
    const repo = {
      fullTextEvents: async () => [],
      eventsByIds: async () => [],
      fullTextSignposts: async () => [],
      signpostsByCodes: async () => [],
    };
    const embeddings = { model: LOCAL_EMBEDDING_MODEL, embed: async () => [] };
    const search = new SearchService({
      repo: repo as never,
      embeddings: embeddings as never,
      database: { hasVector: async () => false },
      log,
    });
    const first = await search.searchEvents('compute', { limit: 5, offset: 0 });
    await search.searchEvents('agents', { limit: 5, offset: 0 });
    await search.retrieve('agents', 6);
    expect(first).toMatchObject({ mode: 'full_text', degraded: 'no_vector_extension' });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/pgvector is not installed/);
  });
});

describe.each(databaseKinds())('GET /v1/search/semantic on %s', (kind) => {
  let t: TestContext;
  let server: TestServer;
  let hasVector: boolean;
  beforeAll(async () => {
    t = await createTestContext(kind);
    hasVector = await t.ctx.database.hasVector();
    await t.ctx.services.search.embedMissing();
    server = await startTestServer(t.ctx);
  });
  afterAll(async () => {
    await server?.close();
    await t?.cleanup();
  });

  const get = (qs: string) => fetch(`${server.url}/v1/search/semantic?${qs}`);

  it('embeds every event where pgvector exists (local model without a key), and none where it does not', async () => {
    const again = await t.ctx.services.search.embedMissing();
    if (hasVector) {
      expect(again).toMatchObject({ model: LOCAL_EMBEDDING_MODEL, events: 0 }); // all done by the first run
      const r = await sql<{
        n: number;
      }>`SELECT count(*)::int AS n FROM events WHERE embedding IS NULL OR embedding_model <> ${LOCAL_EMBEDDING_MODEL}`.execute(
        t.ctx.database.db,
      );
      expect(r.rows[0]!.n).toBe(0);
    } else expect(again).toMatchObject({ skipped: 'no_vector_extension' });
  });

  it('fuses full text and vector ranks where pgvector exists, and falls back to full text where it does not', async () => {
    const res = await get(`q=${encodeURIComponent('training compute FLOP of frontier models')}&limit=10`);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.results.length).toBe(10);
    if (hasVector) {
      expect(body.mode).toBe('hybrid');
      expect(body.degraded).toBeUndefined();
      expect(body.results.some((r: { matched: string[] }) => r.matched.includes('vector'))).toBe(true);
    } else {
      expect(body).toMatchObject({ mode: 'full_text', degraded: 'no_vector_extension' });
      expect(body.results.every((r: { matched: string[] }) => r.matched.join() === 'text')).toBe(true);
    }
    const top = body.results
      .slice(0, 3)
      .map((r: { title: string; summary: string }) => `${r.title} ${r.summary}`)
      .join(' ');
    expect(top).toMatch(/FLOP|compute/i);
    const scores = body.results.map((r: { score: number }) => r.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  it('pages through results with a cursor, without repeats', async () => {
    const q = `q=${encodeURIComponent('benchmark results of language models')}`;
    const first = await (await get(`${q}&limit=5`)).json();
    expect(first.results).toHaveLength(5);
    expect(first.next_cursor).toEqual(expect.any(String));
    const second = await (await get(`${q}&limit=5&cursor=${first.next_cursor}`)).json();
    expect(second.results).toHaveLength(5);
    const ids = [...first.results, ...second.results].map((r: { id: number }) => r.id);
    expect(new Set(ids).size).toBe(10);
    const clamped = await (await get(`${q}&limit=500`)).json();
    expect(clamped.results.length).toBeLessThanOrEqual(100);
  });

  it('rejects a missing, empty, oversized or junk query and a forged cursor with a 400', async () => {
    for (const qs of [
      '',
      'q=',
      `q=${'x'.repeat(201)}`,
      'q=agents&limit=0',
      'q=agents&limit=abc',
      'q=agents&cursor=not-a-cursor',
      `q=agents&cursor=${Buffer.from('{"o":-4}').toString('base64url')}`,
      'q=%E2%80%8B',
    ]) {
      const res = await get(qs);
      expect(res.status, qs).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/problem\+json/);
    }
  });
});

describe('provider embeddings (fake OpenAI)', () => {
  let fake: FakeLlmServer;
  let t: TestContext;
  beforeAll(async () => {
    fake = await startFakeLlmServer();
    t = await createTestContext('pglite', { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: fake.openaiBaseUrl });
  });
  afterAll(async () => {
    await t?.cleanup();
    await fake?.close();
  });

  it('are requested at 256 dimensions in batches, stored with their model and budgeted as embedding spend', async () => {
    const result = await t.ctx.services.search.embedMissing({ batchSize: 32 });
    expect(result.model).toBe('text-embedding-3-small');
    expect(result.events).toBeGreaterThan(32);
    const calls = fake.requests.filter((r) => r.kind === 'embeddings');
    expect(calls.length).toBe(Math.ceil(result.events / 32) + 1); // event batches, then the signposts
    expect(calls.every((c) => c.body.dimensions === 256 && c.body.model === 'text-embedding-3-small')).toBe(true);
    const rows = await t.ctx.database.db.selectFrom('llm_usage').selectAll().execute();
    expect(rows).toHaveLength(calls.length);
    expect(rows.every((r) => r.kind === 'embedding' && r.status === 'ok' && Number(r.cost_usd) > 0)).toBe(true);
    const status = await t.ctx.llm.budget.status();
    expect(status.embedding_spend_usd).toBeGreaterThan(0);
    expect(status.llm_spend_usd).toBe(0);
    const hits = await t.ctx.services.search.searchEvents('SWE-bench Verified', { limit: 5, offset: 0 });
    expect(hits.mode).toBe('hybrid');
  });
});
