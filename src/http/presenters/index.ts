import { z } from 'zod';
import { CATEGORIES } from '../../domain/catalog.js';
import type { IndexResult } from '../../domain/methodology.js';
import type { HistoryPoint, IndexView } from '../../services/index-service.js';

/** All scores are fractions in [0,1] (the safety margin in [-1,1]); multiply by 100 for points. */
export const IntervalSchema = z.object({ low: z.number(), high: z.number() }).describe('90% interval, same unit as the score');

export const GatedScoreSchema = z.object({
  value: z.number().nullable().describe('Fraction; null while insufficient'),
  status: z.enum(['ok', 'insufficient']),
  reason: z.string().nullable(),
  interval: IntervalSchema.nullable(),
});

export const CategoryScoreSchema = z.object({
  score: z.number().nullable(),
  interval: IntervalSchema.nullable(),
  signposts: z.number().int(),
  signposts_with_evidence: z.number().int(),
  provisional_signposts: z.number().int(),
  has_ab_evidence: z.boolean(),
});

export const SignpostScoreSchema = z.object({
  code: z.string(),
  category: z.enum(CATEGORIES),
  monitor_only: z.boolean(),
  progress: z.number().describe('Fraction of the way from baseline to target'),
  status: z.enum(['ok', 'provisional', 'no_evidence']),
  value: z.number().nullable().describe("Best usable value, in the metric's unit"),
  provisional: z.boolean(),
  observation_id: z.number().int().nullable(),
  published_at: z.string().nullable(),
  interval: IntervalSchema,
});

const InputsSchema = z.object({
  observations_used: z.number().int(),
  provisional_count: z.number().int(),
  signposts_with_evidence: z.number().int(),
});

const WeightsSchema = z.object({ capabilities: z.number(), agents: z.number(), inputs: z.number() });

const CategoriesSchema = z.object(
  Object.fromEntries(CATEGORIES.map((c) => [c, CategoryScoreSchema])) as Record<(typeof CATEGORIES)[number], typeof CategoryScoreSchema>,
);

export const IndexSchema = z.object({
  as_of: z.string(),
  methodology_version: z.number().int(),
  preset: z.object({ code: z.string(), name: z.string() }),
  weights: WeightsSchema.describe('Normalised to sum to 1'),
  source: z.enum(['snapshot', 'computed']),
  composite: GatedScoreSchema,
  safety_margin: GatedScoreSchema,
  categories: CategoriesSchema,
  signposts: z.array(SignpostScoreSchema),
  inputs: InputsSchema,
  seed: z.number().int(),
  draws: z.number().int(),
});

export const HistorySchema = z.object({
  preset: z.object({ code: z.string(), name: z.string() }),
  from: z.string(),
  to: z.string(),
  points: z.array(
    z.object({
      as_of: z.string(),
      composite: GatedScoreSchema,
      safety_margin: GatedScoreSchema,
      categories: CategoriesSchema,
      inputs: InputsSchema,
    }),
  ),
});

type Gated = IndexResult['composite'];

function gated(g: Gated): z.infer<typeof GatedScoreSchema> {
  return { value: g.value, status: g.status, reason: g.reason ?? null, interval: g.interval };
}

function categories(c: IndexResult['categories']): z.infer<typeof CategoriesSchema> {
  return Object.fromEntries(
    CATEGORIES.map((k) => {
      const s = c[k];
      return [
        k,
        {
          score: s.score,
          interval: s.interval,
          signposts: s.signposts,
          signposts_with_evidence: s.signposts_with_evidence,
          provisional_signposts: s.provisional_signposts,
          has_ab_evidence: s.has_ab_evidence,
        },
      ];
    }),
  ) as z.infer<typeof CategoriesSchema>;
}

export function presentSignpostScore(s: IndexResult['signposts'][number]): z.infer<typeof SignpostScoreSchema> {
  return {
    code: s.code,
    category: s.category,
    monitor_only: s.monitor_only,
    progress: s.progress,
    status: s.status,
    value: s.value,
    provisional: s.provisional,
    observation_id: s.observation_id === null ? null : Number(s.observation_id),
    published_at: s.published_at,
    interval: s.interval,
  };
}

export function presentIndex(view: IndexView): z.infer<typeof IndexSchema> {
  const r = view.result;
  return {
    as_of: r.as_of,
    methodology_version: r.methodology_version,
    preset: view.preset,
    weights: r.weights,
    source: view.source,
    composite: gated(r.composite),
    safety_margin: gated(r.safety_margin),
    categories: categories(r.categories),
    signposts: r.signposts.map(presentSignpostScore),
    inputs: r.inputs,
    seed: r.seed,
    draws: r.draws,
  };
}

export function presentHistory(h: {
  preset: { code: string; name: string };
  from: string;
  to: string;
  points: HistoryPoint[];
}): z.infer<typeof HistorySchema> {
  return {
    preset: h.preset,
    from: h.from,
    to: h.to,
    points: h.points.map((p) => ({
      as_of: p.as_of,
      composite: gated(p.composite),
      safety_margin: gated(p.safety_margin),
      categories: categories(p.categories),
      inputs: p.inputs,
    })),
  };
}
