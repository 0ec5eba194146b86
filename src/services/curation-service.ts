import type { Catalog } from '../domain/catalog.js';
import { movesGauge } from '../domain/tier-policy.js';
import type { ObservationMethod } from '../domain/review-policy.js';
import type { EventListRow, EventRepository } from '../db/repositories/event-repository.js';
import type { ObservationRepository } from '../db/repositories/observation-repository.js';
import type { ChangelogRepository } from '../db/repositories/changelog-repository.js';
import type { Transaction } from 'kysely';
import type { DB, ObservationRow } from '../db/schema.js';
import type { ResponseCache } from '../cache/response-cache.js';
import type { Logger } from '../logger.js';
import { AppError, BadRequestError, ConflictError, NotFoundError } from '../errors.js';
import type { AuditEntry, AuditRequest, AuditService } from './audit-service.js';
import type { ImportLine, ImportReport, ImportService } from './import-service.js';
import type { SnapshotReport, SnapshotService } from './snapshot-service.js';
import { CacheTags, ledgerChangeTags } from './cache-tags.js';

export interface ReviewedObservation {
  id: number;
  signpost: string;
  value: number;
  status: 'approved' | 'rejected' | 'pending';
}

export interface CurationOutcome {
  event_id: number;
  /** Observations whose status this action changed. */
  observations: ReviewedObservation[];
  retracted: boolean;
  /** Snapshots rewritten because the ledger changed (null when the scores could not change, or the refresh failed). */
  snapshots: SnapshotReport | null;
  /** Cache tags invalidated. */
  invalidated: string[];
}

export interface ImportOutcome {
  report: ImportReport;
  snapshots: SnapshotReport | null;
  invalidated: string[];
}

/** Most events one import may carry (the admin route's body is capped at 10 MB as well). */
export const IMPORT_MAX_LINES = 10_000;

const day = (d: Date) => d.toISOString().slice(0, 10);

function reviewed(rows: ObservationRow[]): ReviewedObservation[] {
  return rows.map((o) => ({ id: o.id, signpost: o.signpost_code, value: o.value, status: o.status }));
}

/**
 * Curators' decisions on the evidence ledger. Each one is a single transaction holding the change and
 * its audit row (a failure is audited after the rollback), then the snapshots from the evidence's publication day to today
 * are recomputed and exactly the cache tags whose data changed are invalidated.
 */
export class CurationService {
  constructor(
    private readonly events: EventRepository,
    private readonly observations: ObservationRepository,
    private readonly changelog: ChangelogRepository,
    private readonly imports: ImportService,
    private readonly snapshots: SnapshotService,
    private readonly audit: AuditService,
    private readonly cache: ResponseCache,
    private readonly catalog: () => Catalog,
    private readonly log: Logger,
  ) {}

  /** Approves the event's pending observations (all, or those on the given signposts). Audit action `approve_link`. */
  approve(eventId: number, opts: { signposts?: string[] }, req?: AuditRequest): Promise<CurationOutcome> {
    return this.review(eventId, 'approved', opts, req);
  }

  /** Rejects the event's pending observations (all, or those on the given signposts). Audit action `reject_link`. */
  reject(eventId: number, opts: { signposts?: string[]; reason?: string }, req?: AuditRequest): Promise<CurationOutcome> {
    return this.review(eventId, 'rejected', opts, req);
  }

  private async review(eventId: number, to: 'approved' | 'rejected', opts: { signposts?: string[]; reason?: string }, req?: AuditRequest) {
    const action = to === 'approved' ? 'approve_link' : 'reject_link';
    const entry = {
      req,
      action,
      resource_type: 'event',
      resource_id: eventId,
      details: { signposts: opts.signposts ?? null, reason: opts.reason ?? null },
    };
    const { event, changed } = await this.auditedTransaction(
      entry,
      async (trx) => {
        this.checkSignposts(opts.signposts);
        const event = await this.events.lockById(trx, eventId);
        if (!event) throw new NotFoundError(`event ${eventId} does not exist`);
        if (event.retracted) throw new ConflictError(`event ${eventId} is retracted; its observations can no longer be reviewed`);
        const changed = await this.observations.review(
          trx,
          eventId,
          to,
          { api_key_id: req?.principal?.id ?? null, at: new Date() },
          opts.signposts,
        );
        return { event, changed };
      },
      (r) => ({ changed: r.changed.map((o) => o.signpost_code), count: r.changed.length }),
    );
    // Only approvals of A/B evidence can move a score; rejected links never counted.
    const scoring = to === 'approved' && changed.length > 0 && movesGauge(event.tier);
    return this.afterChange(event, changed, { scoring, retracted: false });
  }

  /**
   * The ledger change and its audit row commit together (one transaction); a change that fails is
   * rolled back and then audited as a failed attempt.
   */
  private async auditedTransaction<T>(
    entry: Omit<AuditEntry, 'success' | 'error_message'>,
    change: (trx: Transaction<DB>) => Promise<T>,
    describe: (result: T) => Record<string, unknown>,
  ): Promise<T> {
    try {
      return await this.events.transaction(async (trx) => {
        const result = await change(trx);
        await this.audit.record({ ...entry, details: { ...entry.details, ...describe(result) }, success: true }, trx);
        return result;
      });
    } catch (err) {
      await this.audit.record({ ...entry, success: false, error_message: err instanceof AppError ? err.message : 'internal error' });
      throw err;
    }
  }

