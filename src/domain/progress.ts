import { parseIsoDate, utcDayNumber } from './calendar.js';
import type { MetricSpec, Observation, ObservationId, SignpostSpec } from './scoring-inputs.js';
import { isUsable } from './tier-policy.js';

export type SignpostStatus = 'ok' | 'provisional' | 'no_evidence';

export interface SignpostProgress {
  code: string;
  /** Fraction of the way from baseline to target, in [0,1]. */
  progress: number;
  status: SignpostStatus;
  /** The best usable value, in the metric's unit; null without evidence. */
  value: number | null;
  observation_id: ObservationId | null;
  published_at: string | null;
  /** True when the best value rests only on B-tier evidence that no A observation corroborates. */
  provisional: boolean;
}

function clamp01(x: number): number {
  // NaN only arises from a value a log10 metric cannot take (negative); it counts as no progress.
  return Number.isNaN(x) ? 0 : Math.min(1, Math.max(0, x));
}

/**
 * p = clamp((f(v) − f(b)) / (f(t) − f(b)), 0, 1), f = identity or log10 by the metric's scale.
 * The same formula serves decreasing metrics: there f(t) < f(b), so moving below the baseline
 * gives positive progress. A binary metric's progress is its value clamped to [0,1].
 */
export function progressForValue(
  value: number,
  signpost: Pick<SignpostSpec, 'baseline' | 'target'>,
  metric: Pick<MetricSpec, 'unit' | 'scale'>,
): number {
  if (metric.unit === 'binary') return clamp01(value);
  const f = metric.scale === 'log10' ? Math.log10 : (x: number) => x;
  return clamp01((f(value) - f(signpost.baseline)) / (f(signpost.target) - f(signpost.baseline)));
}

export interface SignpostProgressInput {
  signpost: SignpostSpec;
  metric: MetricSpec;
  /** Any observations; only usable ones on this signpost are read. */
  observations: readonly Observation[];
  asOf: string;
  /** B observations corroborated as of `asOf`, from `findCorroboratedObservations`. */
  corroborated: ReadonlySet<ObservationId>;
}

/**
 * Progress of one signpost from its best usable observation: the highest value (lowest for a
 * decreasing metric). Ties go to a non-provisional observation, then the earliest, then the
 * smallest id, so the chosen observation never depends on input order.
 */
export function computeSignpostProgress(input: SignpostProgressInput): SignpostProgress {
  const { signpost, metric, corroborated } = input;
  const asOfDay = parseIsoDate(input.asOf);
  const usable = input.observations.filter((o) => o.signpost === signpost.code && isUsable(o, asOfDay));
  const isProvisional = (o: Observation) => o.tier === 'B' && !corroborated.has(o.id);
  const sign = metric.direction === 'decreasing' ? -1 : 1;

  const better = (a: Observation, b: Observation): Observation => {
    if (a.value !== b.value) return sign * (a.value - b.value) > 0 ? a : b;
    if (isProvisional(a) !== isProvisional(b)) return isProvisional(a) ? b : a;
    const dayA = utcDayNumber(a.published_at);
    const dayB = utcDayNumber(b.published_at);
    if (dayA !== dayB) return dayA < dayB ? a : b;
    return String(a.id) <= String(b.id) ? a : b;
  };
  const [first, ...rest] = usable;
  if (first === undefined) {
    return {
      code: signpost.code,
      progress: 0,
      status: 'no_evidence',
      value: null,
      observation_id: null,
      published_at: null,
      provisional: false,
    };
  }
  const best = rest.reduce(better, first);
  const provisional = isProvisional(best);
  return {
    code: signpost.code,
    progress: progressForValue(best.value, signpost, metric),
    status: provisional ? 'provisional' : 'ok',
    value: best.value,
    observation_id: best.id,
    published_at: best.published_at,
    provisional,
  };
}
