import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { openDatabase, type Database } from '../db/database.js';
import { createRedis, type Redis } from '../redis.js';
import { CatalogRepository } from '../db/repositories/catalog-repository.js';
import { AppStateRepository } from '../db/repositories/app-state-repository.js';
import { EventRepository } from '../db/repositories/event-repository.js';
import { ApiKeyRepository } from '../db/repositories/api-key-repository.js';
import { ApiKeyService } from '../services/api-key-service.js';
import { AuditRepository } from '../db/repositories/audit-repository.js';
import { AuditService } from '../services/audit-service.js';
import type { ResponseCache } from '../cache/response-cache.js';
import { MemoryResponseCache } from '../cache/memory-cache.js';
import { RedisResponseCache } from '../cache/redis-cache.js';
import type { Registry } from 'prom-client';
import { createMetricsRegistry } from './metrics.js';
import { ImportService } from '../services/import-service.js';
import { IngestRunRepository } from '../db/repositories/ingest-run-repository.js';
import type { IngestService } from '../services/ingest-service.js';
import { buildIngestService, ingestFollowUp, type IngestOptions } from './ingest.js';
import { ObservationRepository } from '../db/repositories/observation-repository.js';
import { SnapshotRepository } from '../db/repositories/snapshot-repository.js';
import { ChangelogRepository } from '../db/repositories/changelog-repository.js';
import { ForecastRepository } from '../db/repositories/forecast-repository.js';
import { SignpostRepository } from '../db/repositories/signpost-repository.js';
import { IndexService } from '../services/index-service.js';
import { SnapshotService } from '../services/snapshot-service.js';
import { CurationService } from '../services/curation-service.js';
import { TrackerService } from '../services/tracker-service.js';
import { readCatalogDir, type LoadedCatalog } from '../services/catalog-service.js';
import { CATALOG_DIR } from '../paths.js';
import { buildLlmLayer, type LlmLayer, type LlmOptions } from './llm.js';

/**
 * Everything a process needs, built once: config, logger, database, optional Redis, the catalog,
 * repositories and services. Routes, CLI commands and jobs receive this and call services.
 */
export interface AppContext {
  /**
   * False while `serve` is still migrating and loading data after it began listening: /health
   * answers, /health/ready and every other route say 503 until start-up is done.
   */
  startup: { ready: boolean };
  config: Config;
  log: Logger;
  database: Database;
  redis?: Redis;
  /** See ContextOptions.redisPrefix: already applied to `redis` commands; add it to channels and queue prefixes. */
  redisPrefix: string;
  catalog: LoadedCatalog;
  /** Tagged response cache: Redis (shared by replicas) when configured, else in-process. */
  cache: ResponseCache;
  /** This context's Prometheus registry (GET /metrics); modules add their metrics to it. */
  metrics: Registry;
  /** The one LLM client, its budget, embeddings and metrics (src/llm). */
  llm: LlmLayer['llm'];
  repos: {
    catalog: CatalogRepository;
    appState: AppStateRepository;
    events: EventRepository;
    apiKeys: ApiKeyRepository;
    audit: AuditRepository;
    ingestRuns: IngestRunRepository;
    observations: ObservationRepository;
    snapshots: SnapshotRepository;
    changelog: ChangelogRepository;
    forecasts: ForecastRepository;
    signposts: SignpostRepository;
  } & LlmLayer['repos'];
  services: {
    apiKeys: ApiKeyService;
    imports: ImportService;
    audit: AuditService;
    /** Ingestion pipeline: sources to reviewed evidence (`run`), one lease per source across processes. */
    ingest: IngestService;
    /** Reads the index (snapshot or computed) and validates presets, dates and weights. */
    index: IndexService;
    /** Writes daily snapshots and their changelog entries; `refresh()` after any ledger change. */
    snapshots: SnapshotService;
    /** Approve / reject / retract / import / recompute: one transaction, one audit row, exact cache tags. */
    curation: CurationService;
    /** The read API's use cases: events, evidence, signposts, forecasts, changelog, search, feeds. */
    tracker: TrackerService;
  } & LlmLayer['services'];
  close(): Promise<void>;
}

