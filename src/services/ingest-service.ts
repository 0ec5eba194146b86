import os from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Catalog, Metric } from '../domain/catalog.js';
import { extractMetrics, mapToSignposts } from '../domain/extraction/index.js';
import type { IngestRunCounts, IngestRunRepository } from '../db/repositories/ingest-run-repository.js';
import type { IngestRunRow } from '../db/schema.js';
import type { Logger } from '../logger.js';
import { BadRequestError } from '../errors.js';
import type { Fetcher } from '../ingest/fetcher.js';
import { FetchError } from '../ingest/fetcher.js';
import { DocumentError, type CandidateEvent, type SourceConfig } from '../ingest/source.js';
import { sourceModule } from '../ingest/sources/index.js';
import type { ImportLine, ImportService } from './import-service.js';

/** What a run changed in the ledger, for the follow-up that refreshes snapshots and invalidates cache tags. */
export interface LedgerChange {
  eventIds: number[];
  signposts: string[];
  /** New A/B observations may move scores. */
  scoring: boolean;
}

/** Counters a run reports, for the metrics registry when there is one. */
export interface IngestMetrics {
  run(source: string, status: 'succeeded' | 'failed' | 'skipped'): void;
  items(source: string, outcome: 'new' | 'duplicate' | 'error', n: number): void;
}

export interface IngestServiceDeps {
  runs: IngestRunRepository;
  imports: ImportService;
  catalog: () => Catalog;
  fetcher: Fetcher;
  sources: readonly SourceConfig[];
  log: Logger;
  databaseKind: 'pglite' | 'postgres';
  /** Called once per run that added events (snapshots, cache). Failures are logged, never fail the run. */
  followUp?: (change: LedgerChange) => Promise<void>;
  metrics?: IngestMetrics;
  /** Items per transaction. */
  batchSize?: number;
  /** A running run whose heartbeat is older than this belongs to a process that is gone. */
  staleAfterMs?: number;
  heartbeatMs?: number;
  /** Hosts fetched at the same time; requests to one host are always one at a time. */
  hostConcurrency?: number;
}

export interface RunRequest {
  /** Source ids; empty or absent means every enabled source. */
  sources?: readonly string[];
  /** What started it: `schedule`, `api`, `cli`, `job`. */
  trigger: string;
  /** Recorded in each run's details (the BullMQ job, the API request). */
  context?: Record<string, unknown>;
  signal?: AbortSignal;
  /** Called after each committed batch (progress displays, tests). */
  onProgress?: (progress: { source: string; runId: number; counts: IngestRunCounts }) => void;
}

export interface SourceRunReport extends IngestRunCounts {
  source: string;
  run_id: number | null;
  status: 'succeeded' | 'failed' | 'skipped';
  not_modified?: boolean;
  error?: string;
}

export interface IngestReport {
  started_at: string;
  finished_at: string;
  sources: SourceRunReport[];
  new: number;
  duplicates: number;
  errors: number;
  /** Whether snapshots were refreshed and cache tags invalidated after the run. */
  followed_up: boolean;
}

/** At most this many error reasons are kept in a run's details. */
const MAX_ERROR_SAMPLES = 20;

