import { describe, expect, it } from 'vitest';
import type { Category } from '../src/domain/catalog.js';
import { computeCategoryScore } from '../src/domain/category.js';
import {
  InvalidWeightsError,
  computeComposite,
  computeSafetyMargin,
  normaliseWeights,
  weightedHarmonicMean,
} from '../src/domain/composite.js';
import { assessForecast, findThresholdCrossing } from '../src/domain/forecast-status.js';
import { METHODOLOGY_VERSION, computeIndex, type IndexInput } from '../src/domain/methodology.js';
import { computeSignpostProgress, progressForValue, type SignpostProgress } from '../src/domain/progress.js';
import type { MetricSpec, Observation, SignpostSpec } from '../src/domain/scoring-inputs.js';
import { findCorroboratedObservations } from '../src/domain/tier-policy.js';
import { drawProgress, intervalFromSamples, mulberry32 } from '../src/domain/uncertainty.js';

// ---- builders -------------------------------------------------------------------------------

function metric(
  code: string,
  unit: MetricSpec['unit'],
  scale: MetricSpec['scale'] = 'linear',
  direction: MetricSpec['direction'] = 'increasing',
): MetricSpec {
  return { code, unit, scale, direction };
}

function signpost(
  code: string,
  category: Category,
  metricCode: string,
  baseline: number,
  target: number,
  flags: { first_class?: boolean; monitor_only?: boolean } = {},
): SignpostSpec {
  return {
    code,
    category,
    metric: metricCode,
    baseline,
    target,
    first_class: flags.first_class ?? false,
    monitor_only: flags.monitor_only ?? false,
  };
}

let nextId = 1000;
function obs(
  signpostCode: string,
  tier: Observation['tier'],
  value: number,
  published_at: string,
  extra: Partial<Observation> = {},
): Observation {
  const id = extra.id ?? nextId++;
  return {
    id,
    event_id: id,
    signpost: signpostCode,
    tier,
    value,
    published_at,
    status: 'approved',
    retracted: false,
    ...extra,
  };
}

const AS_OF = '2025-06-30';

/** Progress of one signpost on its own metric, corroboration computed from the same observations. */
function progressOf(sp: SignpostSpec, m: MetricSpec, observations: Observation[], asOf = AS_OF): SignpostProgress {
  const corroborated = findCorroboratedObservations(observations, [sp], [m], asOf);
  return computeSignpostProgress({ signpost: sp, metric: m, observations, asOf, corroborated });
}

const swe = metric('swe_bench_verified', 'fraction');
const swe85 = signpost('swe_bench_85', 'capabilities', 'swe_bench_verified', 0.4, 0.85, { first_class: true });
const compute = metric('training_compute', 'flop', 'log10');
const compute26 = signpost('compute_1e26', 'inputs', 'training_compute', 1e24, 1e26, { first_class: true });

function shiftDays(date: string, days: number): string {
  return new Date(Date.parse(date) + days * 86_400_000).toISOString().slice(0, 10);
}

// ---- signpost progress ----------------------------------------------------------------------

