import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createTestContext, requireRedisUrl, TEST_DATABASE_URL, type TestContext } from './helpers/databases.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { startFakeLlmServer, type FakeLlmServer } from './helpers/fake-llm-server.js';
import { createRedis, type Redis } from '../src/redis.js';
import { budgetKeys } from '../src/llm/budget.js';

const LIMIT_USD = 0.05;
const CALLS = 200;
const KEYS = 12; // the chat rate limit is 20 a minute per client: spread the calls over several API keys

async function startChild(env: Record<string, string | undefined>): Promise<{ proc: ChildProcess; url: string }> {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'test/helpers/llm-server-process.ts'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  proc.stderr!.on('data', (d) => (stderr += String(d)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`child server did not start: ${stderr}`)), 30_000);
    let out = '';
    proc.stdout!.on('data', (d) => {
      out += String(d);
      const m = /READY (\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    proc.on('exit', (code) => reject(new Error(`child server exited with ${code}: ${stderr}`)));
  });
  return { proc, url };
}

/**
 * Two API server processes on one database (and one Redis when `redis`), a budget a small fraction of
 * what 200 calls would cost, and every call answered slowly so reservations overlap.
 */
function twoProcessBudget(mode: 'redis' | 'postgres') {
  const redisUrl = mode === 'redis' ? requireRedisUrl() : undefined;
  describe.runIf(TEST_DATABASE_URL && (mode === 'postgres' || redisUrl))(
    `${CALLS} concurrent chat calls across two server processes, budget in ${mode}`,
    () => {
      let fake: FakeLlmServer;
      let t: TestContext;
      let server: TestServer;
      let child: { proc: ChildProcess; url: string };
      let sampler: Redis | undefined;
      const prefix = `test-${randomBytes(4).toString('hex')}:`;

      beforeAll(async () => {
        fake = await startFakeLlmServer();
        // Near-maximal usage (the whole output cap) and a slow answer: the worst case for the limit.
        fake.script('openai', () => ({ usage: { input: 2_000, output: 700 }, delayMs: 40 }));
        const env = {
          OPENAI_API_KEY: 'sk-test',
          OPENAI_BASE_URL: fake.openaiBaseUrl,
          LLM_BUDGET_DAILY_USD: String(LIMIT_USD),
          LLM_BUDGET_WARNING_USD: '0.01',
          REDIS_URL: redisUrl,
        };
        t = await createTestContext('postgres', env, { redisPrefix: prefix });
        server = await startTestServer(t.ctx);
        child = await startChild({
          CHILD_DATABASE_URL: t.database.url,
          CHILD_REDIS_URL: redisUrl,
          CHILD_REDIS_PREFIX: prefix,
          CHILD_OPENAI_API_KEY: 'sk-test',
          CHILD_OPENAI_BASE_URL: fake.openaiBaseUrl,
          CHILD_LLM_BUDGET_DAILY_USD: String(LIMIT_USD),
          CHILD_LLM_BUDGET_WARNING_USD: '0.01',
        });
        if (redisUrl) {
          sampler = createRedis(redisUrl, 'sampler', prefix);
          await new Promise((r) => sampler!.once('ready', r));
        }
      }, 120_000);

      afterAll(async () => {
        child?.proc.kill('SIGTERM');
        await new Promise((r) => (child?.proc.exitCode !== null ? r(undefined) : child.proc.once('exit', r)));
        sampler?.disconnect();
        await server?.close();
        await t?.cleanup();
        await fake?.close();
      });

      it('never pushes recorded spend (ledger and budget store) over the hard limit', { timeout: 120_000 }, async () => {
        const keys = await Promise.all(
          Array.from({ length: KEYS }, (_, i) =>
            t.ctx.services.apiKeys.create({ name: `load-${i}`, role: 'reader', rate_limit_per_minute: null }),
          ),
        );
        const day = t.ctx.llm.budget.today();
        let maxSeen = 0;
        let sampling = true;
        const sample = async () => {
          while (sampling) {
            const v = sampler
              ? Number((await sampler.get(budgetKeys(day).total)) ?? 0)
              : await t.ctx.database.db
                  .selectFrom('llm_budget_days')
                  .select(['reserved_usd', 'llm_spend_usd', 'embedding_spend_usd'])
                  .where('day', '=', day)
                  .executeTakeFirst()
                  .then((r) => (r ? Number(r.reserved_usd) + Number(r.llm_spend_usd) + Number(r.embedding_spend_usd) : 0));
            maxSeen = Math.max(maxSeen, v);
            await new Promise((r) => setTimeout(r, 5));
          }
        };
        const sampled = sample();
        const started = performance.now();
        const results = await Promise.all(
          Array.from({ length: CALLS }, async (_, i) => {
            const base = i % 2 === 0 ? server.url : child.url;
            const res = await fetch(`${base}/v1/chat`, {
              method: 'POST',
              headers: { 'content-type': 'application/json', 'x-api-key': keys[i % KEYS]!.secret },
              body: JSON.stringify({ message: `What does the evidence say about SWE-bench Verified and OSWorld? (${i})` }),
            });
            return { status: res.status, body: (await res.json()) as { mode?: string; offline_reason?: string } };
          }),
        );
        const elapsed = performance.now() - started;
        sampling = false;
        await sampled;

        const statuses = new Map<number, number>();
        for (const r of results) statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
        expect(Object.fromEntries(statuses)).toEqual({ 200: CALLS });
        const llm = results.filter((r) => r.body.mode === 'llm').length;
        const offline = results.filter((r) => r.body.offline_reason === 'budget_exhausted').length;
        expect(llm + offline).toBe(CALLS);
        expect(llm).toBeGreaterThan(0);
        expect(offline).toBeGreaterThan(0);

        const rows = await t.ctx.database.db.selectFrom('llm_usage').selectAll().execute();
        const spent = rows.reduce((s, r) => s + Number(r.cost_usd), 0);
        expect(spent).toBeLessThanOrEqual(LIMIT_USD);
        expect(rows.filter((r) => r.status === 'reserved')).toHaveLength(0);
        expect(rows.filter((r) => r.status === 'ok')).toHaveLength(llm);
        expect(fake.requests.filter((r) => r.kind === 'chat')).toHaveLength(llm);
        expect(maxSeen).toBeLessThanOrEqual(LIMIT_USD);
        const status = await t.ctx.llm.budget.status();
        expect(status.total_spend_usd).toBeCloseTo(spent, 6);
        expect(status.at_warning).toBe(true);
        if (sampler) expect(Number(await sampler.get(budgetKeys(day).total))).toBeCloseTo(spent, 6);
        console.log(
          `${mode}: ${CALLS} calls in ${Math.round(elapsed)} ms; ${llm} answered by the model, ${offline} offline; spend $${spent.toFixed(6)} of $${LIMIT_USD}; max committed seen $${maxSeen.toFixed(6)}`,
        );
      });
    },
  );
}

twoProcessBudget('redis');
twoProcessBudget('postgres');
