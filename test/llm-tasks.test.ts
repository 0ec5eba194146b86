import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestContext, type TestContext } from './helpers/databases.js';
import { startFakeLlmServer, type FakeLlmServer, type FakeRequest } from './helpers/fake-llm-server.js';
import { ConsensusSchema } from '../src/llm/schemas.js';
import { agreementOf } from '../src/llm/tasks/event-analysis.js';

const analysis = (significance: number, summary = 'OpenAI reports a new SWE-bench Verified result.') =>
  JSON.stringify({ summary, significance, impact: { short: 'Benchmarks move.', medium: 'Agents improve.', long: 'Timelines shorten.' } });

async function anyEventId(t: TestContext): Promise<number> {
  const row = await t.ctx.database.db.selectFrom('events').select('id').orderBy('id').executeTakeFirstOrThrow();
  return row.id;
}

describe('agreement of two analyses', () => {
  it('is 1 for identical analyses and falls with the significance gap', () => {
    const a = JSON.parse(analysis(0.6));
    expect(agreementOf(a, a)).toBe(1);
    const far = JSON.parse(analysis(0.1, 'A minor press mention of a chatbot feature.'));
    expect(agreementOf(a, far)).toBeLessThan(0.75);
    expect(agreementOf(a, far)).toBeGreaterThanOrEqual(0);
  });
});

