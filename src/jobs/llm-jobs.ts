import { Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { AppContext } from '../app/context.js';
import { EmbeddedScheduler } from './embedded-scheduler.js';
import { queueConnection, queuePrefix } from './ingest-queue.js';

export const LLM_QUEUE = 'llm';

export type LlmJobName = 'llm.embed' | 'llm.analyse' | 'llm.mapping-assist' | 'llm.weekly-digest' | 'llm.budget-sweep';

export interface LlmJobDefinition {
  name: LlmJobName;
  /** Five-field cron, UTC. */
  schedule: string;
  description: string;
  run(ctx: AppContext): Promise<unknown>;
}

/**
 * The LLM layer's background jobs. Each calls one service method; every model or embedding call
 * inside goes through the one budgeted client. Analysis and mapping assist need a provider and do
 * nothing without one; embeddings and the digest have offline modes.
 */
export const LLM_JOBS: readonly LlmJobDefinition[] = [
  {
    name: 'llm.embed',
    schedule: '*/15 * * * *',
    description: 'embed events and signposts that lack a vector from the current model (pgvector only)',
    run: (ctx) => ctx.services.search.embedMissing(),
  },
  {
    name: 'llm.analyse',
    schedule: '20 * * * *',
    description: 'event analysis (consensus with two providers) for events not yet analysed',
    run: async (ctx) => (ctx.llm.client.enabled ? ctx.services.llmTasks.analysePending({ limit: 20 }) : { skipped: 'no_provider' }),
  },
  {
    name: 'llm.mapping-assist',
    schedule: '40 */6 * * *',
    description: 'propose signpost values for events the extraction rules could not map (pending review)',
    run: (ctx) => ctx.services.llmTasks.mapUnmapped({ limit: 20 }),
  },
  {
    name: 'llm.weekly-digest',
    schedule: '0 6 * * 1',
    description: "the week's digest (Mondays 06:00 UTC)",
    run: (ctx) => ctx.services.llmTasks.weeklyDigest(),
  },
  {
    name: 'llm.budget-sweep',
    schedule: '*/5 * * * *',
    description: 'expire ledger reservations of processes that died mid-call',
    run: (ctx) => ctx.llm.budget.sweep(),
  },
];

export function llmJob(name: string): LlmJobDefinition | undefined {
  return LLM_JOBS.find((j) => j.name === name);
}

/**
 * How this process takes part in the LLM jobs, as for ingestion: without Redis each job runs on its
 * schedule in this process; with Redis the schedules are BullMQ job schedulers (upserted by every
 * replica, so each exists once) and `agi-tracker worker` processes run the jobs.
 */
export class LlmJobs {
  readonly mode: 'queue' | 'embedded';
  private connection?: Redis;
  private queue?: Queue;
  private worker?: Worker;
  private readonly schedulers: EmbeddedScheduler[] = [];

  constructor(private readonly ctx: AppContext) {
    this.mode = ctx.config.redisUrl ? 'queue' : 'embedded';
  }

  async startScheduling(): Promise<void> {
    const { ctx } = this;
    if (this.mode === 'queue') {
      this.connection ??= queueConnection(ctx.config.redisUrl!, 'agi-tracker-llm-queue');
      this.queue ??= new Queue(LLM_QUEUE, { connection: this.connection, prefix: queuePrefix(ctx.redisPrefix) });
      this.queue.on('error', () => {});
      for (const job of LLM_JOBS) {
        await this.queue.upsertJobScheduler(
          job.name,
          { pattern: job.schedule, tz: 'UTC' },
          {
            name: job.name,
            data: {},
            opts: {
              attempts: 2,
              backoff: { type: 'exponential', delay: 60_000 },
              removeOnComplete: { count: 100 },
              removeOnFail: { count: 500 },
            },
          },
        );
      }
      ctx.log.info({ jobs: LLM_JOBS.map((j) => j.name) }, 'LLM job schedulers in place');
      return;
    }
    for (const job of LLM_JOBS) {
      const scheduler = new EmbeddedScheduler(job.schedule, async () => void (await job.run(ctx)), ctx.log, job.name);
      scheduler.start();
      this.schedulers.push(scheduler);
    }
  }

  async startWorker(): Promise<void> {
    const { ctx } = this;
    if (this.mode !== 'queue') throw new Error('an LLM job worker needs REDIS_URL');
    this.worker = new Worker(
      LLM_QUEUE,
      async (job) => {
        const def = llmJob(job.name);
        if (!def) throw new Error(`unknown LLM job ${job.name}`);
        return def.run(ctx);
      },
      { connection: queueConnection(ctx.config.redisUrl!, 'agi-tracker-llm-worker'), prefix: queuePrefix(ctx.redisPrefix), concurrency: 1 },
    );
    this.worker.on('failed', (job, err) =>
      ctx.log.warn({ job: job?.name, attempts: job?.attemptsMade, reason: err.message }, 'LLM job failed'),
    );
    this.worker.on('error', (err) => ctx.log.error({ err }, 'LLM worker error'));
    await this.worker.waitUntilReady();
  }

  async close(): Promise<void> {
    await Promise.all(this.schedulers.map((s) => s.stop()));
    await this.worker?.close();
    await this.queue?.close();
    await this.connection?.quit().catch(() => this.connection?.disconnect());
  }
}

const byContext = new WeakMap<AppContext, LlmJobs>();

/** The one LlmJobs of a context. */
export function llmJobs(ctx: AppContext): LlmJobs {
  let jobs = byContext.get(ctx);
  if (!jobs) {
    jobs = new LlmJobs(ctx);
    byContext.set(ctx, jobs);
  }
  return jobs;
}
