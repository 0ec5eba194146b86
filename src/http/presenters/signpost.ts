import { z } from 'zod';
import { CATEGORIES, type Catalog } from '../../domain/catalog.js';
import type { ForecastView, SignpostView } from '../../services/tracker-service.js';
import type { ObservationWithEvent } from '../../db/repositories/observation-repository.js';
import { IntervalSchema } from './index.js';
import { EvidenceSchema, presentEvidence } from './evidence.js';
import { ForecastSchema, presentForecast } from './forecast.js';

export const SignpostSchema = z.object({
  code: z.string(),
  name: z.string(),
  category: z.enum(CATEGORIES),
  metric: z.object({
    code: z.string(),
    name: z.string(),
    unit: z.string(),
    scale: z.enum(['linear', 'log10']),
    direction: z.enum(['increasing', 'decreasing']),
  }),
  baseline: z.number(),
  target: z.number(),
  first_class: z.boolean(),
  monitor_only: z.boolean(),
  description: z.string(),
  why_it_matters: z.string(),
  sources: z.array(z.object({ title: z.string(), url: z.string() })),
  progress: z.number().describe('Fraction of the way from baseline to target, as of today'),
  status: z.enum(['ok', 'provisional', 'no_evidence']),
  value: z.number().nullable().describe("Best usable value, in the metric's unit"),
  interval: IntervalSchema.nullable(),
  best_observation_id: z.number().int().nullable(),
  best_published_at: z.string().nullable(),
});

export const SignpostDetailSchema = SignpostSchema.extend({
  best_evidence: EvidenceSchema.nullable(),
  observations: z
    .array(EvidenceSchema)
    .describe('Approved and pending observations, newest first (at most 100; /v1/evidence?signpost= pages through all)'),
  forecasts: z.array(ForecastSchema),
});

export function presentSignpost(v: SignpostView): z.infer<typeof SignpostSchema> {
  const { row, metric, progress } = v;
  return {
    code: row.code,
    name: row.name,
    category: row.category as (typeof CATEGORIES)[number],
    metric: { code: metric.code, name: metric.name, unit: metric.unit, scale: metric.scale, direction: metric.direction },
    baseline: row.baseline,
    target: row.target,
    first_class: row.first_class,
    monitor_only: row.monitor_only,
    description: row.description,
    why_it_matters: row.why_it_matters,
    sources: row.sources,
    progress: progress?.progress ?? 0,
    status: progress?.status ?? 'no_evidence',
    value: progress?.value ?? null,
    interval: progress?.interval ?? null,
    best_observation_id: progress?.observation_id == null ? null : Number(progress.observation_id),
    best_published_at: progress?.published_at ?? null,
  };
}

export function presentSignpostDetail(
  v: SignpostView & { best: ObservationWithEvent | null; observations: ObservationWithEvent[]; forecasts: ForecastView[] },
  catalog: Catalog,
): z.infer<typeof SignpostDetailSchema> {
  return {
    ...presentSignpost(v),
    best_evidence: v.best ? presentEvidence(v.best, catalog) : null,
    observations: v.observations.map((o) => presentEvidence(o, catalog)),
    forecasts: v.forecasts.map(presentForecast),
  };
}
