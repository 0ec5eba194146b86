import type { Forecast } from './catalog.js';
import { isoDateOfDay, parseIsoDate, utcDayNumber } from './calendar.js';
import { progressForValue } from './progress.js';
import type { MetricSpec, Observation, ObservationId, SignpostSpec } from './scoring-inputs.js';
import { isUsable } from './tier-policy.js';

export type ForecastStatus = 'ahead' | 'on_track' | 'behind';

/** A crossing this close to the predicted date (either side, inclusive) is on track. */
export const ON_TRACK_WINDOW_DAYS = 90;
export const DAYS_PER_YEAR = 365.25;

export interface ThresholdCrossing {
  /** UTC calendar date of the first usable observation at or past the target. */
  date: string;
  observation_id: ObservationId;
}

/**
 * When a signpost's threshold was first crossed: the earliest usable observation (A or B, B counted
 * even while provisional, as on the gauge) whose progress is 1. Null if none by the as-of date.
 */
export function findThresholdCrossing(
  signpost: SignpostSpec,
  metric: MetricSpec,
  observations: readonly Observation[],
  asOf: string,
): ThresholdCrossing | null {
  const asOfDay = parseIsoDate(asOf);
  let first: { day: number; observation: Observation } | null = null;
  for (const o of observations) {
    if (o.signpost !== signpost.code || !isUsable(o, asOfDay)) continue;
    if (progressForValue(o.value, signpost, metric) < 1) continue;
    const day = utcDayNumber(o.published_at);
    const earlier = first === null || day < first.day || (day === first.day && String(o.id) < String(first.observation.id));
    if (earlier) first = { day, observation: o };
  }
  return first && { date: isoDateOfDay(first.day), observation_id: first.observation.id };
}

export interface ForecastAssessment {
  status: ForecastStatus;
  crossed_date: string | null;
  /** (predicted − crossed) in years of 365.25 days; positive = earlier than predicted. Null until crossed. */
  surprise_years: number | null;
}

/**
 * Crossed: on_track within ±90 days of the predicted date, ahead if earlier than that, behind if
 * later. Not crossed: on_track while the predicted date is today (the as-of date) or later, behind
 * once it has passed. A crossing after the as-of date is not known yet and is ignored.
 */
export function assessForecast(forecast: Pick<Forecast, 'predicted_date'>, crossedDate: string | null, asOf: string): ForecastAssessment {
  const asOfDay = parseIsoDate(asOf);
  const predicted = parseIsoDate(forecast.predicted_date);
  const crossed = crossedDate === null ? null : parseIsoDate(crossedDate);
  if (crossed === null || crossed > asOfDay) {
    return { status: predicted >= asOfDay ? 'on_track' : 'behind', crossed_date: null, surprise_years: null };
  }
  const early = predicted - crossed;
  const status = Math.abs(early) <= ON_TRACK_WINDOW_DAYS ? 'on_track' : early > 0 ? 'ahead' : 'behind';
  return { status, crossed_date: isoDateOfDay(crossed), surprise_years: early / DAYS_PER_YEAR };
}
