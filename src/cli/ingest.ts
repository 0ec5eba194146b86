import type { Command } from 'commander';
import type { AppContext } from '../app/context.js';
import { bootstrap } from '../services/bootstrap-service.js';
import { syncCatalog } from '../services/catalog-service.js';
import { UNAVAILABLE_SOURCES } from '../ingest/sources.config.js';
import { ingestJobs } from '../jobs/ingest-jobs.js';
import { fail, printJson, withContext } from './run.js';

/** What ingestion needs in the database: the schema and the catalog's signposts (idempotent). */
export async function prepareForIngest(ctx: AppContext): Promise<void> {
  await bootstrap(ctx, { loadData: false });
  await syncCatalog(ctx.catalog, ctx.repos.catalog, ctx.repos.appState);
}

export function registerIngest(program: Command): void {
  program
    .command('ingest [sources...]')
    .description('run ingestion now for the named sources (all enabled sources by default) and print the report')
    .option('--list', 'list the configured sources and exit')
    .option('--queue', 'enqueue a job for the workers instead of running here (needs REDIS_URL)')
    .action(async (sources: string[], opts: { list?: boolean; queue?: boolean }) => {
      await withContext(async (ctx) => {
        const ingest = ctx.services.ingest;
        if (opts.list) {
          printJson({
            sources: ingest.listSources().map((s) => ({
              id: s.id,
              name: s.name,
              kind: s.kind,
              tier: s.tier,
              url: s.url,
              ...(s.disabled ? { disabled: s.disabled } : {}),
            })),
            unavailable: UNAVAILABLE_SOURCES,
          });
          return;
        }
        ingest.resolveSources(sources); // unknown ids fail before anything runs
        if (opts.queue) {
          if (!ctx.config.redisUrl) fail('--queue needs REDIS_URL (without it there is no queue: run without --queue)');
          const jobs = ingestJobs(ctx);
          try {
            printJson(await jobs.dispatch({ sources, trigger: 'cli' }));
          } finally {
            await jobs.close();
          }
          return;
        }
        await prepareForIngest(ctx);
        await ingest.reapAbandoned();
        const abort = new AbortController();
        const stop = () => abort.abort();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
        try {
          const report = await ingest.run({ sources, trigger: 'cli', signal: abort.signal });
          printJson(report);
          if (report.sources.some((s) => s.status === 'failed')) process.exitCode = 2;
        } finally {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
        }
      });
    });
}
