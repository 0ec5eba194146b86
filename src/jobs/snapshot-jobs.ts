import { Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { AppContext } from '../app/context.js';
import { EmbeddedScheduler } from './embedded-scheduler.js';
import { queueConnection, queuePrefix } from './ingest-queue.js';
import { HISTORY_MAX_DAYS } from '../services/index-service.js';
import { CacheTags } from '../services/cache-tags.js';

export const SNAPSHOT_QUEUE = 'snapshots';
const JOB = 'snapshots.daily';
/** Just after midnight UTC, when a new day begins. */
export const SNAPSHOT_SCHEDULE = '5 0 * * *';

/**
 * Writes every missing daily snapshot of the history window (today's after midnight, and any day the
 * service was down), then evicts the cached index. Idempotent: a day that exists is not rewritten.
 */
export async function fillSnapshots(ctx: AppContext): Promise<number> {
  const report = await ctx.services.snapshots.ensureHistory(HISTORY_MAX_DAYS);
  if (!report) return 0;
  await ctx.cache.invalidate([CacheTags.index, CacheTags.signposts, CacheTags.forecasts, CacheTags.changelog]);
  ctx.log.info({ days: report.days.length, snapshots: report.snapshots_written }, 'daily snapshots written');
  return report.snapshots_written;
}

/**
 * The daily snapshot job, scheduled like the other jobs: in this process without Redis, as one BullMQ
 * job scheduler per cluster with it (workers run the job).
 */
export class SnapshotJobs {
  readonly mode: 'queue' | 'embedded';
  private connection?: Redis;
  private queue?: Queue;
  private worker?: Worker;
  private scheduler?: EmbeddedScheduler;

  constructor(private readonly ctx: AppContext) {
    this.mode = ctx.config.redisUrl ? 'queue' : 'embedded';
  }

  async startScheduling(): Promise<void> {
    const { ctx } = this;
    if (this.mode === 'queue') {
      this.connection ??= queueConnection(ctx.config.redisUrl!, 'agi-tracker-snapshot-queue');
      this.queue ??= new Queue(SNAPSHOT_QUEUE, { connection: this.connection, prefix: queuePrefix(ctx.redisPrefix) });
      this.queue.on('error', () => {});
      await this.queue.upsertJobScheduler(
        JOB,
        { pattern: SNAPSHOT_SCHEDULE, tz: 'UTC' },
        {
          name: JOB,
          data: {},
          opts: {
            attempts: 3,
            backoff: { type: 'exponential', delay: 60_000 },
            removeOnComplete: { count: 30 },
            removeOnFail: { count: 100 },
          },
        },
      );
      return;
    }
    this.scheduler = new EmbeddedScheduler(SNAPSHOT_SCHEDULE, async () => void (await fillSnapshots(ctx)), ctx.log, JOB);
    this.scheduler.start();
  }

  async startWorker(): Promise<void> {
    const { ctx } = this;
    if (this.mode !== 'queue') throw new Error('a snapshot job worker needs REDIS_URL');
    this.worker = new Worker(SNAPSHOT_QUEUE, async () => fillSnapshots(ctx), {
      connection: queueConnection(ctx.config.redisUrl!, 'agi-tracker-snapshot-worker'),
      prefix: queuePrefix(ctx.redisPrefix),
      concurrency: 1,
    });
    this.worker.on('failed', (job, err) => ctx.log.warn({ job: job?.name, reason: err.message }, 'snapshot job failed'));
    this.worker.on('error', (err) => ctx.log.error({ err }, 'snapshot worker error'));
    await this.worker.waitUntilReady();
  }

  async close(): Promise<void> {
    await this.scheduler?.stop();
    await this.worker?.close();
    await this.queue?.close();
    await this.connection?.quit().catch(() => this.connection?.disconnect());
  }
}

const byContext = new WeakMap<AppContext, SnapshotJobs>();

export function snapshotJobs(ctx: AppContext): SnapshotJobs {
  let jobs = byContext.get(ctx);
  if (!jobs) {
    jobs = new SnapshotJobs(ctx);
    byContext.set(ctx, jobs);
  }
  return jobs;
}