describe('LLM tasks with both providers (consensus)', () => {
  let fake: FakeLlmServer;
  let t: TestContext;
  beforeAll(async () => {
    fake = await startFakeLlmServer();
    t = await createTestContext('pglite', {
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: fake.openaiBaseUrl,
      ANTHROPIC_API_KEY: 'sk-ant-test',
      ANTHROPIC_BASE_URL: fake.anthropicBaseUrl,
    });
  });
  afterAll(async () => {
    await t?.cleanup();
    await fake?.close();
  });
  beforeEach(() => fake.reset());

  it('analyses an event on both models and stores the consensus with its agreement score', async () => {
    fake.enqueue('openai', { text: analysis(0.6) });
    fake.enqueue('anthropic', { text: analysis(0.8) });
    const id = await anyEventId(t);
    const stored = await t.ctx.services.llmTasks.analyseEvent(id);
    const parsed = ConsensusSchema.parse(stored);
    expect(parsed.method).toBe('consensus');
    expect(parsed.significance).toBeCloseTo(0.7, 6);
    expect(parsed.models.map((m) => m.provider)).toEqual(['openai', 'anthropic']);
    expect(parsed.agreement).toBeGreaterThan(0.8);
    expect(parsed.agreement).toBeLessThan(1);
    const row = await t.ctx.database.db.selectFrom('events').select('analysis').where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.analysis).toMatchObject({ method: 'consensus', agreement: parsed.agreement });
    const ledger = await t.ctx.database.db.selectFrom('llm_usage').selectAll().where('task', '=', 'event_analysis').execute();
    expect(ledger.map((r) => r.provider).sort()).toEqual(['anthropic', 'openai']);
    // The event text reached the models as quoted data.
    expect(fake.requests.every((r) => /<source id="1"/.test(r.prompt))).toBe(true);
  });

  it("keeps one model's analysis when the other's output stays invalid after its retry", async () => {
    fake.enqueue('openai', { text: analysis(0.5) });
    fake.enqueue('anthropic', { text: '{"summary": "x", "significance": 7}' }, { text: 'still not it' });
    const stored = await t.ctx.services.llmTasks.analyseEvent(await anyEventId(t));
    expect(stored).toMatchObject({ method: 'llm', provider: 'openai', significance: 0.5, note: 'second provider: invalid_model_output' });
    const anthropicCalls = fake.requests.filter((r) => r.provider === 'anthropic');
    expect(anthropicCalls).toHaveLength(2);
    expect(anthropicCalls[1]!.prompt).toMatch(/significance: Too big: expected number to be <=1/);
  });

  it('stores the offline analysis, marked as such, when both outputs stay invalid', async () => {
    fake.script('openai', () => ({ text: '{"nope": true}' }));
    fake.script('anthropic', () => ({ text: 'no json here' }));
    const stored = await t.ctx.services.llmTasks.analyseEvent(await anyEventId(t));
    expect(stored).toMatchObject({ method: 'offline', reason: 'invalid_model_output', impact: null });
    expect(typeof stored.summary).toBe('string');
    expect(fake.requests.filter((r) => r.kind === 'chat')).toHaveLength(4);
  });

  it('writes a weekly digest that names only events of that week', async () => {
    const latest = await t.ctx.database.db
      .selectFrom('events')
      .select(sql<Date>`max(published_at)`.as('at'))
      .executeTakeFirstOrThrow();
    const until = new Date(new Date(latest.at).getTime() + 86_400_000);
    const week = await t.ctx.database.db
      .selectFrom('events')
      .select('id')
      .where('published_at', '>=', new Date(until.getTime() - 7 * 86_400_000))
      .where('published_at', '<', until)
      .execute();
    expect(week.length).toBeGreaterThan(0);
    fake.enqueue('openai', {
      text: JSON.stringify({
        headline: 'Agents and compute',
        summary: 'A busy week.',
        highlights: [
          { event_id: week[0]!.id, note: 'The main item.' },
          { event_id: 999_999, note: 'Invented.' },
        ],
      }),
    });
    const digest = await t.ctx.services.llmTasks.weeklyDigest({ until });
    expect(digest).toMatchObject({ method: 'llm', headline: 'Agents and compute', event_count: week.length });
    expect(digest.highlights.map((h) => h.event_id)).toEqual([week[0]!.id]);
    expect(await t.ctx.services.llmTasks.latestDigest()).toMatchObject({ headline: 'Agents and compute' });
  });

  it('mapping assist turns an unmapped event into pending LLM observations, dropping unknown signposts and impossible values', async () => {
    const [inserted] = await t.ctx.database.db
      .insertInto('events')
      .values({
        title: 'Lab blog: our agent now solves four in five SWE-bench Verified tasks',
        summary: 'The company says its coding agent resolves 81% of SWE-bench Verified issues.',
        url: 'https://example.org/agent-81',
        canonical_url: 'https://example.org/agent-81',
        publisher: 'Example Lab',
        source_type: 'press',
        tier: 'C',
        published_at: new Date('2025-10-01T00:00:00Z'),
        content_hash: 'mapping-assist-test-1',
      })
      .returning('id')
      .execute();
    const eventId = inserted!.id;
    const mine = (r: FakeRequest) => r.prompt.includes('four in five SWE-bench');
    fake.script('openai', (r) =>
      mine(r)
        ? {
            text: JSON.stringify({
              mappings: [
                { signpost_code: 'swe_bench_85', value: 0.81, confidence: 0.9, rationale: 'States 81% on SWE-bench Verified.' },
                { signpost_code: 'made_up_signpost', value: 1, confidence: 0.9, rationale: 'Invented.' },
                { signpost_code: 'swe_bench_90', value: 81, confidence: 0.9, rationale: 'Percent, not a fraction.' },
              ],
            }),
          }
        : { text: '{"mappings": []}' },
    );
    const summary = await t.ctx.services.llmTasks.mapUnmapped({ limit: 500 });
    expect(summary.stored).toBe(1);
    expect(summary.dropped).toBe(2);
    const obs = await t.ctx.database.db.selectFrom('observations').selectAll().where('event_id', '=', eventId).execute();
    expect(obs).toHaveLength(1);
    expect(obs[0]).toMatchObject({ signpost_code: 'swe_bench_85', value: 0.81, method: 'llm', status: 'pending' }); // tier C: never auto-approved
    expect(obs[0]!.rationale).toMatch(/^LLM mapping assist: /);
    // Each event is offered once.
    fake.reset();
    expect(await t.ctx.services.llmTasks.mapUnmapped({ limit: 500 })).toMatchObject({ events: 0 });
    expect(fake.requests).toHaveLength(0);
  });
});

describe('LLM tasks without a provider', () => {
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestContext('pglite');
  });
  afterAll(async () => t?.cleanup());

  it('analysis and digest have deterministic offline results; mapping assist does nothing', async () => {
    const stored = await t.ctx.services.llmTasks.analyseEvent(await anyEventId(t));
    expect(stored).toMatchObject({ method: 'offline', reason: 'no_provider' });
    expect(await t.ctx.services.llmTasks.analysePending({ limit: 3 })).toEqual({ analysed: 3, offline: 3 });
    const digest = await t.ctx.services.llmTasks.weeklyDigest({ until: new Date('2025-12-01T00:00:00Z') });
    expect(digest.method).toBe('offline');
    expect(await t.ctx.services.llmTasks.mapUnmapped()).toEqual({ events: 0, proposed: 0, stored: 0, dropped: 0 });
    expect(await t.ctx.database.db.selectFrom('llm_usage').selectAll().execute()).toHaveLength(0);
  });
});