describe('signpost progress', () => {
  it('linear progress is the share of the way from baseline to target', () => {
    const p = progressOf(swe85, swe, [obs('swe_bench_85', 'A', 0.76, '2025-03-01', { id: 'o1' })]);
    expect(p.progress).toBeCloseTo(0.8, 12);
    expect(p).toMatchObject({
      status: 'ok',
      value: 0.76,
      observation_id: 'o1',
      published_at: '2025-03-01',
      provisional: false,
    });
  });

  it('log10 progress counts orders of magnitude', () => {
    expect(progressForValue(1e25, compute26, compute)).toBeCloseTo(0.5, 12);
    expect(progressForValue(3e25, compute26, compute)).toBeCloseTo((Math.log10(3e25) - 24) / 2, 12);
    expect(progressForValue(3e25, compute26, compute)).toBeCloseTo(0.738561, 6);
  });

  it('on a decreasing metric the lowest value is the best and progress grows as it falls', () => {
    const errorRate = metric('error_rate', 'fraction', 'linear', 'decreasing');
    const sp = signpost('errors_5pct', 'agents', 'error_rate', 0.2, 0.05);
    const p = progressOf(sp, errorRate, [obs('errors_5pct', 'A', 0.1, '2025-01-01'), obs('errors_5pct', 'A', 0.08, '2025-02-01')]);
    expect(p.value).toBe(0.08);
    expect(p.progress).toBeCloseTo(0.8, 12);
  });

  it('a value above target is clamped to 1 and one below baseline to 0', () => {
    expect(progressForValue(0.95, swe85, swe)).toBe(1);
    expect(progressForValue(2e26, compute26, compute)).toBe(1);
    expect(progressForValue(0.1, swe85, swe)).toBe(0);
    expect(progressForValue(1e20, compute26, compute)).toBe(0);
  });

  it('a binary signpost is 1 once a value of 1 is observed and 0 before', () => {
    const binary = metric('mandatory_evals', 'binary');
    const sp = signpost('mandatory_evals', 'security', 'mandatory_evals', 0, 1);
    expect(progressOf(sp, binary, [obs('mandatory_evals', 'A', 0, '2025-01-01')]).progress).toBe(0);
    expect(
      progressOf(sp, binary, [obs('mandatory_evals', 'A', 0, '2025-01-01'), obs('mandatory_evals', 'A', 1, '2025-02-01')]).progress,
    ).toBe(1);
  });

  it('a signpost without usable evidence has progress 0 and status no_evidence', () => {
    expect(progressOf(swe85, swe, [])).toEqual({
      code: 'swe_bench_85',
      progress: 0,
      status: 'no_evidence',
      value: null,
      observation_id: null,
      published_at: null,
      provisional: false,
    });
  });

  it('the best of several observations is the highest value', () => {
    const p = progressOf(swe85, swe, [
      obs('swe_bench_85', 'A', 0.6, '2025-01-01'),
      obs('swe_bench_85', 'A', 0.7, '2025-02-01', { id: 'best' }),
      obs('swe_bench_85', 'A', 0.65, '2025-03-01'),
    ]);
    expect(p).toMatchObject({ value: 0.7, observation_id: 'best' });
  });

  it('C- and D-tier observations never move the gauge, even when approved', () => {
    const p = progressOf(swe85, swe, [obs('swe_bench_85', 'C', 0.8, '2025-01-01'), obs('swe_bench_85', 'D', 0.85, '2025-01-02')]);
    expect(p.status).toBe('no_evidence');
    expect(p.progress).toBe(0);
  });

  it('retracted, rejected and pending observations are ignored', () => {
    const p = progressOf(swe85, swe, [
      obs('swe_bench_85', 'A', 0.6, '2025-01-01'),
      obs('swe_bench_85', 'A', 0.8, '2025-01-02', { retracted: true }),
      obs('swe_bench_85', 'A', 0.81, '2025-01-03', { status: 'rejected' }),
      obs('swe_bench_85', 'A', 0.82, '2025-01-04', { status: 'pending' }),
    ]);
    expect(p.value).toBe(0.6);
  });

  it('an observation published after the as-of date is ignored; one late on the as-of day counts', () => {
    const late = [obs('swe_bench_85', 'A', 0.6, '2025-06-30T23:59:59Z'), obs('swe_bench_85', 'A', 0.8, '2025-07-01')];
    expect(progressOf(swe85, swe, late).value).toBe(0.6);
    // 20:00 in New York on the 30th is 00:00 UTC on 1 July: after the as-of day.
    const zoned = [obs('swe_bench_85', 'A', 0.7, '2025-06-30T20:00:00-04:00')];
    expect(progressOf(swe85, swe, zoned).status).toBe('no_evidence');
    expect(progressOf(swe85, swe, zoned, '2025-07-01').value).toBe(0.7);
  });

  it('between equal values the corroborated one is chosen, so the signpost is not provisional', () => {
    const p = progressOf(swe85, swe, [
      obs('swe_bench_85', 'B', 0.7, '2025-01-01', { id: 'b' }),
      obs('swe_bench_85', 'A', 0.7, '2025-05-01', { id: 'a' }),
    ]);
    expect(p).toMatchObject({ observation_id: 'a', status: 'ok' });
  });
});

// ---- tier policy ----------------------------------------------------------------------------