  /**
   * Retracts an event: it stays visible (flagged, with the reason) but its observations leave every
   * computation, and the snapshots from its publication day to today are recomputed. Audit action `retract_event`.
   */
  async retract(eventId: number, reason: string, req?: AuditRequest): Promise<CurationOutcome> {
    const trimmed = reason.trim();
    const { event, linked } = await this.auditedTransaction(
      { req, action: 'retract_event', resource_type: 'event', resource_id: eventId, details: { reason: trimmed } },
      async (trx) => {
        if (trimmed.length < 3) throw new BadRequestError('a retraction needs a reason (at least 3 characters)', { field: 'reason' });
        const event = await this.events.lockById(trx, eventId);
        if (!event) throw new NotFoundError(`event ${eventId} does not exist`);
        if (event.retracted) throw new ConflictError(`event ${eventId} is already retracted`);
        const at = new Date();
        await this.events.retract(trx, eventId, trimmed, at);
        const linked = await this.observations.forEvents([eventId], {}, trx);
        await this.changelog.insert(trx, {
          kind: 'retraction',
          title: `Retracted: ${event.title}`,
          body: trimmed,
          preset: null,
          as_of: day(at),
          details: { event_id: eventId, reason: trimmed, signposts: linked.map((o) => o.signpost_code) },
        });
        return { event, linked };
      },
      (r) => ({ signposts: r.linked.map((o) => o.signpost_code) }),
    );
    const scoring = movesGauge(event.tier) && linked.some((o) => o.status === 'approved');
    return this.afterChange(event, linked, { scoring, retracted: true });
  }

  /**
   * Bulk import of curated events (JSON lines or an array), the path the CLI and the admin route share.
   * Audit action `import_events`; snapshots recomputed from the earliest new event's day.
   */
  importLines(
    lines: ImportLine[],
    opts: { method?: ObservationMethod; confidence?: number; sourceId?: string } = {},
    req?: AuditRequest,
  ): Promise<ImportOutcome> {
    return this.audit.audited(
      {
        req,
        action: 'import_events',
        resource_type: 'event',
        resource_id: null,
        details: { lines: lines.length, via: req ? 'api' : 'cli' },
      },
      async () => {
        if (lines.length === 0) throw new BadRequestError('the body holds no events', { field: 'body' });
        if (lines.length > IMPORT_MAX_LINES) throw new BadRequestError(`at most ${IMPORT_MAX_LINES} events per import`, { field: 'body' });
        const report = await this.imports.importLines(lines, opts);
        if (report.event_ids.length === 0) return { report, snapshots: null, invalidated: [] };
        const from = await this.events.earliestPublishedDay(report.event_ids);
        const snapshots = await this.refreshFrom(from);
        const invalidated = ledgerChangeTags({ scoring: true, changelog: changelogChanged(snapshots) });
        await this.cache.invalidate(invalidated);
        return { report, snapshots, invalidated };
      },
      (o) => ({ details: { inserted: o.report.inserted, duplicate: o.report.duplicates, rejected: o.report.rejected.length } }),
    );
  }

  /** Rebuilds snapshots (one day, or a range) on request. Audit action `recompute`. */
  recompute(
    request: { asOf?: string; from?: string; to?: string; presets?: string[] },
    req?: AuditRequest,
  ): Promise<SnapshotReport & { invalidated: string[] }> {
    return this.audit.audited(
      { req, action: 'recompute', resource_type: 'index', resource_id: null, details: { ...request } },
      async () => {
        const report = await this.snapshots.recompute(request);
        const invalidated = [
          CacheTags.index,
          CacheTags.signposts,
          CacheTags.forecasts,
          ...(changelogChanged(report) ? [CacheTags.changelog] : []),
        ];
        await this.cache.invalidate(invalidated);
        return { ...report, invalidated };
      },
      (r) => ({ details: { days: r.days.length, snapshots_written: r.snapshots_written } }),
    );
  }

  private checkSignposts(codes: string[] | undefined): void {
    if (!codes) return;
    const known = new Set(this.catalog().signposts.map((s) => s.code));
    const unknown = codes.filter((c) => !known.has(c));
    if (unknown.length > 0) throw new BadRequestError(`unknown signpost: ${unknown.join(', ')}`, { field: 'signposts' });
  }

  /** Snapshots from `from` to today; a failure is logged, not thrown: the ledger change is already committed. */
  private async refreshFrom(from: string | undefined): Promise<SnapshotReport | null> {
    try {
      return await this.snapshots.refresh(from);
    } catch (err) {
      this.log.error({ err }, 'snapshot refresh after a ledger change failed; the index is stale until the next refresh');
      return null;
    }
  }

  private async afterChange(
    event: EventListRow,
    changed: ObservationRow[],
    opts: { scoring: boolean; retracted: boolean },
  ): Promise<CurationOutcome> {
    const outcome: CurationOutcome = {
      event_id: event.id,
      observations: reviewed(changed),
      retracted: opts.retracted,
      snapshots: null,
      invalidated: [],
    };
    if (changed.length === 0 && !opts.retracted) return outcome; // nothing changed, nothing to refresh or evict
    if (opts.scoring) outcome.snapshots = await this.refreshFrom(day(event.published_at));
    outcome.invalidated = ledgerChangeTags({
      eventIds: [event.id],
      signposts: [...new Set(changed.map((o) => o.signpost_code))],
      scoring: opts.scoring,
      changelog: opts.retracted || changelogChanged(outcome.snapshots),
    });
    await this.cache.invalidate(outcome.invalidated);
    return outcome;
  }
}

function changelogChanged(report: SnapshotReport | null): boolean {
  return report !== null && report.changelog.inserted + report.changelog.updated + report.changelog.deleted > 0;
}
