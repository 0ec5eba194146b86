import type { Command } from 'commander';
import { createContext } from '../app/context.js';
import { DataDirLockedError } from '../db/data-dir-lock.js';
import { ingestJobs } from '../jobs/ingest-jobs.js';
import { llmJobs } from '../jobs/llm-jobs.js';
import { snapshotJobs } from '../jobs/snapshot-jobs.js';
import { prepareForIngest } from './ingest.js';
import { closeOnSignals, fail, loadEnvironment } from './run.js';

/**
 * `worker`: processes the ingestion queue (REDIS_URL). Any number of workers may run; each job runs
 * once. With INGEST_ENABLED it also upserts the job scheduler, which is idempotent.
 */
export function registerWorker(program: Command): void {
  program
    .command('worker')
    .description('process queued ingestion jobs (needs REDIS_URL); run as many as you like')
    .action(async () => {
      const { config, log } = loadEnvironment('server');
      if (!config.redisUrl) fail('worker needs REDIS_URL; without Redis the server (`serve`) runs ingestion itself on INGEST_SCHEDULE');
      const ctx = await createContext(config, log, { name: 'agi-tracker-worker' }).catch((err: unknown) => {
        if (err instanceof DataDirLockedError) fail(err.message);
        throw err;
      });
      await prepareForIngest(ctx);
      const jobs = ingestJobs(ctx);
      if (config.ingest.enabled) await jobs.startScheduling();
      await jobs.startWorker();
      // The same process also runs the LLM jobs (their schedulers are upserted idempotently, as for ingestion).
      await llmJobs(ctx).startScheduling();
      await llmJobs(ctx).startWorker();
      await snapshotJobs(ctx).startScheduling();
      await snapshotJobs(ctx).startWorker();
      log.info({ schedule: config.ingest.enabled ? config.ingest.schedule : 'off' }, 'ingestion worker ready');
      closeOnSignals(
        log,
        'worker',
        [() => jobs.close(), () => llmJobs(ctx).close(), () => snapshotJobs(ctx).close(), () => ctx.close()],
        30_000,
      );
    });
}