describe('tier policy: B-tier corroboration', () => {
  const B_DAY = '2025-03-01';
  const corroborated = (aDay: string, aValue = 0.4, bValue = 0.4) => {
    const b = obs('swe_bench_85', 'B', bValue, B_DAY, { id: 'b' });
    const a = obs('swe_bench_85', 'A', aValue, aDay, { id: 'a' });
    return findCorroboratedObservations([a, b], [swe85], [swe], AS_OF).has('b');
  };

  it.each([
    [13, true],
    [14, true],
    [15, false],
  ])('an A observation %i days after the B one corroborates it: %s', (days, expected) => {
    expect(corroborated(shiftDays(B_DAY, days))).toBe(expected);
  });

  it.each([
    [13, true],
    [14, true],
    [15, false],
  ])('an A observation %i days before the B one corroborates it: %s', (days, expected) => {
    expect(corroborated(shiftDays(B_DAY, -days))).toBe(expected);
  });

  it('the window compares UTC calendar days, not hours', () => {
    const b = obs('swe_bench_85', 'B', 0.4, '2025-03-01T00:00:00Z', { id: 'b' });
    const a = obs('swe_bench_85', 'A', 0.4, '2025-03-15T23:59:00Z');
    expect(findCorroboratedObservations([a, b], [swe85], [swe], AS_OF).has('b')).toBe(true);
  });

  it('an A value of exactly 95% of the B value corroborates it; less does not', () => {
    expect(corroborated('2025-03-05', 0.38, 0.4)).toBe(true);
    expect(corroborated('2025-03-05', 0.379, 0.4)).toBe(false);
  });

  it('on a decreasing metric the A value must be at most 105% of the B value', () => {
    const errorRate = metric('error_rate', 'fraction', 'linear', 'decreasing');
    const sp = signpost('errors_5pct', 'agents', 'error_rate', 0.5, 0.05);
    const check = (aValue: number) => {
      const b = obs('errors_5pct', 'B', 0.2, B_DAY, { id: 'b' });
      const a = obs('errors_5pct', 'A', aValue, '2025-03-05');
      return findCorroboratedObservations([a, b], [sp], [errorRate], AS_OF).has('b');
    };
    expect(check(0.21)).toBe(true);
    expect(check(0.22)).toBe(false);
  });

  it('an A observation on another signpost of the same metric corroborates', () => {
    const swe90 = signpost('swe_bench_90', 'capabilities', 'swe_bench_verified', 0.4, 0.9);
    const b = obs('swe_bench_85', 'B', 0.7, B_DAY, { id: 'b' });
    const a = obs('swe_bench_90', 'A', 0.7, '2025-03-02');
    expect(findCorroboratedObservations([a, b], [swe85, swe90], [swe], AS_OF).has('b')).toBe(true);
  });

  it('an A observation on a different metric does not corroborate', () => {
    const gpqa = signpost('gpqa_sota', 'capabilities', 'gpqa_diamond', 0.5, 0.9);
    const b = obs('swe_bench_85', 'B', 0.7, B_DAY, { id: 'b' });
    const a = obs('gpqa_sota', 'A', 0.9, '2025-03-02');
    expect(findCorroboratedObservations([a, b], [swe85, gpqa], [swe, metric('gpqa_diamond', 'fraction')], AS_OF).size).toBe(0);
  });

  it('an A observation published after the as-of date does not corroborate yet', () => {
    const b = obs('swe_bench_85', 'B', 0.7, '2025-06-25', { id: 'b' });
    const a = obs('swe_bench_85', 'A', 0.7, '2025-07-02');
    expect(findCorroboratedObservations([a, b], [swe85], [swe], '2025-06-30').has('b')).toBe(false);
    expect(findCorroboratedObservations([a, b], [swe85], [swe], '2025-07-02').has('b')).toBe(true);
  });

  it('a retracted or C-tier observation does not corroborate', () => {
    const b = obs('swe_bench_85', 'B', 0.7, B_DAY, { id: 'b' });
    const retracted = obs('swe_bench_85', 'A', 0.7, '2025-03-02', { retracted: true });
    const press = obs('swe_bench_85', 'C', 0.7, '2025-03-02');
    expect(findCorroboratedObservations([retracted, press, b], [swe85], [swe], AS_OF).size).toBe(0);
  });

  it('an uncorroborated B value still moves the gauge, flagged provisional', () => {
    const p = progressOf(swe85, swe, [obs('swe_bench_85', 'B', 0.76, B_DAY)]);
    expect(p.progress).toBeCloseTo(0.8, 12);
    expect(p).toMatchObject({ status: 'provisional', provisional: true });
  });

  it('a B value higher than every A value stays provisional when the A values are too low', () => {
    const p = progressOf(swe85, swe, [obs('swe_bench_85', 'B', 0.8, B_DAY), obs('swe_bench_85', 'A', 0.6, '2025-03-02')]);
    expect(p).toMatchObject({ value: 0.8, status: 'provisional' });
  });
});

// ---- categories -----------------------------------------------------------------------------

