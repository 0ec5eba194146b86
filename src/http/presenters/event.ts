import { z } from 'zod';
import { CATEGORIES, TIERS, type Catalog, type Category } from '../../domain/catalog.js';
import { movesGauge } from '../../domain/tier-policy.js';
import type { EventListRow, EventSummaryRow } from '../../db/repositories/event-repository.js';
import type { ObservationRow } from '../../db/schema.js';

/** One event × signpost link as shown with its event. */
export const ObservationLinkSchema = z.object({
  id: z.number().int(),
  signpost: z.string(),
  category: z.enum(CATEGORIES).nullable(),
  value: z.number().describe("In the metric's unit (fractions for percentages)"),
  confidence: z.number(),
  method: z.enum(['rule', 'llm', 'manual']),
  status: z.enum(['pending', 'approved', 'rejected']),
  rationale: z.string().nullable(),
  reviewed_at: z.string().nullable(),
  created_at: z.string(),
});

export const EventSchema = z.object({
  id: z.number().int(),
  title: z.string(),
  summary: z.string(),
  url: z.string(),
  publisher: z.string(),
  source_type: z.string(),
  tier: z.enum(TIERS),
  /** Tier A or B: the only evidence that moves gauges. */
  verified: z.boolean().describe('Tier A or B: the only evidence that moves gauges; C/D are shown as unverified'),
  published_at: z.string(),
  ingested_at: z.string(),
  retracted: z.boolean(),
  retracted_reason: z.string().nullable(),
  retracted_at: z.string().nullable(),
  observations: z.array(ObservationLinkSchema).describe('Links to signposts (rejected links are listed only on the event page)'),
});

export const EventDetailSchema = EventSchema.extend({
  canonical_url: z.string(),
  content_hash: z.string(),
  analysis: z.record(z.string(), z.unknown()).nullable(),
});

export type EventJson = z.infer<typeof EventSchema>;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

const categories = new WeakMap<Catalog, Map<string, Category>>();

/** Signpost code -> category, built once per loaded catalog (lists present thousands of links). */
function categoryOf(catalog: Catalog, code: string): Category | null {
  let map = categories.get(catalog);
  if (!map) categories.set(catalog, (map = new Map(catalog.signposts.map((s) => [s.code, s.category]))));
  return map.get(code) ?? null;
}

export function presentObservationLink(o: ObservationRow, catalog: Catalog): z.infer<typeof ObservationLinkSchema> {
  return {
    id: o.id,
    signpost: o.signpost_code,
    category: categoryOf(catalog, o.signpost_code),
    value: o.value,
    confidence: o.confidence,
    method: o.method,
    status: o.status,
    rationale: o.rationale,
    reviewed_at: iso(o.reviewed_at),
    created_at: o.created_at.toISOString(),
  };
}

export function presentEvent(e: EventSummaryRow, observations: ObservationRow[], catalog: Catalog): EventJson {
  return {
    id: e.id,
    title: e.title,
    summary: e.summary,
    url: e.url,
    publisher: e.publisher,
    source_type: e.source_type,
    tier: e.tier,
    verified: movesGauge(e.tier),
    published_at: e.published_at.toISOString(),
    ingested_at: e.ingested_at.toISOString(),
    retracted: e.retracted,
    retracted_reason: e.retracted_reason,
    retracted_at: iso(e.retracted_at),
    observations: observations.map((o) => presentObservationLink(o, catalog)),
  };
}

export function presentEventDetail(e: EventListRow, observations: ObservationRow[], catalog: Catalog): z.infer<typeof EventDetailSchema> {
  return { ...presentEvent(e, observations, catalog), canonical_url: e.canonical_url, content_hash: e.content_hash, analysis: e.analysis };
}
