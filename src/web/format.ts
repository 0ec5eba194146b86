import type { Category, Interval } from './api/types.js';

/** Scores are fractions in [0,1]; pages show them as points out of 100. */
export function points(x: number | null | undefined, digits = 1): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return 'N/A';
  return (x * 100).toFixed(digits);
}

export function signedPoints(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return 'N/A';
  const p = x * 100;
  return `${p > 0 ? '+' : p < 0 ? '−' : ''}${Math.abs(p).toFixed(1)}`;
}

export function intervalText(i: Interval | null | undefined, signed = false): string {
  if (!i) return '';
  const f = signed ? signedPoints : points;
  return `90% interval ${f(i.low)} to ${f(i.high)}`;
}

const CATEGORY_NAMES: Record<Category, string> = {
  capabilities: 'Capabilities',
  agents: 'Agents',
  inputs: 'Inputs (compute, power)',
  security: 'Security',
  economic: 'Economic',
  research: 'Research',
  geopolitical: 'Geopolitical',
  safety_incidents: 'Safety incidents',
};

export function categoryName(c: string): string {
  return CATEGORY_NAMES[c as Category] ?? c.replace(/_/g, ' ');
}

const PRESET_NAMES: Record<string, string> = {
  equal: 'Equal',
  aschenbrenner: 'Aschenbrenner',
  ai2027: 'AI 2027',
  cotra: 'Cotra',
  conservative: 'Conservative',
};

export function presetName(code: string): string {
  return PRESET_NAMES[code] ?? code;
}

/** "2025-06-30" or an ISO timestamp, shown as a calendar day in UTC (evidence dates are UTC days). */
export function day(value: string | null | undefined): string {
  if (!value) return '';
  const d = new Date(value.length === 10 ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(d.getTime())) return value;
  return d.toLocaleDateString('en-GB', { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' });
}

export function dateTime(value: string | null | undefined): string {
  if (!value) return '';
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return value;
  return d.toLocaleString('en-GB', { timeZone: 'UTC', dateStyle: 'medium', timeStyle: 'short' }) + ' UTC';
}

export function isoDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** A metric value in its unit: fractions as percentages, FLOP in scientific notation. */
export function metricValue(value: number | null | undefined, unit?: string): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  switch (unit) {
    case 'fraction':
      return `${(value * 100).toFixed(1)}%`;
    case 'flop':
      return `${value.toExponential(1).replace('e+', 'e')} FLOP`;
    case 'h100e':
      return `${Math.round(value).toLocaleString('en-GB')} H100e`;
    case 'gw':
      return `${value} GW`;
    case 'hours':
      return `${value} h`;
    case 'binary':
      return value >= 1 ? 'yes' : 'no';
    default:
      return Math.abs(value) >= 1e6 ? value.toExponential(2) : String(Number(value.toPrecision(4)));
  }
}

export const TIER_DESCRIPTIONS: Record<string, string> = {
  A: 'Tier A: peer-reviewed or archived paper, official leaderboard or reproducible model card',
  B: 'Tier B: official lab announcement (provisional until corroborated by tier A)',
  C: 'Tier C: reputable press; shown as unverified, never moves a gauge',
  D: 'Tier D: social media; shown as unverified, never moves a gauge',
};
