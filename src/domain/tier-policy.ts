import type { Tier } from './catalog.js';
import { parseIsoDate, utcDayNumber } from './calendar.js';
import type { MetricSpec, Observation, ObservationId, SignpostSpec } from './scoring-inputs.js';

/**
 * Which evidence may move a gauge, and when a B-tier value stops being provisional.
 *
 * A (papers, official leaderboards, reproducible model cards) and B (official lab announcements)
 * move gauges. C (press) and D (social) are shown as unverified and never count.
 */
export function movesGauge(tier: Tier): boolean {
  return tier === 'A' || tier === 'B';
}

/** Approved, not retracted, tier A or B, and published on or before the as-of UTC day. */
export function isUsable(observation: Observation, asOfDay: number): boolean {
  return (
    observation.status === 'approved' &&
    !observation.retracted &&
    movesGauge(observation.tier) &&
    utcDayNumber(observation.published_at) <= asOfDay
  );
}

/** Days either side of a B observation in which an A observation may corroborate it (inclusive). */
export const CORROBORATION_WINDOW_DAYS = 14;
/** How far short of the B value the A value may fall and still corroborate it (5%). */
export const CORROBORATION_TOLERANCE = 0.05;

/**
 * An A observation corroborates a B observation on the same metric when they were published at
 * most 14 calendar days apart (either order) and the A value is at least as good as the B value
 * less 5%: a ≥ 0.95·b for increasing metrics, a ≤ 1.05·b for decreasing ones. Metric values are
 * never negative (fractions, FLOP, counts, hours, 0/1), so the factor reads as "within 5%".
 */
export function corroborates(a: Observation, b: Observation, direction: MetricSpec['direction']): boolean {
  if (a.tier !== 'A' || b.tier !== 'B') return false;
  const apart = Math.abs(utcDayNumber(a.published_at) - utcDayNumber(b.published_at));
  if (apart > CORROBORATION_WINDOW_DAYS) return false;
  return direction === 'decreasing'
    ? a.value <= b.value * (1 + CORROBORATION_TOLERANCE)
    : a.value >= b.value * (1 - CORROBORATION_TOLERANCE);
}

/**
 * The usable B observations that a usable A observation on the same metric (any of its signposts)
 * corroborates as of the given date. Every other usable B observation is provisional on that date;
 * an A observation published after the as-of date does not count yet.
 */
export function findCorroboratedObservations(
  observations: readonly Observation[],
  signposts: readonly Pick<SignpostSpec, 'code' | 'metric'>[],
  metrics: readonly Pick<MetricSpec, 'code' | 'direction'>[],
  asOf: string,
): Set<ObservationId> {
  const asOfDay = parseIsoDate(asOf);
  const metricOfSignpost = new Map(signposts.map((s) => [s.code, s.metric]));
  const direction = new Map(metrics.map((m) => [m.code, m.direction]));

  const aTierByMetric = new Map<string, Observation[]>();
  const bTier: { observation: Observation; metric: string }[] = [];
  for (const o of observations) {
    const metric = metricOfSignpost.get(o.signpost);
    if (metric === undefined || !isUsable(o, asOfDay)) continue;
    if (o.tier === 'B') {
      bTier.push({ observation: o, metric });
      continue;
    }
    const list = aTierByMetric.get(metric);
    if (list) list.push(o);
    else aTierByMetric.set(metric, [o]);
  }

  const corroborated = new Set<ObservationId>();
  for (const { observation, metric } of bTier) {
    const dir = direction.get(metric) ?? 'increasing';
    if ((aTierByMetric.get(metric) ?? []).some((a) => corroborates(a, observation, dir))) {
      corroborated.add(observation.id);
    }
  }
  return corroborated;
}