export interface ContextOptions {
  /** Embedded database in memory (tests). */
  inMemory?: boolean;
  /** Label for the database connection (pg application_name). */
  name?: string;
  /**
   * Namespace for every Redis key, pub/sub channel and BullMQ queue of this context. Empty in
   * production; tests set a random one so they can share one Redis.
   */
  redisPrefix?: string;
  /** Ingestion overrides (tests and benches point the sources at a local fixture server). */
  ingest?: IngestOptions;
  /** LLM overrides (tests pin models or inject provider adapters). */
  llm?: LlmOptions;
}

export async function createContext(config: Config, log: Logger, opts: ContextOptions = {}): Promise<AppContext> {
  const catalog = await readCatalogDir(CATALOG_DIR);
  const database = await openDatabase({
    url: config.database.url,
    replicaUrl: config.database.replicaUrl,
    poolMax: config.database.poolMax,
    preparedStatements: config.database.preparedStatements,
    dataDir: config.dataDir,
    inMemory: opts.inMemory,
    applicationName: opts.name,
  });
  const redisPrefix = opts.redisPrefix ?? '';
  const redis = config.redisUrl ? createRedis(config.redisUrl, opts.name, redisPrefix) : undefined;
  const db = database.db;
  const repos = {
    catalog: new CatalogRepository(db),
    appState: new AppStateRepository(db),
    events: new EventRepository(db),
    apiKeys: new ApiKeyRepository(db),
    audit: new AuditRepository(db),
    ingestRuns: new IngestRunRepository(db),
    observations: new ObservationRepository(db),
    snapshots: new SnapshotRepository(db),
    changelog: new ChangelogRepository(db),
    forecasts: new ForecastRepository(db),
    signposts: new SignpostRepository(db),
  };
  const metrics = createMetricsRegistry({ processMetrics: config.environment !== 'test' });
  const cache: ResponseCache = redis ? new RedisResponseCache(redis) : new MemoryResponseCache();
  const catalogNow = () => ctx.catalog.catalog;
  const imports = new ImportService(repos.events, catalogNow);
  const audit = new AuditService(repos.audit, metrics);
  const index = new IndexService(repos.observations, repos.snapshots, catalogNow);
  const snapshots = new SnapshotService(index, repos.snapshots, repos.changelog);
  // Exports and history may read from the replica (DATABASE_REPLICA_URL); everything else from the primary.
  const analytics = { events: new EventRepository(database.reader) };
  const ingest = buildIngestService(
    {
      log,
      databaseKind: database.kind,
      catalog: () => ctx.catalog.catalog,
      imports: new ImportService(repos.events, () => ctx.catalog.catalog),
      runs: repos.ingestRuns,
      metrics,
      followUp: (change) => ingestFollowUp(ctx)(change),
    },
    opts.ingest,
  );
  const llmLayer = buildLlmLayer({
    config,
    log,
    database,
    redis,
    registry: metrics,
    appState: repos.appState,
    catalog: catalogNow,
    invalidate: (tags) => cache.invalidate(tags),
    recomputeFrom: async (from) => {
      await snapshots.recompute({ from });
    },
    options: opts.llm,
  });
  const ctx: AppContext = {
    startup: { ready: true },
    config,
    log,
    database,
    redis,
    redisPrefix,
    catalog,
    cache,
    metrics,
    llm: llmLayer.llm,
    repos: { ...repos, ...llmLayer.repos },
    services: {
      ...llmLayer.services,
      apiKeys: new ApiKeyService(repos.apiKeys),
      ingest,
      imports,
      audit,
      index,
      snapshots,
      curation: new CurationService(repos.events, repos.observations, repos.changelog, imports, snapshots, audit, cache, catalogNow, log),
      tracker: new TrackerService(repos, analytics, index, catalogNow),
    },
    async close() {
      await cache.close();
      redis?.disconnect();
      await database.close();
    },
  };
  return ctx;
}
