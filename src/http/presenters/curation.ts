import { z } from 'zod';
import type { Catalog } from '../../domain/catalog.js';
import type { EventListRow } from '../../db/repositories/event-repository.js';
import type { ObservationRow } from '../../db/schema.js';
import type { CurationOutcome, ImportOutcome } from '../../services/curation-service.js';
import type { SnapshotReport } from '../../services/snapshot-service.js';
import { EventSchema, ObservationLinkSchema, presentEvent, presentObservationLink } from './event.js';

export const ReviewItemSchema = z.object({
  event: EventSchema.omit({ observations: true }),
  pending: z.array(ObservationLinkSchema),
});

export function presentReviewItem(
  item: { event: EventListRow; pending: ObservationRow[] },
  catalog: Catalog,
): z.infer<typeof ReviewItemSchema> {
  const { observations: _o, ...event } = presentEvent(item.event, [], catalog);
  return { event, pending: item.pending.map((o) => presentObservationLink(o, catalog)) };
}

export const SnapshotReportSchema = z.object({
  from: z.string().nullable(),
  to: z.string().nullable(),
  days: z.number().int().describe('Days rewritten'),
  presets: z.array(z.string()),
  snapshots_written: z.number().int(),
  changelog: z.object({ inserted: z.number().int(), updated: z.number().int(), deleted: z.number().int() }),
  composite: z.record(z.string(), z.number().nullable()).describe('Composite per preset on the last day written (fraction)'),
});

export function presentSnapshotReport(r: SnapshotReport): z.infer<typeof SnapshotReportSchema> {
  return {
    from: r.days[0] ?? null,
    to: r.days[r.days.length - 1] ?? null,
    days: r.days.length,
    presets: r.presets,
    snapshots_written: r.snapshots_written,
    changelog: r.changelog,
    composite: r.composite,
  };
}

export const CurationOutcomeSchema = z.object({
  event_id: z.number().int(),
  observations: z.array(
    z.object({ id: z.number().int(), signpost: z.string(), value: z.number(), status: z.enum(['pending', 'approved', 'rejected']) }),
  ),
  retracted: z.boolean(),
  snapshots: SnapshotReportSchema.nullable(),
  invalidated: z.array(z.string()).describe('Cache tags invalidated'),
});

export function presentCurationOutcome(o: CurationOutcome): z.infer<typeof CurationOutcomeSchema> {
  return { ...o, snapshots: o.snapshots ? presentSnapshotReport(o.snapshots) : null };
}

export const ImportReportSchema = z.object({
  inserted: z.number().int(),
  duplicate: z.number().int(),
  rejected: z.number().int(),
  errors: z.array(z.object({ line: z.number().int(), reason: z.string() })),
  event_ids: z.array(z.number().int()),
  snapshots: SnapshotReportSchema.nullable(),
});

/** The import report, the same shape as `agi-tracker import` prints. */
export function presentImportReport(
  o: Pick<ImportOutcome, 'report'> & { snapshots: SnapshotReport | null },
): z.infer<typeof ImportReportSchema> {
  return {
    inserted: o.report.inserted,
    duplicate: o.report.duplicates,
    rejected: o.report.rejected.length,
    errors: o.report.rejected,
    event_ids: o.report.event_ids,
    snapshots: o.snapshots ? presentSnapshotReport(o.snapshots) : null,
  };
}
