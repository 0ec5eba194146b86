import type { AppContext } from '../app/context.js';
import type { IngestReport } from '../services/ingest-service.js';
import { EmbeddedScheduler } from './embedded-scheduler.js';
import { IngestQueue, IngestWorker, type FailedJob, type IngestJobData, type IngestJobOptions } from './ingest-queue.js';

export interface IngestDispatch {
  /** `queued`: a worker will run it (Redis); `started`: running in this process (embedded). */
  status: 'queued' | 'started';
  mode: 'queue' | 'embedded';
  job_id: string | null;
  sources: string[];
}

export interface DispatchRequest {
  sources?: string[];
  trigger: IngestJobData['trigger'];
  requested_by?: Record<string, unknown>;
}

/**
 * How this process takes part in ingestion. Embedded mode (no REDIS_URL): the schedule and manual
 * triggers run in this process. Queue mode (REDIS_URL): the schedule is a BullMQ job scheduler, upserted
 * idempotently by every replica so it exists once; triggers enqueue jobs; `agi-tracker worker`
 * processes run them.
 */
export class IngestJobs {
  readonly mode: 'queue' | 'embedded';
  private queue?: IngestQueue;
  private worker?: IngestWorker;
  private scheduler?: EmbeddedScheduler;
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly abort = new AbortController();
  private closed = false;

  constructor(
    private readonly ctx: AppContext,
    private readonly opts: { jobOptions?: IngestJobOptions } = {},
  ) {
    this.mode = ctx.config.redisUrl ? 'queue' : 'embedded';
  }

  private getQueue(): IngestQueue {
    if (!this.queue) this.queue = new IngestQueue(this.ctx.config.redisUrl!, this.ctx.redisPrefix, this.opts.jobOptions);
    return this.queue;
  }

  /** Starts a run of these sources (every enabled one by default); unknown sources are a 400 before anything starts. */
  async dispatch(request: DispatchRequest): Promise<IngestDispatch> {
    const sources = this.ctx.services.ingest.resolveSources(request.sources).map((s) => s.id);
    const named = request.sources && request.sources.length > 0 ? sources : undefined;
    if (this.mode === 'queue') {
      const jobId = await this.getQueue().enqueue({ sources: named, trigger: request.trigger, requested_by: request.requested_by });
      return { status: 'queued', mode: 'queue', job_id: jobId, sources };
    }
    this.background(() =>
      this.ctx.services.ingest.run({
        sources: named,
        trigger: request.trigger,
        context: request.requested_by ? { requested_by: request.requested_by } : {},
        signal: this.abort.signal,
      }),
    );
    return { status: 'started', mode: 'embedded', job_id: null, sources };
  }

  /** Failed jobs of the queue (none in embedded mode, where failures are only runs). */
  async failedJobs(limit: number): Promise<FailedJob[]> {
    return this.mode === 'queue' ? this.getQueue().failedJobs(limit) : [];
  }

  /**
   * Puts the schedule in place: the in-process timer (embedded) or the BullMQ job scheduler (queue).
   * Also marks runs left by dead processes as failed.
   */
  async startScheduling(opts: { every?: number } = {}): Promise<void> {
    await this.ctx.services.ingest.reapAbandoned();
    if (this.mode === 'queue') {
      await this.getQueue().schedule(opts.every ? { every: opts.every } : { pattern: this.ctx.config.ingest.schedule });
      this.ctx.log.info(
        { schedule: opts.every ? `every ${opts.every} ms` : this.ctx.config.ingest.schedule },
        'ingestion job scheduler in place',
      );
      return;
    }
    this.scheduler = new EmbeddedScheduler(
      this.ctx.config.ingest.schedule,
      async () => {
        await this.track(this.ctx.services.ingest.run({ trigger: 'schedule', signal: this.abort.signal }));
      },
      this.ctx.log,
    );
    this.scheduler.start();
  }

  /** Processes queued ingestion jobs in this process (the `worker` command; `serve --worker`). */
  async startWorker(): Promise<void> {
    if (this.mode !== 'queue') throw new Error('a queue worker needs REDIS_URL; without it the server runs ingestion itself');
    await this.ctx.services.ingest.reapAbandoned();
    this.worker = new IngestWorker(this.ctx.config.redisUrl!, this.ctx.redisPrefix, this.ctx.services.ingest, this.ctx.log);
    await this.worker.waitUntilReady();
  }

  /** Removes the queue's job scheduler (tests; turning scheduled ingestion off for the whole cluster). */
  async stopScheduling(): Promise<void> {
    if (this.mode === 'queue') await this.getQueue().unschedule();
    await this.scheduler?.stop();
  }

  private background(fn: () => Promise<IngestReport>): void {
    void this.track(fn()).catch((err: unknown) => this.ctx.log.error({ err }, 'ingestion run failed'));
  }

  private track<T>(p: Promise<T>): Promise<T> {
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p)).catch(() => {});
    return p;
  }

  /** Stops scheduling and working; in-process runs stop after their current batch. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.abort.abort();
    await this.scheduler?.stop();
    await this.worker?.close();
    await Promise.allSettled([...this.inFlight]);
    await this.queue?.close();
  }
}

const byContext = new WeakMap<AppContext, IngestJobs>();

/**
 * The one IngestJobs of a context (routes, the server and CLI commands share it). Options apply when it
 * is first made (tests shorten the retry backoff).
 */
export function ingestJobs(ctx: AppContext, opts: { jobOptions?: IngestJobOptions } = {}): IngestJobs {
  let jobs = byContext.get(ctx);
  if (!jobs) {
    jobs = new IngestJobs(ctx, opts);
    byContext.set(ctx, jobs);
  }
  return jobs;
}
