import { z } from 'zod';
import { TIERS, type Catalog } from '../../domain/catalog.js';
import { movesGauge } from '../../domain/tier-policy.js';
import type { ObservationWithEvent } from '../../db/repositories/observation-repository.js';
import { ObservationLinkSchema, presentObservationLink } from './event.js';

/** An observation with the event that carries it. */
export const EvidenceSchema = ObservationLinkSchema.extend({
  verified: z.boolean().describe('The event is tier A or B (counts toward gauges when approved)'),
  event: z.object({
    id: z.number().int(),
    title: z.string(),
    url: z.string(),
    publisher: z.string(),
    source_type: z.string(),
    tier: z.enum(TIERS),
    published_at: z.string(),
    retracted: z.boolean(),
  }),
});

export function presentEvidence(o: ObservationWithEvent, catalog: Catalog): z.infer<typeof EvidenceSchema> {
  return {
    ...presentObservationLink(o, catalog),
    verified: movesGauge(o.event_tier),
    event: {
      id: o.event_id,
      title: o.event_title,
      url: o.event_url,
      publisher: o.event_publisher,
      source_type: o.event_source_type,
      tier: o.event_tier,
      published_at: o.event_published_at.toISOString(),
      retracted: o.event_retracted,
    },
  };
}
