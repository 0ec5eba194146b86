import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { Queue } from 'bullmq';
import { createTestContext, requireRedisUrl, TEST_DATABASE_URL, type TestContext } from './helpers/databases.js';
import { LLM_JOBS, LLM_QUEUE, llmJobs } from '../src/jobs/llm-jobs.js';
import { queueConnection, queuePrefix } from '../src/jobs/ingest-queue.js';
import { isValidCron } from '../src/config.js';

const CLI = [path.resolve('node_modules/.bin/tsx'), path.resolve('src/cli/main.ts')];

describe('LLM jobs', () => {
  it('every job has a valid schedule and a distinct name', () => {
    expect(LLM_JOBS.every((j) => isValidCron(j.schedule))).toBe(true);
    expect(new Set(LLM_JOBS.map((j) => j.name)).size).toBe(LLM_JOBS.length);
  });

  const redisUrl = requireRedisUrl();
  describe.runIf(redisUrl)('with Redis', () => {
    let t: TestContext;
    beforeAll(async () => {
      t = await createTestContext('pglite', { REDIS_URL: redisUrl }, { loadData: false });
    });
    afterAll(async () => {
      await llmJobs(t.ctx).close();
      await t?.cleanup();
    });

    it('puts one BullMQ job scheduler per job in place, however many replicas upsert them', async () => {
      await llmJobs(t.ctx).startScheduling();
      await llmJobs(t.ctx).startScheduling(); // a second replica
      const connection = queueConnection(redisUrl!, 'llm-jobs-test');
      const queue = new Queue(LLM_QUEUE, { connection, prefix: queuePrefix(t.ctx.redisPrefix) });
      const schedulers = await queue.getJobSchedulers();
      expect(schedulers.map((s) => s.key).sort()).toEqual(LLM_JOBS.map((j) => j.name).sort());
      await queue.close();
      await connection.quit();
    });
  });
});

describe.runIf(TEST_DATABASE_URL)('agi-tracker budget', () => {
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestContext('postgres', {}, { loadData: false });
  });
  afterAll(async () => t?.cleanup());

  it("prints the same JSON as GET /v1/admin/llm-budget, with the guide's fields", () => {
    const r = spawnSync(CLI[0]!, [CLI[1]!, 'budget'], {
      env: {
        ...process.env,
        DATABASE_URL: t.database.url,
        LLM_BUDGET_DAILY_USD: '50',
        LLM_BUDGET_WARNING_USD: '20',
        LOG_LEVEL: 'warn',
        REDIS_URL: '',
      },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.status, r.stderr).toBe(0);
    const body = JSON.parse(r.stdout);
    expect(body).toEqual({
      date: new Date().toISOString().slice(0, 10),
      llm_spend_usd: 0,
      embedding_spend_usd: 0,
      total_spend_usd: 0,
      warning_threshold_usd: 20,
      hard_limit_usd: 50,
      at_warning: false,
      blocked: false,
    });
  });
});
