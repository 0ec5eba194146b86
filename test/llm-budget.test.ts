import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { Registry } from 'prom-client';
import { createTestContext, databaseKinds, requireRedisUrl, type TestContext } from './helpers/databases.js';
import { LlmBudget, RESERVATION_EXPIRY_MS, budgetKeys } from '../src/llm/budget.js';
import { llmMetrics } from '../src/llm/metrics.js';
import { LlmUsageRepository } from '../src/db/repositories/llm-usage-repository.js';
import { createRedis, type Redis } from '../src/redis.js';
import { createLogger } from '../src/logger.js';
import { BudgetExhaustedError, BudgetUnavailableError } from '../src/errors.js';

const log = createLogger('silent');
const GUIDE_FIELDS = [
  'date',
  'llm_spend_usd',
  'embedding_spend_usd',
  'total_spend_usd',
  'warning_threshold_usd',
  'hard_limit_usd',
  'at_warning',
  'blocked',
];

function budgetOn(t: TestContext, opts: { redis?: Redis; limit: number; warning: number; now?: () => Date }) {
  return new LlmBudget({
    repo: new LlmUsageRepository(t.ctx.database.db),
    redis: opts.redis,
    dailyLimitUsd: opts.limit,
    warningUsd: opts.warning,
    log,
    metrics: llmMetrics(new Registry()),
    now: opts.now,
  });
}

const call = (micros: number) => ({
  kind: 'llm' as const,
  provider: 'openai',
  model: 'gpt-4o-mini',
  task: 'chat',
  requestId: 'req-1',
  maxCostMicros: micros,
});

async function ledgerSum(t: TestContext): Promise<number> {
  const rows = await t.ctx.database.db.selectFrom('llm_usage').select(['cost_usd']).execute();
  return Math.round(rows.reduce((s, r) => s + Number(r.cost_usd), 0) * 1e6);
}

/** Each test starts on an empty day: no ledger rows, no counter row, no Redis state. */
async function resetDay(t: TestContext, redis?: Redis): Promise<void> {
  await t.ctx.database.db.deleteFrom('llm_usage').execute();
  await t.ctx.database.db.deleteFrom('llm_budget_days').execute();
  if (redis) {
    const k = budgetKeys(new Date().toISOString().slice(0, 10));
    await redis.del(k.state, k.total, k.llm, k.embedding, k.reservations);
  }
}

/** Behaviour both stores must have. */
function sharedBudgetBehaviour(name: string, setup: () => { t: () => TestContext; redis: () => Redis | undefined }) {
  const env = setup();
  beforeEach(async () => resetDay(env.t(), env.redis()));
  const make = (limit: number, warning: number, now?: () => Date) => budgetOn(env.t(), { redis: env.redis(), limit, warning, now });

  it(`${name}: the status has exactly the guide's fields and counts llm and embedding spend apart`, async () => {
    const budget = make(1, 0.5);
    const a = await budget.reserve(call(100_000));
    await budget.settle(a, { status: 'ok', inputTokens: 1000, outputTokens: 100, costMicros: 60_000 });
    const e = await budget.reserve({ ...call(20_000), kind: 'embedding', model: 'text-embedding-3-small', task: 'embedding_backfill' });
    await budget.settle(e, { status: 'ok', inputTokens: 5000, outputTokens: 0, costMicros: 10_000 });
    const s = await budget.status();
    expect(Object.keys(s).sort()).toEqual([...GUIDE_FIELDS].sort());
    expect(s).toMatchObject({
      llm_spend_usd: 0.06,
      embedding_spend_usd: 0.01,
      total_spend_usd: 0.07,
      warning_threshold_usd: 0.5,
      hard_limit_usd: 1,
      at_warning: false,
      blocked: false,
    });
    expect(s.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const rows = await env.t().ctx.repos.llmUsage.listDay(s.date);
    expect(rows.map((r) => [r.kind, r.status, Number(r.cost_usd)])).toEqual([
      ['llm', 'ok', 0.06],
      ['embedding', 'ok', 0.01],
    ]);
    expect(rows[0]!.request_id).toBe('req-1');
  });

  it(`${name}: a reservation that would pass the hard limit is refused, and a release gives the room back`, async () => {
    const budget = make(0.1, 0.05);
    const held = await budget.reserve(call(80_000));
    await expect(budget.reserve(call(30_000))).rejects.toBeInstanceOf(BudgetExhaustedError);
    // Reserved is not spent: the warning follows total_spend_usd; `blocked` counts the reservation.
    expect(await budget.status()).toMatchObject({ total_spend_usd: 0, at_warning: false });
    await budget.settle(held, { status: 'ok', inputTokens: 0, outputTokens: 0, costMicros: 60_000 });
    expect(await budget.status()).toMatchObject({ total_spend_usd: 0.06, at_warning: true });
    const again = await budget.reserve(call(30_000));
    await budget.settle(again, { status: 'ok', inputTokens: 1, outputTokens: 1, costMicros: 30_000 });
    expect((await budget.status()).total_spend_usd).toBe(0.09);
    await expect(budget.reserve(call(20_000))).rejects.toBeInstanceOf(BudgetExhaustedError);
  });

  it(`${name}: 200 concurrent reservations near the limit never commit more than the limit`, async () => {
    const limitMicros = 50_000;
    const budget = make(limitMicros / 1e6, 0.01);
    let granted = 0;
    let refused = 0;
    await Promise.all(
      Array.from({ length: 200 }, async (_, i) => {
        try {
          const r = await budget.reserve(call(1_000 + (i % 7) * 100));
          granted++;
          await new Promise((res) => setTimeout(res, i % 5));
          await budget.settle(r, { status: 'ok', inputTokens: 10, outputTokens: 10, costMicros: 900 });
        } catch (err) {
          expect(err).toBeInstanceOf(BudgetExhaustedError);
          refused++;
        }
      }),
    );
    expect(granted).toBeGreaterThan(0);
    expect(refused).toBeGreaterThan(0);
    const total = await ledgerSum(env.t());
    expect(total).toBeLessThanOrEqual(limitMicros);
    expect(total).toBe(granted * 900);
    expect((await budget.status()).total_spend_usd).toBe(total / 1e6);
  });
}

describe.each(databaseKinds())('LLM budget, Postgres counter on %s', (kind) => {
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestContext(kind, {}, { loadData: false });
  });
  afterAll(async () => t?.cleanup());

  sharedBudgetBehaviour('postgres counter', () => ({ t: () => t, redis: () => undefined }));

  it('a reservation left by a dead process expires and its room comes back', async () => {
    let now = new Date();
    const budget = budgetOn(t, { limit: 0.2, warning: 0.1, now: () => now });
    await budget.reserve(call(150_000)); // never settled: the process "died"
    await expect(budget.reserve(call(100_000))).rejects.toBeInstanceOf(BudgetExhaustedError);
    // The sweeper compares with created_at (database time), so move the row back in time.
    await t.ctx.database.db
      .updateTable('llm_usage')
      .set({ created_at: new Date(Date.now() - RESERVATION_EXPIRY_MS - 60_000) } as never)
      .where('status', '=', 'reserved')
      .execute();
    now = new Date();
    expect(await budget.sweep()).toBe(1);
    const r = await budget.reserve(call(100_000));
    await budget.settle(r, { status: 'ok', inputTokens: 1, outputTokens: 1, costMicros: 1 });
    const rows = await t.ctx.repos.llmUsage.listDay(budget.today());
    expect(rows.some((x) => x.status === 'failed' && /reservation expired/.test(x.error ?? ''))).toBe(true);
  });

  it('fails closed when the database does not answer', async () => {
    const broken = await createTestContext(kind, {}, { loadData: false });
    const budget = budgetOn(broken, { limit: 1, warning: 0.5 });
    await broken.cleanup();
    await expect(budget.reserve(call(1_000))).rejects.toBeInstanceOf(BudgetUnavailableError);
    await expect(budget.status()).rejects.toBeInstanceOf(BudgetUnavailableError);
  });
});

