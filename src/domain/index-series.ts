import { utcDayNumber } from './calendar.js';
import { computeIndex, type IndexInput, type IndexResult } from './methodology.js';
import { movesGauge } from './tier-policy.js';

/**
 * The index on many days at once. A day's result depends only on which usable observations were
 * published by then, so days between two publications share one computation: computeIndex runs once
 * per distinct evidence state, and each day gets that result with its own as_of. The numbers are
 * exactly those of computeIndex on each day (a test checks this day by day).
 */
export function computeIndexSeries(input: Omit<IndexInput, 'as_of'>, days: readonly string[]): Map<string, IndexResult> {
  const eligibleDays = input.observations
    .filter((o) => o.status === 'approved' && !o.retracted && movesGauge(o.tier))
    .map((o) => utcDayNumber(o.published_at))
    .sort((a, b) => a - b);
  const stateOf = (day: number): number => {
    // How many eligible observations are published by the end of `day` (binary search).
    let lo = 0;
    let hi = eligibleDays.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (eligibleDays[mid]! <= day) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const byState = new Map<number, IndexResult>();
  const out = new Map<string, IndexResult>();
  for (const day of days) {
    const state = stateOf(utcDayNumber(day));
    let result = byState.get(state);
    if (!result) {
      result = computeIndex({ ...input, as_of: day });
      byState.set(state, result);
    }
    out.set(day, result.as_of === day ? result : { ...result, as_of: day });
  }
  return out;
}