describe('category score', () => {
  const progress = (entries: [string, number][]) => new Map(entries.map(([code, p]) => [code, { progress: p, status: 'ok' as const }]));

  it('first-class signposts weigh 2 and others 1', () => {
    const signposts = [signpost('a', 'agents', 'm', 0, 1, { first_class: true }), signpost('b', 'agents', 'm', 0, 1)];
    const result = computeCategoryScore(
      'agents',
      signposts,
      progress([
        ['a', 0.9],
        ['b', 0.3],
      ]),
    );
    expect(result.score).toBeCloseTo((2 * 0.9 + 0.3) / 3, 12);
  });

  it('monitor-only signposts are excluded from the score', () => {
    const signposts = [signpost('a', 'agents', 'm', 0, 1), signpost('watch', 'agents', 'm', 0, 1, { monitor_only: true })];
    const result = computeCategoryScore(
      'agents',
      signposts,
      progress([
        ['a', 0.4],
        ['watch', 1],
      ]),
    );
    expect(result.score).toBeCloseTo(0.4, 12);
    expect(result.signposts).toBe(1);
  });

  it('signposts without evidence count as 0 and are not counted as having evidence', () => {
    const signposts = [signpost('a', 'agents', 'm', 0, 1), signpost('b', 'agents', 'm', 0, 1)];
    const result = computeCategoryScore('agents', signposts, progress([['a', 0.6]]));
    expect(result).toMatchObject({ signposts: 2, signposts_with_evidence: 1, has_ab_evidence: true });
    expect(result.score).toBeCloseTo(0.3, 12);
  });

  it('a category with signposts but no evidence scores 0 and has no A/B evidence', () => {
    const result = computeCategoryScore('agents', [signpost('a', 'agents', 'm', 0, 1)], new Map());
    expect(result).toMatchObject({ score: 0, has_ab_evidence: false, signposts_with_evidence: 0 });
  });

  it('a category with no scored signposts has a null score', () => {
    expect(computeCategoryScore('economic', [signpost('a', 'agents', 'm', 0, 1)], new Map()).score).toBeNull();
  });
});

// ---- composite and safety margin ------------------------------------------------------------

describe('composite and safety margin', () => {
  const equal = { capabilities: 1, agents: 1, inputs: 1 };
  const evidence = (score: number) => ({ score, has_ab_evidence: true });
  const none = { score: 0, has_ab_evidence: false };

  it('the composite is the weighted harmonic mean Σw / Σ(w/x)', () => {
    const result = computeComposite({ capabilities: evidence(0.5), agents: evidence(0.25), inputs: evidence(1) }, equal);
    expect(result).toEqual({ value: 3 / 7, status: 'ok' });
    const weighted = weightedHarmonicMean({ capabilities: 0.5, agents: 0.25, inputs: 1 }, { capabilities: 0.5, agents: 0.3, inputs: 0.2 });
    expect(weighted).toBeCloseTo(1 / (0.5 / 0.5 + 0.3 / 0.25 + 0.2 / 1), 12);
  });

  it('a weighted category with evidence but a score of exactly 0 makes the composite 0', () => {
    const result = computeComposite({ capabilities: evidence(0.8), agents: evidence(0), inputs: evidence(0.9) }, equal);
    expect(result.value).toBe(0);
  });

  it('the composite is insufficient, naming the categories, while a weighted category has no A/B evidence', () => {
    const result = computeComposite({ capabilities: evidence(0.8), agents: none, inputs: none }, equal);
    expect(result).toEqual({ value: null, status: 'insufficient', reason: 'no A/B evidence yet for: agents, inputs' });
  });

  it('a category with weight 0 neither needs evidence nor affects the composite', () => {
    const result = computeComposite(
      { capabilities: evidence(0.8), agents: evidence(0.4), inputs: none },
      { capabilities: 0.5, agents: 0.5, inputs: 0 },
    );
    expect(result.value).toBeCloseTo(2 / (1 / 0.8 + 1 / 0.4), 12);
  });

  it('the safety margin is negative when capabilities outpace security and positive otherwise', () => {
    const behind = computeSafetyMargin({ security: evidence(0.2), capabilities: evidence(0.6), agents: evidence(0.4) }, equal);
    expect(behind.value).toBeCloseTo(0.2 - 0.5, 12);
    const ahead = computeSafetyMargin({ security: evidence(0.9), capabilities: evidence(0.6), agents: evidence(0.4) }, equal);
    expect(ahead.value).toBeCloseTo(0.4, 12);
  });

  it('the safety margin renormalises the capabilities and agents weights between the two', () => {
    const result = computeSafetyMargin(
      { security: evidence(0.5), capabilities: evidence(0.8), agents: evidence(0.4) },
      { capabilities: 0.6, agents: 0.2, inputs: 0.2 },
    );
    expect(result.value).toBeCloseTo(0.5 - (0.75 * 0.8 + 0.25 * 0.4), 12);
  });

  it('the safety margin is null with a reason while security has no evidence', () => {
    const result = computeSafetyMargin({ security: none, capabilities: evidence(0.6), agents: evidence(0.4) }, equal);
    expect(result).toEqual({ value: null, status: 'insufficient', reason: 'no A/B evidence yet for: security' });
  });

  it('weights are normalised to sum to 1', () => {
    expect(normaliseWeights({ capabilities: 1, agents: 0.6, inputs: 0.4 })).toEqual({
      capabilities: 0.5,
      agents: 0.3,
      inputs: 0.2,
    });
  });

  it.each([
    [{ capabilities: 1.2, agents: 0, inputs: 0 }, /capabilities must be a number in \[0,1\]/],
    [{ capabilities: 0.5, agents: -0.1, inputs: 0 }, /agents must be a number in \[0,1\]/],
    [{ capabilities: 0.5, agents: 0.5, inputs: Number.NaN }, /inputs must be a number in \[0,1\]/],
    [{ capabilities: 0, agents: 0, inputs: 0 }, /at least one weight must be above 0/],
  ])('bad weights %o throw InvalidWeightsError', (weights, message) => {
    expect(() => normaliseWeights(weights)).toThrow(InvalidWeightsError);
    expect(() => normaliseWeights(weights)).toThrow(message);
  });
});

