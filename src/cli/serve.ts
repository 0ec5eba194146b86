import { createContext } from '../app/context.js';
import { bootstrap } from '../services/bootstrap-service.js';
import { buildServer } from '../http/server.js';
import { DataDirLockedError } from '../db/data-dir-lock.js';
import { closeOnSignals, fail, loadEnvironment } from './run.js';
import { ingestJobs } from '../jobs/ingest-jobs.js';
import { llmJobs } from '../jobs/llm-jobs.js';
import { fillSnapshots, snapshotJobs } from '../jobs/snapshot-jobs.js';

/** `serve`: migrate, load catalog and evidence, create the first admin key, and serve HTTP until SIGTERM. */
export async function serve(opts: { worker?: boolean } = {}): Promise<void> {
  const { config, log } = loadEnvironment('server');
  const started = performance.now();
  const ctx = await createContext(config, log, { name: 'agi-tracker-api' }).catch((err) => {
    if (err instanceof DataDirLockedError) fail(err.message);
    throw err;
  });
  // Listen first so liveness answers while the database is migrated and loaded; until then every
  // route but /health says 503 (starting).
  ctx.startup.ready = false;
  const app = await buildServer(ctx);
  // Handlers go in before anything slow, so a SIGTERM during start-up also shuts down cleanly.
  closeOnSignals(
    ctx.log,
    'server',
    [() => app.close(), () => ingestJobs(ctx).close(), () => llmJobs(ctx).close(), () => snapshotJobs(ctx).close(), () => ctx.close()],
    10_000,
  );
  await app.listen({ port: config.port, host: config.host });
  const result = await bootstrap(ctx).catch(async (err: unknown) => {
    ctx.log.fatal({ err }, 'start-up failed');
    await app.close();
    await ctx.close();
    fail(`start-up failed: ${(err as Error).message}`);
  });
  ctx.startup.ready = true;
  if (result.migrations.length) ctx.log.info({ migrations: result.migrations }, 'migrations applied');
  if (result.evidence)
    ctx.log.info({ inserted: result.evidence.inserted, duplicates: result.evidence.duplicates }, 'bundled evidence loaded');
  if (result.createdAdminKey) {
    // Printed once, on stdout only; the database keeps a hash.
    process.stdout.write(
      `\nCreated the first admin API key (shown once, store it now):\n\n  ${result.createdAdminKey.secret}\n\n` +
        `Use it as the X-API-Key header on /v1/admin routes. Set ADMIN_API_KEY to provide your own instead.\n\n`,
    );
  }
  const jobs = ingestJobs(ctx);
  if (config.ingest.enabled) {
    // Embedded: an in-process timer. With REDIS_URL: upsert the one BullMQ job scheduler (idempotent across
    // replicas); workers run the jobs. Not awaited: a Redis outage must not keep the API from serving.
    jobs.startScheduling().catch((err: unknown) => ctx.log.error({ err }, 'ingestion scheduling failed'));
  }
  if (opts.worker) {
    if (!config.redisUrl) fail('--worker needs REDIS_URL; without it the server already runs ingestion itself');
    jobs.startWorker().catch((err: unknown) => ctx.log.error({ err }, 'ingestion worker failed to start'));
  }
  // LLM jobs (embeddings, analysis, mapping assist, digest, budget sweep) on their schedules. Embedded
  // mode also embeds what lacks a vector right away, so semantic search works from the first start.
  llmJobs(ctx)
    .startScheduling()
    .catch((err: unknown) => ctx.log.error({ err }, 'LLM job scheduling failed'));
  if (!config.redisUrl) void ctx.services.search.embedMissing().catch((err: unknown) => ctx.log.warn({ err }, 'embedding backfill failed'));
  // Daily snapshots: the history window is filled in the background (bootstrap already wrote today's).
  void fillSnapshots(ctx).catch((err: unknown) => ctx.log.warn({ err }, 'snapshot history backfill failed'));
  snapshotJobs(ctx)
    .startScheduling()
    .catch((err: unknown) => ctx.log.error({ err }, 'snapshot job scheduling failed'));
  if (opts.worker)
    snapshotJobs(ctx)
      .startWorker()
      .catch((err: unknown) => ctx.log.error({ err }, 'snapshot worker failed to start'));
  if (opts.worker)
    llmJobs(ctx)
      .startWorker()
      .catch((err: unknown) => ctx.log.error({ err }, 'LLM worker failed to start'));
  ctx.log.info(
    { ms: Math.round(performance.now() - started), database: ctx.database.kind },
    `serving on http://${config.host}:${config.port}`,
  );
}