const redisUrl = requireRedisUrl();
describe.runIf(redisUrl)('LLM budget, Redis', () => {
  let t: TestContext;
  let redis: Redis;
  beforeAll(async () => {
    t = await createTestContext(databaseKinds().at(-1)!, {}, { loadData: false });
    redis = createRedis(redisUrl!, 'budget-test', `test-${randomBytes(4).toString('hex')}:`);
    await new Promise((resolve) => redis.once('ready', resolve));
  });
  afterAll(async () => {
    redis?.disconnect();
    await t?.cleanup();
  });

  sharedBudgetBehaviour('redis', () => ({ t: () => t, redis: () => redis }));

  it("keeps the day's spend, in dollars, under the seed guide's key llm_budget:daily:YYYY-MM-DD", async () => {
    const budget = budgetOn(t, { redis, limit: 10, warning: 5 });
    const before = Number((await redis.get(budgetKeys(budget.today()).total)) ?? 0);
    const r = await budget.reserve(call(250_000));
    expect(Number(await redis.get(budgetKeys(budget.today()).total))).toBeCloseTo(before + 0.25, 6);
    await budget.settle(r, { status: 'ok', inputTokens: 1, outputTokens: 1, costMicros: 120_000 });
    expect(Number(await redis.get(budgetKeys(budget.today()).total))).toBeCloseTo(before + 0.12, 6);
    expect(await redis.get(budgetKeys(budget.today()).total)).toMatch(/^\d+\.\d{6}$/);
  });

  it('rebuilds a lost Redis day from the durable ledger instead of starting again at zero', async () => {
    const budget = budgetOn(t, { redis, limit: 10, warning: 5 });
    const spent = await ledgerSum(t);
    const keys = budgetKeys(budget.today());
    await redis.del(keys.state, keys.total, keys.llm, keys.embedding, keys.reservations);
    expect((await budget.status()).total_spend_usd).toBe(spent / 1e6);
    const r = await budget.reserve(call(1_000));
    await budget.settle(r, { status: 'ok', inputTokens: 1, outputTokens: 1, costMicros: 1_000 });
    expect(Number(await redis.get(keys.total))).toBeCloseTo((spent + 1_000) / 1e6, 6);
  });

  it('fails closed when Redis does not answer: nothing reserved, the attempt recorded as failed at no cost', async () => {
    const dead = createRedis('redis://127.0.0.1:1', 'dead', 'x:');
    const budget = budgetOn(t, { redis: dead, limit: 10, warning: 5 });
    await expect(budget.reserve(call(1_000))).rejects.toBeInstanceOf(BudgetUnavailableError);
    await expect(budget.status()).rejects.toBeInstanceOf(BudgetUnavailableError);
    const rows = await t.ctx.repos.llmUsage.listDay(budget.today());
    expect(rows.map((r) => [r.status, Number(r.cost_usd), r.error])).toEqual([['failed', 0, 'budget store unreachable']]);
    dead.disconnect();
  });
});