// ---- uncertainty ----------------------------------------------------------------------------

describe('uncertainty intervals', () => {
  const m = metric('frac', 'fraction');
  const threeSignposts = ['a', 'b', 'c'].map((c) => signpost(c, 'capabilities', 'frac', 0, 1));
  const input = (observations: Observation[], seed?: number): IndexInput => ({
    catalog: { metrics: [m], signposts: threeSignposts },
    observations,
    as_of: AS_OF,
    weights: { capabilities: 1, agents: 0, inputs: 0 },
    ...(seed === undefined ? {} : { seed }),
  });
  const width = (i: { low: number; high: number } | null) => (i ? i.high - i.low : Number.NaN);
  const all = [obs('a', 'A', 0.5, '2025-01-01'), obs('b', 'A', 0.5, '2025-01-01'), obs('c', 'A', 0.5, '2025-01-01')];

  it('mulberry32 is the reference generator (first number for seed 1)', () => {
    expect(mulberry32(1)()).toBe(0.6270739405881613);
  });

  it('the same seed and input give identical numbers; another seed gives other draws', () => {
    expect(computeIndex(input(all, 7))).toEqual(computeIndex(input(all, 7)));
    expect(computeIndex(input(all, 7)).categories.capabilities.interval).not.toEqual(
      computeIndex(input(all, 8)).categories.capabilities.interval,
    );
  });

  it('a category interval is wider when fewer of its signposts have evidence', () => {
    const full = computeIndex(input(all)).categories.capabilities.interval;
    const thin = computeIndex(input(all.slice(0, 1))).categories.capabilities.interval;
    expect(width(thin)).toBeGreaterThan(width(full));
  });

  it('provisional values give wider intervals than corroborated ones', () => {
    const bOnly = all.map((o) => ({ ...o, tier: 'B' as const }));
    const verified = computeIndex(input(all));
    const provisional = computeIndex(input(bOnly));
    expect(provisional.inputs.provisional_count).toBe(3);
    expect(width(provisional.categories.capabilities.interval)).toBeGreaterThan(width(verified.categories.capabilities.interval));
    expect(width(provisional.composite.interval)).toBeGreaterThan(width(verified.composite.interval));
  });

  it('every interval contains its score and stays within [0,1]', () => {
    const result = computeIndex(input(all.slice(0, 2)));
    for (const s of result.signposts) {
      expect(s.interval.low).toBeGreaterThanOrEqual(0);
      expect(s.interval.high).toBeLessThanOrEqual(1);
      expect(s.interval.low).toBeLessThanOrEqual(s.progress);
      expect(s.interval.high).toBeGreaterThanOrEqual(s.progress);
    }
    const c = result.categories.capabilities;
    expect(c.interval!.low).toBeLessThanOrEqual(c.score!);
    expect(c.interval!.high).toBeGreaterThanOrEqual(c.score!);
  });

  it('a signpost without evidence has an interval from 0 up to about 0.24', () => {
    const c = computeIndex(input(all.slice(0, 2))).signposts.find((s) => s.code === 'c')!;
    expect(c.interval.low).toBe(0);
    expect(c.interval.high).toBeGreaterThan(0.2);
    expect(c.interval.high).toBeLessThan(0.25);
  });

  it('draws spread by evidence: ±0.05 verified, ±0.15 provisional, [0, 0.25] without evidence', () => {
    expect(drawProgress(0.5, 'ok', 0)).toBeCloseTo(0.45, 12);
    expect(drawProgress(0.5, 'provisional', 0.999999)).toBeCloseTo(0.65, 5);
    expect(drawProgress(0, 'no_evidence', 0.5)).toBeCloseTo(0.125, 12);
    expect(drawProgress(1, 'ok', 0.99)).toBe(1);
  });

  it('the interval is the 5th to 95th percentile of the draws', () => {
    const samples = Array.from({ length: 101 }, (_, i) => i / 100);
    expect(intervalFromSamples(samples, 0.5)).toEqual({ low: 0.05, high: 0.95 });
  });
});