/** Ingestion sources whose items are articles: a known URL with a new title is the same document. */
function dedupsByUrl(config: SourceConfig): boolean {
  return config.kind === 'feed' || config.kind === 'arxiv';
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether a value can be stored on a metric (same rules as the import: fractions in [0,1], positive logs, 0/1). */
function fits(metric: Metric, value: number): boolean {
  if (!Number.isFinite(value)) return false;
  if (metric.unit === 'fraction') return value >= 0 && value <= 1;
  if (metric.unit === 'binary') return value === 0 || value === 1;
  if (metric.scale === 'log10') return value > 0;
  return value >= 0;
}

/**
 * The ingestion pipeline. For each source: claim its lease (one running run per source across all
 * processes), fetch conditionally, parse, normalise, read values (structured rows carry them; text is
 * read by the rule extractor), and store through the import path in one transaction per batch with
 * dedup inside the insert. The source's HTTP validators are saved only after its last batch commits,
 * so a crash never hides unprocessed items behind a 304. After the whole run, one follow-up refreshes
 * snapshots and invalidates cache tags.
 */
export class IngestService {
  /** This process, as recorded on the runs it owns. */
  readonly owner = `${os.hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  private readonly batchSize: number;
  private readonly staleAfterMs: number;
  private readonly heartbeatMs: number;
  private readonly hostConcurrency: number;

  constructor(private readonly deps: IngestServiceDeps) {
    this.batchSize = deps.batchSize ?? 250;
    this.staleAfterMs = deps.staleAfterMs ?? 120_000;
    this.heartbeatMs = deps.heartbeatMs ?? 15_000;
    this.hostConcurrency = deps.hostConcurrency ?? 4;
  }

  /** Every configured source (disabled ones included, with the reason). */
  listSources(): readonly SourceConfig[] {
    return this.deps.sources;
  }

  /** The sources a request names (every enabled one when it names none); an unknown id is a 400. */
  resolveSources(ids?: readonly string[]): SourceConfig[] {
    if (!ids || ids.length === 0) return this.deps.sources.filter((s) => !s.disabled);
    const byId = new Map(this.deps.sources.map((s) => [s.id, s]));
    const unknown = ids.filter((id) => !byId.has(id));
    if (unknown.length > 0) {
      throw new BadRequestError(`unknown source ${unknown.map((u) => `"${u}"`).join(', ')}; known: ${[...byId.keys()].join(', ')}`, {
        field: 'source',
      });
    }
    return [...new Set(ids)].map((id) => byId.get(id)!);
  }

  async run(request: RunRequest): Promise<IngestReport> {
    const sources = this.resolveSources(request.sources);
    const started = new Date();
    const reports: SourceRunReport[] = [];
    const change: LedgerChange = { eventIds: [], signposts: [], scoring: false };

    // One queue per host, hosts in parallel: per-host politeness without a slow source holding up the rest.
    const byHost = new Map<string, SourceConfig[]>();
    for (const s of sources) {
      const host = new URL(s.url).host;
      byHost.set(host, [...(byHost.get(host) ?? []), s]);
    }
    const queues = [...byHost.values()];
    const workers = Array.from({ length: Math.min(this.hostConcurrency, queues.length) }, async () => {
      for (let queue = queues.shift(); queue; queue = queues.shift()) {
        for (const source of queue) {
          if (request.signal?.aborted) break;
          reports.push(await this.runSource(source, request, change));
        }
      }
    });
    await Promise.all(workers);

    let followedUp = false;
    if (change.eventIds.length > 0 && this.deps.followUp) {
      try {
        await this.deps.followUp({ ...change, signposts: [...new Set(change.signposts)] });
        followedUp = true;
      } catch (err) {
        this.deps.log.error({ err }, 'ingestion: refreshing snapshots or invalidating the cache failed');
      }
    }
    const order = new Map(sources.map((s, i) => [s.id, i]));
    reports.sort((a, b) => order.get(a.source)! - order.get(b.source)!);
    const sum = (k: 'new' | 'duplicates' | 'errors') => reports.reduce((n, r) => n + r[k], 0);
    return {
      started_at: started.toISOString(),
      finished_at: new Date().toISOString(),
      sources: reports,
      new: sum('new'),
      duplicates: sum('duplicates'),
      errors: sum('errors'),
      followed_up: followedUp,
    };
  }

  /**
   * Marks every running run whose owner is gone as failed (at process start, so the admin list does not
   * show ghosts). Returns the runs it marked.
   */
  async reapAbandoned(): Promise<number[]> {
    const marked: number[] = [];
    for (const row of await this.deps.runs.listRunning()) {
      const gone = this.ownerGone(row);
      if (gone && (await this.deps.runs.abandon(row.id, `abandoned: ${gone}`))) marked.push(row.id);
    }
    if (marked.length > 0) this.deps.log.warn({ runs: marked }, 'ingestion: runs left by a dead process marked failed');
    return marked;
  }

  /** Why a running run's owner is known to be gone, or undefined while it may be alive. */
  private ownerGone(row: IngestRunRow): string | undefined {
    if (row.owner === this.owner) return undefined;
    if (this.deps.databaseKind === 'pglite')
      return `owner ${row.owner ?? 'unknown'} is gone (the embedded database is used by one process only)`;
    const [host, pid] = (row.owner ?? '').split(':');
    if (host === os.hostname() && pid && /^\d+$/.test(pid) && !pidAlive(Number(pid))) return `process ${pid} on ${host} is gone`;
    const beat = row.heartbeat_at?.getTime() ?? 0;
    if (Date.now() - beat > this.staleAfterMs)
      return `no heartbeat from ${row.owner ?? 'unknown'} since ${row.heartbeat_at?.toISOString() ?? 'ever'}`;
    return undefined;
  }

  /** Takes the source's lease, clearing a lease left by a dead process; undefined with the reason when busy. */
  private async claim(source: string, trigger: string, context: Record<string, unknown>): Promise<IngestRunRow | string> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const row = await this.deps.runs.start(source, trigger, this.owner, context);
      if (row) return row;
      const running = await this.deps.runs.findRunning(source);
      if (!running) continue;
      const gone = this.ownerGone(running);
      if (!gone)
        return `already running (run ${running.id}, ${running.owner === this.owner ? 'in this process' : `owner ${running.owner}`})`;
      if (await this.deps.runs.abandon(running.id, `abandoned: ${gone}`)) {
        this.deps.log.warn({ source, run_id: running.id, reason: gone }, 'ingestion: run left by a dead process marked failed');
      }
    }
    return 'could not take the source lease';
  }

  private async runSource(config: SourceConfig, request: RunRequest, change: LedgerChange): Promise<SourceRunReport> {
    const { runs, log } = this.deps;
    const counts: IngestRunCounts = { fetched: 0, new: 0, duplicates: 0, errors: 0 };
    const context = { ...(request.context ?? {}) };
    const claimed = await this.claim(config.id, request.trigger, context);
    if (typeof claimed === 'string') {
      log.info({ source: config.id, reason: claimed }, 'ingestion: source skipped');
      this.deps.metrics?.run(config.id, 'skipped');
      return { source: config.id, run_id: null, status: 'skipped', ...counts, error: claimed };
    }
    const runId = claimed.id;
    const started = performance.now();
    const errorSamples: string[] = [];
    const details: Record<string, unknown> = { ...context, url: config.url, tier: config.tier, error_samples: errorSamples };
    const noteError = (reason: string) => {
      counts.errors++;
      if (errorSamples.length < MAX_ERROR_SAMPLES) errorSamples.push(reason);
    };
    const beat = setInterval(() => {
      runs.heartbeat(runId).catch((err: unknown) => log.warn({ err, run_id: runId }, 'ingestion: heartbeat failed'));
    }, this.heartbeatMs);
    beat.unref();
    let refusedByDatabase = 0;
    let newBefore = 0;
    let duplicatesBefore = 0;

    try {
      const catalog = this.deps.catalog();
      if ((config.kind === 'leaderboard' || config.kind === 'epoch_models') && !catalog.metrics.some((m) => m.code === config.metric)) {
        throw new DocumentError(`the catalog has no metric "${config.metric}" for this source`);
      }
      const mod = sourceModule(config);
      const validators = await runs.getValidators(config.id);
      const outcome = await mod.fetch(config, { fetcher: this.deps.fetcher, validators, signal: request.signal });
      if (outcome.notModified) {
        await runs.recordFetch(config.id, 304);
        details.not_modified = true;
        details.http_status = 304;
        await runs.finish(runId, 'succeeded', counts, details);
        this.deps.metrics?.run(config.id, 'succeeded');
        log.info({ source: config.id, run_id: runId }, 'ingestion: not modified since the last fetch');
        return { source: config.id, run_id: runId, status: 'succeeded', not_modified: true, ...counts };
      }
      Object.assign(details, { http_status: outcome.main.status, bytes: outcome.main.bytes, attempts: outcome.main.attempts });

      const entries = mod.parse(outcome, config);
      counts.fetched = entries.length;
      const fetchedAt = new Date();
      const lines: ImportLine[] = [];
      let irrelevant = 0;
      entries.forEach((entry, i) => {
        const normalised = mod.normalise(entry, config, fetchedAt);
        if (!normalised.ok) return noteError(`entry ${i + 1}: ${normalised.reason}`);
        const data = this.toImportData(normalised.event, config, catalog);
        if (!data) irrelevant++;
        else lines.push({ line: i + 1, data });
      });
      details.skipped_without_values = irrelevant;

      for (let i = 0; i < lines.length; i += this.batchSize) {
        if (request.signal?.aborted) throw new Error('aborted: the process is shutting down');
        const batch = lines.slice(i, i + this.batchSize);
        const report = await this.deps.imports.importLines(batch, {
          method: 'rule',
          sourceId: config.id,
          dedupByUrl: dedupsByUrl(config),
          batchSize: batch.length,
        });
        counts.new += report.inserted;
        counts.duplicates += report.duplicates;
        for (const r of report.rejected) {
          noteError(`entry ${r.line}: ${r.reason}`);
          if (r.reason.startsWith('database rejected')) refusedByDatabase++;
        }
        if (report.event_ids.length > 0) {
          change.eventIds.push(...report.event_ids);
          change.scoring ||= config.tier === 'A' || config.tier === 'B';
          for (const line of batch) {
            for (const o of (line.data as { observations: Array<{ signpost?: string; metric?: string }> }).observations) {
              if (o.signpost) change.signposts.push(o.signpost);
              else for (const s of catalog.signposts.filter((s) => s.metric === o.metric)) change.signposts.push(s.code);
            }
          }
        }
        this.deps.metrics?.items(config.id, 'new', counts.new - newBefore);
        this.deps.metrics?.items(config.id, 'duplicate', counts.duplicates - duplicatesBefore);
        newBefore = counts.new;
        duplicatesBefore = counts.duplicates;
        await runs.progress(runId, counts, details);
        request.onProgress?.({ source: config.id, runId, counts: { ...counts } });
        log.debug({ source: config.id, run_id: runId, ...counts }, 'ingestion: batch committed');
      }

      // Only now that every item is committed may a later fetch be conditional on this document. When the
      // database refused some items (not the data: a validation failure would recur), the validators are
      // kept back so the next run reads the whole document again; what is stored is then a duplicate.
      if (refusedByDatabase > 0) details.validators_kept_back = `${refusedByDatabase} item(s) refused by the database`;
      await runs.recordFetch(config.id, outcome.main.status, refusedByDatabase > 0 ? undefined : outcome.validators);
      await runs.finish(runId, 'succeeded', counts, details);
      this.deps.metrics?.run(config.id, 'succeeded');
      this.deps.metrics?.items(config.id, 'error', counts.errors);
      log.info({ source: config.id, run_id: runId, ...counts, ms: Math.round(performance.now() - started) }, 'ingestion: source done');
      return { source: config.id, run_id: runId, status: 'succeeded', ...counts };
    } catch (err) {
      const message =
        err instanceof FetchError
          ? `fetch: ${err.message}`
          : err instanceof DocumentError
            ? `document skipped: ${err.message}`
            : (err as Error).message;
      noteError(message);
      const status = err instanceof FetchError ? err.status : undefined;
      await runs.recordFetch(config.id, status ?? 0).catch(() => {});
      await runs
        .finish(runId, 'failed', counts, details, message)
        .catch((e: unknown) => log.error({ err: e, run_id: runId }, 'ingestion: could not record the failed run'));
      this.deps.metrics?.run(config.id, 'failed');
      this.deps.metrics?.items(config.id, 'error', counts.errors);
      const known = err instanceof FetchError || err instanceof DocumentError;
      log[known ? 'warn' : 'error'](
        { source: config.id, run_id: runId, ...(known ? { reason: message } : { err }) },
        'ingestion: source failed',
      );
      return { source: config.id, run_id: runId, status: 'failed', ...counts, error: message };
    } finally {
      clearInterval(beat);
    }
  }

  /**
   * An import line for a candidate: structured values as metric observations; otherwise the rule
   * extractor's signpost values (the best one per signpost, with the rule and matched text as rationale).
   * Undefined when the source keeps only items with values and this one has none.
   */
  private toImportData(event: CandidateEvent, config: SourceConfig, catalog: Catalog): Record<string, unknown> | undefined {
    const metrics = new Map(catalog.metrics.map((m) => [m.code, m]));
    const { observations: structured, ...rest } = event;
    if (structured) {
      return {
        ...rest,
        observations: structured
          .filter((o) => metrics.has(o.metric) && fits(metrics.get(o.metric)!, o.value))
          .map((o) => ({ metric: o.metric, value: o.value, confidence: o.confidence, rationale: o.rationale })),
      };
    }
    const metricOf = new Map(catalog.signposts.map((s) => [s.code, s.metric]));
    const best = new Map<string, { signpost: string; value: number; confidence: number; rationale: string }>();
    for (const m of extractMetrics(`${event.title}\n${event.summary}`, catalog)) {
      const metric = metrics.get(m.metric);
      if (!metric || !fits(metric, m.value)) continue;
      for (const s of mapToSignposts([m], catalog, event.tier)) {
        const seen = best.get(s.code);
        const better =
          !seen ||
          (metric.direction === 'decreasing' ? s.value < seen.value : s.value > seen.value) ||
          (s.value === seen.value && s.confidence > seen.confidence);
        if (better)
          best.set(s.code, { signpost: s.code, value: s.value, confidence: s.confidence, rationale: `rule ${s.rule}: "${m.span.text}"` });
      }
    }
    if (best.size === 0 && config.kind === 'feed' && config.keep === 'with_values') return undefined;
    if (best.size === 0 && config.kind === 'arxiv' && config.keep === 'with_values') return undefined;
    // A signpost's metric must exist for the import; the catalog's own signposts always do.
    const observations = [...best.values()].filter((o) => metricOf.has(o.signpost));
    return { ...rest, observations };
  }
}
