import { Queue, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import type { IngestService } from '../services/ingest-service.js';
import type { Logger } from '../logger.js';

export const INGEST_QUEUE = 'ingest';
/** The one job scheduler of scheduled ingestion: upserting it from every replica keeps it one. */
export const INGEST_SCHEDULER_ID = 'ingest-all';

export interface IngestJobData {
  /** Source ids; absent means every enabled source. */
  sources?: string[];
  trigger: 'schedule' | 'api' | 'cli';
  /** Who asked (API key id, request id), for the run records. */
  requested_by?: Record<string, unknown>;
}

export interface FailedJob {
  id: string;
  name: string;
  data: IngestJobData;
  failed_reason: string;
  attempts_made: number;
  created_at: string;
  finished_at: string | null;
}

export interface IngestJobOptions {
  attempts: number;
  backoff: { type: 'exponential' | 'fixed'; delay: number };
  removeOnComplete: { count: number };
  removeOnFail: { count: number };
}

/** Retries of a failed ingestion job: three attempts, 30 s then 60 s apart. */
export const INGEST_JOB_OPTIONS: IngestJobOptions = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 30_000 },
  removeOnComplete: { count: 500 },
  removeOnFail: { count: 1000 },
};

/**
 * BullMQ's connection: its own client (BullMQ's Lua scripts and blocking commands need
 * `maxRetriesPerRequest: null`, and must not go through the command client's key prefix; the prefix
 * is BullMQ's own `prefix` option instead).
 */
export function queueConnection(url: string, name: string): Redis {
  const redis = new Redis(url, { maxRetriesPerRequest: null, connectionName: name, lazyConnect: false });
  redis.on('error', () => {});
  return redis;
}

/** BullMQ key prefix of a context: `bull` under the context's Redis namespace. */
export function queuePrefix(redisPrefix: string): string {
  return `${redisPrefix}bull`;
}

/** The ingestion queue: adding jobs, the one job scheduler, and the failed set for the admin API. */
export class IngestQueue {
  private readonly connection: Redis;
  readonly queue: Queue<IngestJobData>;

  constructor(
    url: string,
    redisPrefix: string,
    private readonly jobOptions: IngestJobOptions = INGEST_JOB_OPTIONS,
    name = 'agi-tracker-queue',
  ) {
    this.connection = queueConnection(url, name);
    this.queue = new Queue<IngestJobData>(INGEST_QUEUE, { connection: this.connection, prefix: queuePrefix(redisPrefix) });
    this.queue.on('error', () => {});
  }

  async enqueue(data: IngestJobData): Promise<string> {
    const job = await this.queue.add('ingest', data, this.jobOptions);
    return job.id!;
  }

  /**
   * Creates or updates the scheduler (idempotent: any number of replicas may call it). A cron pattern
   * in production; `every` (milliseconds) for tests.
   */
  async schedule(repeat: { pattern: string } | { every: number }): Promise<void> {
    await this.queue.upsertJobScheduler(
      INGEST_SCHEDULER_ID,
      'pattern' in repeat ? { pattern: repeat.pattern, tz: 'UTC' } : { every: repeat.every },
      {
        name: 'ingest',
        data: { trigger: 'schedule' },
        opts: this.jobOptions,
      },
    );
  }

  async unschedule(): Promise<void> {
    await this.queue.removeJobScheduler(INGEST_SCHEDULER_ID);
  }

  /** The most recent failed jobs (retries exhausted), newest first. */
  async failedJobs(limit: number): Promise<FailedJob[]> {
    const jobs = (await this.queue.getJobs(['failed'], 0, Math.max(0, limit - 1), false)) as Job<IngestJobData>[];
    return jobs
      .filter((j): j is Job<IngestJobData> & { id: string } => Boolean(j?.id))
      .map((j) => ({
        id: j.id,
        name: j.name,
        data: j.data,
        failed_reason: j.failedReason ?? '',
        attempts_made: j.attemptsMade,
        created_at: new Date(j.timestamp).toISOString(),
        finished_at: j.finishedOn ? new Date(j.finishedOn).toISOString() : null,
      }));
  }

  async close(): Promise<void> {
    await this.queue.close();
    await this.connection.quit().catch(() => this.connection.disconnect());
  }
}

/**
 * A worker of the ingestion queue. A job runs the sources it names; if some fail, the job is retried
 * (with backoff) for those sources only, and after its last attempt it stays in the failed set.
 */
export class IngestWorker {
  private readonly connection: Redis;
  private readonly worker: Worker<IngestJobData>;
  private readonly abort = new AbortController();

  constructor(url: string, redisPrefix: string, ingest: IngestService, log: Logger, name = 'agi-tracker-worker') {
    this.connection = queueConnection(url, name);
    this.worker = new Worker<IngestJobData>(
      INGEST_QUEUE,
      async (job) => {
        const report = await ingest.run({
          sources: job.data.sources,
          trigger: job.data.trigger,
          context: {
            job_id: job.id,
            attempt: job.attemptsMade + 1,
            ...(job.data.requested_by ? { requested_by: job.data.requested_by } : {}),
          },
          signal: this.abort.signal,
        });
        const failed = report.sources.filter((s) => s.status === 'failed');
        if (failed.length > 0) {
          // A retry repeats only what failed.
          await job.updateData({ ...job.data, sources: failed.map((f) => f.source) });
          throw new Error(`${failed.length} source(s) failed: ${failed.map((f) => `${f.source}: ${f.error}`).join('; ')}`.slice(0, 2000));
        }
        return { new: report.new, duplicates: report.duplicates, errors: report.errors, sources: report.sources.length };
      },
      { connection: this.connection, prefix: queuePrefix(redisPrefix), concurrency: 1 },
    );
    this.worker.on('failed', (job, err) =>
      log.warn({ job_id: job?.id, attempts: job?.attemptsMade, reason: err.message }, 'ingestion job failed'),
    );
    this.worker.on('error', (err) => log.error({ err }, 'ingestion worker error'));
  }

  /** Resolves when the worker is connected and taking jobs. */
  waitUntilReady(): Promise<unknown> {
    return this.worker.waitUntilReady();
  }

  /** Stops taking jobs; a job in progress stops after its current batch and is retried later. */
  async close(): Promise<void> {
    this.abort.abort();
    await this.worker.close();
    await this.connection.quit().catch(() => this.connection.disconnect());
  }
}
