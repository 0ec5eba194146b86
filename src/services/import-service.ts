import type { Catalog, Tier } from '../domain/catalog.js';
import { ImportEventSchema, type ImportEvent } from '../domain/evidence.js';
import { canonicalUrl, contentHash } from '../domain/canonical.js';
import { initialObservationStatus, type ObservationMethod } from '../domain/review-policy.js';
import type { EventRepository, EventWithObservations } from '../db/repositories/event-repository.js';

export interface ImportLine {
  /** 1-based line number in the source file or request body, for error reports. */
  line: number;
  data: unknown;
}

export interface RejectedLine {
  line: number;
  reason: string;
}

export interface ImportReport {
  inserted: number;
  duplicates: number;
  rejected: RejectedLine[];
  event_ids: number[];
}

export interface ImportOptions {
  /** How the observations were made: curated imports are 'manual'; ingestion passes 'rule' or 'llm'. */
  method?: ObservationMethod;
  /** Confidence of each observation when the item does not carry one. */
  confidence?: number;
  sourceId?: string;
  batchSize?: number;
  /**
   * Also count an event as a duplicate when an event with the same canonical URL exists (ingestion of
   * articles: a post whose title was edited, a paper in a new version). Leaderboard rows share a page
   * URL, so they leave this off and dedup by content hash alone.
   */
  dedupByUrl?: boolean;
}

/** An observation already resolved to one signpost, ready to store. */
interface ResolvedObservation {
  signpost: string;
  value: number;
  confidence: number;
  rationale?: string;
}

/**
 * Resolves an event's observations against the catalog: a metric expands to every signpost on it;
 * values must be in the metric's unit (fractions for percentages). Returns the reason when a line is bad.
 */
export function resolveObservations(
  event: ImportEvent,
  catalog: Catalog,
  confidence: number,
): { ok: true; observations: ResolvedObservation[] } | { ok: false; reason: string } {
  const metrics = new Map(catalog.metrics.map((m) => [m.code, m]));
  const signposts = new Map(catalog.signposts.map((s) => [s.code, s]));
  const out = new Map<string, ResolvedObservation>();
  for (const [i, o] of event.observations.entries()) {
    const where = `observations[${i}]`;
    const metricCode = o.metric ?? signposts.get(o.signpost!)?.metric;
    if (o.signpost && !signposts.has(o.signpost)) return { ok: false, reason: `${where}.signpost: unknown signpost "${o.signpost}"` };
    const metric = metricCode ? metrics.get(metricCode) : undefined;
    if (!metric) return { ok: false, reason: `${where}.metric: unknown metric "${o.metric}"` };
    if (metric.unit === 'fraction' && (o.value < 0 || o.value > 1)) {
      return {
        ok: false,
        reason: `${where}.value: ${o.value} is not a fraction in [0,1] (percentages are stored as fractions: 72.5% is 0.725)`,
      };
    }
    if (metric.unit === 'binary' && o.value !== 0 && o.value !== 1)
      return { ok: false, reason: `${where}.value: a binary metric takes 0 or 1` };
    if (metric.scale === 'log10' && o.value <= 0) return { ok: false, reason: `${where}.value: must be positive on a log10 metric` };
    const codes = o.signpost ? [o.signpost] : catalog.signposts.filter((s) => s.metric === metric.code).map((s) => s.code);
    for (const code of codes)
      out.set(code, { signpost: code, value: o.value, confidence: o.confidence ?? confidence, rationale: o.rationale });
  }
  return { ok: true, observations: [...out.values()] };
}

function describeZodError(error: { issues: Array<{ path: PropertyKey[]; message: string }> }): string {
  const issue = error.issues[0]!;
  const path = issue.path.map(String).join('.');
  return path ? `${path}: ${issue.message}` : issue.message;
}

/**
 * Curated bulk import (CLI `import`, `POST /v1/admin/events/import`, bundled evidence, ingestion).
 * Every line is validated before anything is written; valid lines go in one transaction per batch with
 * dedup inside the insert. If a batch fails in the database, its lines are retried one by one so a bad
 * line is reported and never leaves a partial row.
 */
export class ImportService {
  constructor(
    private readonly events: EventRepository,
    private readonly catalog: () => Catalog,
  ) {}

  async importLines(lines: ImportLine[], opts: ImportOptions = {}): Promise<ImportReport> {
    const method = opts.method ?? 'manual';
    const confidence = opts.confidence ?? 1;
    const catalog = this.catalog();
    const report: ImportReport = { inserted: 0, duplicates: 0, rejected: [], event_ids: [] };
    const valid: Array<{ line: number; item: EventWithObservations }> = [];

    for (const { line, data } of lines) {
      const invalidJson = (data as { __invalid_json?: unknown } | null)?.__invalid_json;
      if (typeof invalidJson === 'string') {
        report.rejected.push({ line, reason: `not valid JSON: ${invalidJson}` });
        continue;
      }
      const parsed = ImportEventSchema.safeParse(data);
      if (!parsed.success) {
        report.rejected.push({ line, reason: describeZodError(parsed.error) });
        continue;
      }
      const event = parsed.data;
      const resolved = resolveObservations(event, catalog, confidence);
      if (!resolved.ok) {
        report.rejected.push({ line, reason: resolved.reason });
        continue;
      }
      const publishedAt = new Date(event.published_at);
      if (publishedAt.getTime() > Date.now() + 24 * 3600_000) {
        report.rejected.push({ line, reason: 'published_at: is in the future' });
        continue;
      }
      valid.push({ line, item: toRows(event, resolved.observations, method, opts.sourceId ?? null) });
    }

    const batchSize = opts.batchSize ?? 500;
    for (let i = 0; i < valid.length; i += batchSize) {
      const batch = valid.slice(i, i + batchSize);
      try {
        const ids = await this.events.transaction((trx) =>
          this.events.insertMany(
            trx,
            batch.map((b) => b.item),
            { skipKnownUrls: opts.dedupByUrl },
          ),
        );
        tally(report, ids);
      } catch {
        for (const one of batch) {
          try {
            const ids = await this.events.transaction((trx) => this.events.insertMany(trx, [one.item], { skipKnownUrls: opts.dedupByUrl }));
            tally(report, ids);
          } catch (err) {
            report.rejected.push({ line: one.line, reason: `database rejected the line: ${(err as Error).message.split('\n')[0]}` });
          }
        }
      }
    }
    report.rejected.sort((a, b) => a.line - b.line);
    return report;
  }
}

function tally(report: ImportReport, ids: Array<number | null>): void {
  for (const id of ids) {
    if (id === null) report.duplicates++;
    else {
      report.inserted++;
      report.event_ids.push(id);
    }
  }
}

function toRows(
  event: ImportEvent,
  observations: ResolvedObservation[],
  method: ObservationMethod,
  sourceId: string | null,
): EventWithObservations {
  const tier = event.tier as Tier;
  return {
    event: {
      title: event.title,
      summary: event.summary,
      url: event.url,
      canonical_url: canonicalUrl(event.url),
      publisher: event.publisher,
      source_type: event.source_type,
      source_id: sourceId,
      tier,
      published_at: new Date(event.published_at),
      content_hash: contentHash(event.url, event.title),
    },
    observations: observations.map((o) => ({
      signpost_code: o.signpost,
      value: o.value,
      confidence: o.confidence,
      method,
      rationale: o.rationale ?? null,
      status: initialObservationStatus(method, o.confidence, tier),
    })),
  };
}
