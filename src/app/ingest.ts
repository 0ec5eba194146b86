import type { Registry } from 'prom-client';
import type { AppContext } from './context.js';
import { counter } from './metrics.js';
import type { Catalog } from '../domain/catalog.js';
import type { Logger } from '../logger.js';
import { Fetcher, type FetcherOptions } from '../ingest/fetcher.js';
import type { SourceConfig } from '../ingest/source.js';
import { defaultSources } from '../ingest/sources.config.js';
import type { IngestRunRepository } from '../db/repositories/ingest-run-repository.js';
import type { ImportService } from '../services/import-service.js';
import { IngestService, type IngestMetrics, type LedgerChange } from '../services/ingest-service.js';
import { ledgerChangeTags } from '../services/cache-tags.js';

/** Ingestion settings a context can override (tests point sources at a fixture server). */
export interface IngestOptions {
  sources?: SourceConfig[];
  fetcher?: FetcherOptions;
  batchSize?: number;
  staleAfterMs?: number;
}

/** Ingestion counters on the context's Prometheus registry. */
export function ingestMetrics(registry: Registry): IngestMetrics {
  const runs = counter(registry, {
    name: 'agi_tracker_ingest_runs_total',
    help: 'Ingestion runs per source, by outcome (skipped: another process held the source)',
    labelNames: ['source', 'status'] as const,
  });
  const items = counter(registry, {
    name: 'agi_tracker_ingest_items_total',
    help: 'Ingested items per source: new events, duplicates, errors',
    labelNames: ['source', 'outcome'] as const,
  });
  return {
    run: (source, status) => runs.inc({ source, status }),
    items: (source, outcome, n) => {
      if (n > 0) items.inc({ source, outcome }, n);
    },
  };
}

/**
 * Tags of the read API that new evidence makes stale: the tracker's ledger tags. New events get no
 * `event:<id>` tags (nothing could have cached pages of events that did not exist).
 */
export function ingestCacheTags(change: LedgerChange): string[] {
  return ledgerChangeTags({ signposts: change.signposts, scoring: change.scoring, changelog: change.scoring });
}

/**
 * Once per ingestion run that added events: when the new evidence can move scores, the snapshots from
 * its earliest publication day to today are recomputed; then the cache tags it touches are invalidated,
 * on every replica.
 */
export function ingestFollowUp(ctx: AppContext): (change: LedgerChange) => Promise<void> {
  return async (change) => {
    if (change.scoring) await ctx.services.snapshots.refresh(await ctx.repos.events.earliestPublishedDay(change.eventIds));
    await ctx.cache.invalidate(ingestCacheTags(change));
  };
}

export function buildIngestService(
  deps: {
    log: Logger;
    databaseKind: 'pglite' | 'postgres';
    catalog: () => Catalog;
    imports: ImportService;
    runs: IngestRunRepository;
    metrics: Registry;
    followUp: (change: LedgerChange) => Promise<void>;
  },
  opts: IngestOptions = {},
): IngestService {
  return new IngestService({
    runs: deps.runs,
    imports: deps.imports,
    catalog: deps.catalog,
    fetcher: new Fetcher({ log: deps.log, ...opts.fetcher }),
    sources: opts.sources ?? defaultSources(),
    log: deps.log,
    databaseKind: deps.databaseKind,
    followUp: deps.followUp,
    metrics: ingestMetrics(deps.metrics),
    batchSize: opts.batchSize,
    staleAfterMs: opts.staleAfterMs,
  });
}
