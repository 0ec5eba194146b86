import { z } from 'zod';
import { TIERS } from './catalog.js';

export const SOURCE_TYPES = ['paper', 'leaderboard', 'lab_post', 'model_card', 'press', 'social', 'report', 'government'] as const;

/**
 * One observation carried by an imported event: either a signpost code or a metric code (which maps
 * to every signpost on that metric), and a value in the metric's unit (fractions for percentages).
 */
export const ImportObservationSchema = z
  .object({
    signpost: z
      .string()
      .regex(/^[a-z0-9_]+$/)
      .optional(),
    metric: z
      .string()
      .regex(/^[a-z0-9_]+$/)
      .optional(),
    value: z.number().finite(),
    rationale: z.string().max(1000).optional(),
    /** How sure the maker of the link is (ingestion: the rule's confidence); defaults to the import's. */
    confidence: z.number().min(0).max(1).optional(),
  })
  .refine((o) => (o.signpost === undefined) !== (o.metric === undefined), {
    message: 'give exactly one of signpost or metric',
  });
export type ImportObservation = z.infer<typeof ImportObservationSchema>;

/** One curated event, as in the bundled evidence file and `agi-tracker import`. */
export const ImportEventSchema = z.object({
  title: z.string().trim().min(3).max(500),
  summary: z.string().trim().max(5000).default(''),
  url: z.url({ protocol: /^https?$/ }),
  publisher: z.string().trim().min(1).max(200),
  source_type: z.enum(SOURCE_TYPES).default('press'),
  tier: z.enum(TIERS),
  published_at: z.union([z.iso.date(), z.iso.datetime({ offset: true })]),
  observations: z.array(ImportObservationSchema).max(50).default([]),
});
export type ImportEvent = z.infer<typeof ImportEventSchema>;