// ---- forecasts ------------------------------------------------------------------------------

describe('forecast status', () => {
  it('a threshold crossed more than 90 days before the predicted date is ahead, with a positive surprise', () => {
    const result = assessForecast({ predicted_date: '2027-01-01' }, '2026-01-01', '2026-06-30');
    expect(result.status).toBe('ahead');
    expect(result.surprise_years).toBeCloseTo(365 / 365.25, 12);
  });

  it.each([
    ['2026-10-03', 'on_track'], // 90 days early
    ['2026-10-02', 'ahead'], // 91 days early
    ['2027-04-01', 'on_track'], // 90 days late
    ['2027-04-02', 'behind'], // 91 days late
  ])('a crossing on %s for a prediction of 2027-01-01 is %s', (crossed, status) => {
    expect(assessForecast({ predicted_date: '2027-01-01' }, crossed, '2028-01-01').status).toBe(status);
  });

  it('a crossing after the predicted date gives a negative surprise', () => {
    const result = assessForecast({ predicted_date: '2026-01-01' }, '2027-01-01', '2027-06-30');
    expect(result).toMatchObject({ status: 'behind', crossed_date: '2027-01-01' });
    expect(result.surprise_years).toBeCloseTo(-365 / 365.25, 12);
  });

  it('not crossed is on track until the predicted date passes, then behind', () => {
    expect(assessForecast({ predicted_date: '2026-01-01' }, null, '2025-12-31').status).toBe('on_track');
    expect(assessForecast({ predicted_date: '2026-01-01' }, null, '2026-01-01').status).toBe('on_track');
    expect(assessForecast({ predicted_date: '2026-01-01' }, null, '2026-01-02')).toEqual({
      status: 'behind',
      crossed_date: null,
      surprise_years: null,
    });
  });

  it('a crossing after the as-of date is not known yet', () => {
    expect(assessForecast({ predicted_date: '2027-01-01' }, '2026-01-01', '2025-06-30')).toMatchObject({
      status: 'on_track',
      crossed_date: null,
    });
  });

  it('the crossing is the first usable observation at or past the target', () => {
    const observations = [
      obs('swe_bench_85', 'A', 0.8, '2025-01-01'),
      obs('swe_bench_85', 'C', 0.9, '2025-02-01'),
      obs('swe_bench_85', 'B', 0.86, '2025-03-01T10:00:00Z', { id: 'first' }),
      obs('swe_bench_85', 'A', 0.88, '2025-04-01'),
    ];
    expect(findThresholdCrossing(swe85, swe, observations, AS_OF)).toEqual({
      date: '2025-03-01',
      observation_id: 'first',
    });
    expect(findThresholdCrossing(swe85, swe, observations, '2025-02-28')).toBeNull();
  });
});

// ---- worked example (docs/methodology.md) ---------------------------------------------------

