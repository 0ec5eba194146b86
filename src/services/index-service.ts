import type { Catalog, CompositeCategory, Preset } from '../domain/catalog.js';
import { isoDateOfDay, parseIsoDate } from '../domain/calendar.js';
import { InvalidWeightsError, normaliseWeights } from '../domain/composite.js';
import { assessForecast, findThresholdCrossing, type ForecastAssessment } from '../domain/forecast-status.js';
import { computeIndexSeries } from '../domain/index-series.js';
import { METHODOLOGY_VERSION, computeIndex, type IndexResult } from '../domain/methodology.js';
import type { CompositeWeights, Observation } from '../domain/scoring-inputs.js';
import type { ObservationRepository, ScoringRow } from '../db/repositories/observation-repository.js';
import type { SnapshotRepository } from '../db/repositories/snapshot-repository.js';
import type { Transaction } from 'kysely';
import type { DB, SnapshotRow } from '../db/schema.js';
import { BadRequestError } from '../errors.js';

/** Longest history one request may ask for. */
export const HISTORY_MAX_DAYS = 1095;
export const HISTORY_DEFAULT_DAYS = 365;
/** The preset used where a page needs one and the client named none. */
export const DEFAULT_PRESET = 'equal';

export interface IndexView {
  preset: { code: string; name: string };
  result: IndexResult;
  /** 'snapshot' when read from the stored daily snapshot, 'computed' when computed for this request. */
  source: 'snapshot' | 'computed';
}

/** One day of a history: the aggregate scores of that day's snapshot. */
export type HistoryPoint = Pick<IndexResult, 'as_of' | 'composite' | 'categories' | 'safety_margin' | 'inputs'>;

export function utcToday(now: Date): string {
  return now.toISOString().slice(0, 10);
}

export function addDays(day: string, n: number): string {
  return isoDateOfDay(parseIsoDate(day) + n);
}

/** Every day from `from` to `to`, inclusive. */
export function daysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = parseIsoDate(from), end = parseIsoDate(to); d <= end; d++) out.push(isoDateOfDay(d));
  return out;
}

export function toObservation(row: ScoringRow): Observation {
  return {
    id: row.id,
    event_id: row.event_id,
    signpost: row.signpost_code,
    value: row.value,
    tier: row.tier,
    status: 'approved',
    retracted: false,
    published_at: row.published_at.toISOString(),
  };
}

/**
 * Reads the index: from the daily snapshot when one is stored for the day, otherwise computed from the
 * evidence ledger with the same methodology (so both give identical numbers). Presets, as-of dates
 * and custom weights are validated here; a bad one is a BadRequestError.
 */
export class IndexService {
  constructor(
    private readonly observations: ObservationRepository,
    private readonly snapshots: SnapshotRepository,
    private readonly catalog: () => Catalog,
    private readonly now: () => Date = () => new Date(),
  ) {}

  today(): string {
    return utcToday(this.now());
  }

  presets(): Preset[] {
    return this.catalog().presets;
  }

  preset(code: string): Preset {
    const preset = this.catalog().presets.find((p) => p.code === code);
    if (!preset) {
      const known = this.catalog()
        .presets.map((p) => p.code)
        .join(', ');
      throw new BadRequestError(`unknown preset "${code}"; known presets: ${known}`, { field: 'preset' });
    }
    return preset;
  }

  /** A valid calendar date not after today (UTC); today when absent. */
  asOf(date: string | undefined, field = 'date'): string {
    if (date === undefined) return this.today();
    try {
      parseIsoDate(date);
    } catch {
      throw new BadRequestError(`${field} must be a calendar date YYYY-MM-DD, got "${date}"`, { field });
    }
    if (date > this.today()) throw new BadRequestError(`${field} ${date} is in the future`, { field });
    if (date < '1970-01-01') throw new BadRequestError(`${field} must be 1970-01-01 or later`, { field });
    return date;
  }

  /** Usable evidence published by the end of `throughDay` (all of it when absent); inside `trx` when given. */
  async ledger(throughDay?: string, trx?: Transaction<DB>): Promise<Observation[]> {
    return (await this.observations.forScoring(throughDay, trx)).map(toObservation);
  }

  compute(observations: readonly Observation[], asOf: string, weights: CompositeWeights): IndexResult {
    const { metrics, signposts } = this.catalog();
    return computeIndex({ catalog: { metrics, signposts }, observations, as_of: asOf, weights });
  }

  series(observations: readonly Observation[], days: readonly string[], weights: CompositeWeights): Map<string, IndexResult> {
    const { metrics, signposts } = this.catalog();
    return computeIndexSeries({ catalog: { metrics, signposts }, observations, weights }, days);
  }

  /** The index of a preset on a day (default today). */
  async index(presetCode: string, date?: string): Promise<IndexView> {
    const preset = this.preset(presetCode);
    const asOf = this.asOf(date);
    const stored = await this.snapshots.find(asOf, preset.code, METHODOLOGY_VERSION);
    const view = { code: preset.code, name: preset.name };
    if (stored) return { preset: view, result: snapshotResult(stored), source: 'snapshot' };
    return { preset: view, result: this.compute(await this.ledger(asOf), asOf, preset.weights), source: 'computed' };
  }

  /** The index with the caller's weights (each in [0,1], not all 0; normalised to sum to 1). */
  async custom(weights: Record<CompositeCategory, number>, date?: string): Promise<IndexView> {
    try {
      normaliseWeights(weights);
    } catch (err) {
      if (err instanceof InvalidWeightsError) throw new BadRequestError(err.message, { field: 'weights' });
      throw err;
    }
    const asOf = this.asOf(date);
    return {
      preset: { code: 'custom', name: 'Custom weights' },
      result: this.compute(await this.ledger(asOf), asOf, weights),
      source: 'computed',
    };
  }

  /** Stored daily snapshots of a preset for the last `days` days (capped), oldest first. */
  async history(
    presetCode: string,
    days: number,
  ): Promise<{ preset: { code: string; name: string }; from: string; to: string; points: HistoryPoint[] }> {
    const preset = this.preset(presetCode);
    const span = Math.min(Math.max(1, Math.trunc(days)), HISTORY_MAX_DAYS);
    const to = this.today();
    const from = addDays(to, -(span - 1));
    const rows = await this.snapshots.history(preset.code, METHODOLOGY_VERSION, from, to);
    return { preset: { code: preset.code, name: preset.name }, from, to, points: rows as HistoryPoint[] };
  }

  /** Status of each forecast against the evidence as of today (ahead / on track / behind, surprise). */
  async assessForecasts<F extends { signpost_code: string; predicted_date: string }>(
    forecasts: readonly F[],
    observations?: readonly Observation[],
  ): Promise<Array<F & { assessment: ForecastAssessment }>> {
    if (forecasts.length === 0) return [];
    const asOf = this.today();
    const ledger = observations ?? (await this.ledger(asOf));
    const { metrics, signposts } = this.catalog();
    const crossings = new Map<string, string | null>();
    for (const f of forecasts) {
      if (crossings.has(f.signpost_code)) continue;
      const signpost = signposts.find((s) => s.code === f.signpost_code);
      const metric = signpost && metrics.find((m) => m.code === signpost.metric);
      const crossing = signpost && metric ? findThresholdCrossing(signpost, metric, ledger, asOf) : null;
      crossings.set(f.signpost_code, crossing?.date ?? null);
    }
    return forecasts.map((f) => ({ ...f, assessment: assessForecast(f, crossings.get(f.signpost_code) ?? null, asOf) }));
  }
}

function snapshotResult(row: SnapshotRow): IndexResult {
  return row.payload as unknown as IndexResult;
}
