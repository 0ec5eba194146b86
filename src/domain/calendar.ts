/**
 * Dates as whole UTC days. Every comparison the methodology makes (as-of cut-off, corroboration
 * window, forecast dates) is between calendar days, so results never depend on the server's zone.
 */

const MS_PER_DAY = 86_400_000;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME_WITHOUT_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;

/** Days since 1970-01-01 of the UTC day on which a date or date-time falls. */
export function utcDayNumber(iso: string): number {
  const text = DATE_TIME_WITHOUT_ZONE.test(iso) ? `${iso}Z` : iso;
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new RangeError(`not an ISO date or date-time: ${iso}`);
  return Math.floor(ms / MS_PER_DAY);
}

export function isoDateOfDay(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** Parses a strict YYYY-MM-DD calendar date (rejecting e.g. 2025-02-30) into a day number. */
export function parseIsoDate(date: string): number {
  const ms = DATE_ONLY.test(date) ? Date.parse(date) : Number.NaN;
  const day = Math.floor(ms / MS_PER_DAY);
  if (Number.isNaN(ms) || isoDateOfDay(day) !== date) {
    throw new RangeError(`expected a calendar date YYYY-MM-DD, got ${date}`);
  }
  return day;
}