describe('worked example of docs/methodology.md', () => {
  const metrics = [
    metric('swe_bench_verified', 'fraction'),
    metric('gpqa_diamond', 'fraction'),
    metric('arc_agi', 'fraction'),
    metric('hle_text', 'fraction'),
    metric('osworld', 'fraction'),
    metric('webarena', 'fraction'),
    metric('task_horizon', 'hours', 'log10'),
    metric('training_compute', 'flop', 'log10'),
    metric('cluster_size', 'h100e', 'log10'),
    metric('dc_power', 'gw', 'log10'),
    metric('security_maturity', 'fraction'),
    metric('weights_security_l1', 'binary'),
    metric('mandatory_evals', 'binary'),
  ];
  const signposts = [
    signpost('swe_bench_85', 'capabilities', 'swe_bench_verified', 0.4, 0.85, { first_class: true }),
    signpost('gpqa_sota', 'capabilities', 'gpqa_diamond', 0.5, 0.9),
    signpost('arc_agi_85', 'capabilities', 'arc_agi', 0.05, 0.85),
    signpost('hle_text_50', 'capabilities', 'hle_text', 0.1, 0.5, { monitor_only: true }),
    signpost('osworld_65', 'agents', 'osworld', 0.15, 0.65, { first_class: true }),
    signpost('webarena_70', 'agents', 'webarena', 0.3, 0.7),
    signpost('agent_100h_task', 'agents', 'task_horizon', 1, 100),
    signpost('compute_1e26', 'inputs', 'training_compute', 1e24, 1e26, { first_class: true }),
    signpost('compute_1e27', 'inputs', 'training_compute', 1e24, 1e27),
    signpost('gpu_cluster_100k', 'inputs', 'cluster_size', 1e4, 1e5),
    signpost('dc_power_5gw', 'inputs', 'dc_power', 0.1, 5),
    signpost('sec_maturity', 'security', 'security_maturity', 0, 1, { first_class: true }),
    signpost('security_l1_weights', 'security', 'weights_security_l1', 0, 1),
    signpost('mandatory_evals', 'security', 'mandatory_evals', 0, 1),
  ];
  const o = (id: number, code: string, tier: Observation['tier'], value: number, day: string, extra: Partial<Observation> = {}) =>
    obs(code, tier, value, day, { id, ...extra });
  const observations = [
    o(1, 'swe_bench_85', 'B', 0.76, '2025-03-01'),
    o(2, 'swe_bench_85', 'A', 0.74, '2025-03-10'),
    o(3, 'gpqa_sota', 'A', 0.8, '2025-02-01'),
    o(4, 'arc_agi_85', 'C', 0.9, '2025-05-01'),
    o(5, 'hle_text_50', 'A', 0.3, '2025-04-15'),
    o(6, 'gpqa_sota', 'A', 0.95, '2025-05-20', { retracted: true }),
    o(7, 'osworld_65', 'B', 0.4, '2025-04-01'),
    o(8, 'webarena_70', 'A', 0.62, '2025-03-15'),
    o(9, 'agent_100h_task', 'A', 10, '2025-03-20'),
    o(10, 'compute_1e26', 'A', 2e26, '2025-02-10'),
    o(11, 'compute_1e27', 'A', 2e26, '2025-02-10'),
    o(12, 'gpu_cluster_100k', 'B', 5e4, '2025-01-05'),
    o(13, 'gpu_cluster_100k', 'A', 4.8e4, '2025-01-25'),
    o(14, 'dc_power_5gw', 'A', 1, '2025-05-05'),
    o(15, 'sec_maturity', 'A', 0.3, '2025-04-20'),
    o(16, 'mandatory_evals', 'A', 1, '2025-06-01'),
    o(17, 'webarena_70', 'A', 0.69, '2025-07-15'),
  ];
  const result = computeIndex({
    catalog: { metrics, signposts },
    observations,
    as_of: '2025-06-30',
    weights: { capabilities: 1, agents: 0.6, inputs: 0.4 },
    seed: 1,
  });
  const bySignpost = Object.fromEntries(result.signposts.map((s) => [s.code, s]));

  it('records the methodology version, as-of date, seed and normalised weights', () => {
    expect(result).toMatchObject({
      methodology_version: METHODOLOGY_VERSION,
      as_of: '2025-06-30',
      seed: 1,
      draws: 1000,
    });
    expect(METHODOLOGY_VERSION).toBe(1);
    expect(result.weights).toEqual({ capabilities: 0.5, agents: 0.3, inputs: 0.2 });
  });

  it.each([
    ['swe_bench_85', 0.8, 'ok', 0.76],
    ['gpqa_sota', 0.75, 'ok', 0.8],
    ['arc_agi_85', 0, 'no_evidence', null],
    ['hle_text_50', 0.5, 'ok', 0.3],
    ['osworld_65', 0.5, 'provisional', 0.4],
    ['webarena_70', 0.8, 'ok', 0.62],
    ['agent_100h_task', 0.5, 'ok', 10],
    ['compute_1e26', 1, 'ok', 2e26],
    ['compute_1e27', 0.76701, 'ok', 2e26],
    ['gpu_cluster_100k', 0.69897, 'provisional', 5e4],
    ['dc_power_5gw', 0.588592, 'ok', 1],
    ['sec_maturity', 0.3, 'ok', 0.3],
    ['security_l1_weights', 0, 'no_evidence', null],
    ['mandatory_evals', 1, 'ok', 1],
  ] as const)('signpost %s has progress %d (%s)', (code, progress, status, value) => {
    expect(bySignpost[code]?.progress).toBeCloseTo(progress, 6);
    expect(bySignpost[code]).toMatchObject({ status, value });
  });

  it('category scores match the hand computation', () => {
    expect(result.categories.capabilities.score).toBeCloseTo(0.5875, 6);
    expect(result.categories.agents.score).toBeCloseTo(0.575, 6);
    expect(result.categories.inputs.score).toBeCloseTo(0.810914, 6);
    expect(result.categories.security.score).toBeCloseTo(0.4, 6);
    expect(result.categories.economic).toMatchObject({ score: null, interval: null, signposts: 0 });
    expect(result.categories.capabilities).toMatchObject({
      signposts: 3,
      signposts_with_evidence: 2,
      has_ab_evidence: true,
    });
    expect(result.categories.inputs).toMatchObject({
      signposts: 4,
      signposts_with_evidence: 4,
      provisional_signposts: 1,
    });
  });

  it('the composite and safety margin match the hand computation', () => {
    expect(result.composite.status).toBe('ok');
    expect(result.composite.value).toBeCloseTo(0.617498, 6);
    expect(result.safety_margin.value).toBeCloseTo(-0.1828125, 9);
  });

  it('the input counts match', () => {
    expect(result.inputs).toEqual({ observations_used: 14, provisional_count: 2, signposts_with_evidence: 12 });
  });

  it('the intervals for seed 1 are the ones printed in the document', () => {
    const rounded = (i: { low: number; high: number } | null) => i && [+i.low.toFixed(3), +i.high.toFixed(3)];
    expect(rounded(result.composite.interval)).toEqual([0.599, 0.667]);
    expect(rounded(result.categories.capabilities.interval)).toEqual([0.578, 0.657]);
    expect(rounded(result.categories.agents.interval)).toEqual([0.509, 0.645]);
    expect(rounded(result.categories.inputs.interval)).toEqual([0.773, 0.838]);
    expect(rounded(result.categories.security.interval)).toEqual([0.39, 0.466]);
    expect(rounded(result.safety_margin.interval)).toEqual([-0.228, -0.12]);
  });

  it('without any agents evidence the composite is insufficient and names agents', () => {
    const noAgents = observations.filter((x) => !['osworld_65', 'webarena_70', 'agent_100h_task'].includes(x.signpost));
    const thin = computeIndex({
      catalog: { metrics, signposts },
      observations: noAgents,
      as_of: '2025-06-30',
      weights: { capabilities: 1, agents: 0.6, inputs: 0.4 },
    });
    expect(thin.composite).toEqual({
      value: null,
      status: 'insufficient',
      reason: 'no A/B evidence yet for: agents',
      interval: null,
    });
    expect(thin.safety_margin.status).toBe('insufficient');
  });
});

describe('computeIndex input checks', () => {
  const base: IndexInput = {
    catalog: { metrics: [swe], signposts: [swe85] },
    observations: [],
    as_of: AS_OF,
    weights: { capabilities: 1, agents: 1, inputs: 1 },
  };

  it('an as-of that is not a calendar date is a RangeError', () => {
    expect(() => computeIndex({ ...base, as_of: '2025-02-30' })).toThrow(RangeError);
    expect(() => computeIndex({ ...base, as_of: '30/06/2025' })).toThrow(RangeError);
  });

  it('bad weights are an InvalidWeightsError', () => {
    expect(() => computeIndex({ ...base, weights: { capabilities: 2, agents: 0, inputs: 0 } })).toThrow(InvalidWeightsError);
  });

  it('observations on signposts outside the catalog are ignored', () => {
    const result = computeIndex({ ...base, observations: [obs('unknown', 'A', 1, '2025-01-01')] });
    expect(result.inputs.observations_used).toBe(0);
  });
});
