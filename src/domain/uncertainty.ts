import type { SignpostStatus } from './progress.js';
import type { Interval } from './scoring-inputs.js';

/**
 * 90% intervals by seeded Monte Carlo. Each draw perturbs every signpost's progress by noise whose
 * spread depends on how good its evidence is, recomputes every aggregate from the perturbed values,
 * and the interval is the 5th to 95th percentile of those draws. The same seed and input give the
 * same numbers on any machine (the PRNG is integer arithmetic; the order of draws is fixed).
 */

export const DEFAULT_SEED = 1;
export const DEFAULT_DRAWS = 1000;
export const INTERVAL_PERCENTILES = { low: 0.05, high: 0.95 } as const;

/**
 * Spread of a signpost's draw around its progress p, by evidence:
 * - verified (A-tier, or B corroborated by A): uniform on p ± 0.05;
 * - provisional (B only): uniform on p ± 0.15;
 * - no evidence (p = 0): uniform on [0, 0.25], because "no evidence yet" is not "no progress".
 * Draws are clamped to [0,1].
 */
export const NOISE = { verified: 0.05, provisional: 0.15, no_evidence: 0.25 } as const;

/** mulberry32: a small, fast 32-bit PRNG; returns numbers in [0,1). */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One draw of a signpost's progress, from a uniform number u in [0,1). */
export function drawProgress(progress: number, status: SignpostStatus, u: number): number {
  if (status === 'no_evidence') return u * NOISE.no_evidence;
  const halfWidth = status === 'provisional' ? NOISE.provisional : NOISE.verified;
  return Math.min(1, Math.max(0, progress + (2 * u - 1) * halfWidth));
}

/** The q-quantile of sorted numbers, interpolating linearly between order statistics. */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) throw new RangeError('quantile of an empty sample');
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const lower = sorted[below] ?? 0;
  const upper = sorted[Math.min(below + 1, sorted.length - 1)] ?? lower;
  return lower + (upper - lower) * (position - below);
}

/**
 * The 5th–95th percentile of the samples, widened if needed to contain the point estimate (a score
 * with no evidence is 0 while its draws sit above 0; the interval then starts at the score).
 */
export function intervalFromSamples(samples: readonly number[], point: number): Interval {
  const sorted = Float64Array.from(samples).sort();
  return {
    low: Math.min(point, quantile(sorted, INTERVAL_PERCENTILES.low)),
    high: Math.max(point, quantile(sorted, INTERVAL_PERCENTILES.high)),
  };
}

export interface SimulationOptions {
  /** An integer; taken modulo 2^32. */
  seed: number;
  draws: number;
}

export interface Simulation {
  /** samples[i] holds the draws of signpost i. */
  signposts: number[][];
  /** The draws of each named aggregate; an aggregate that is null in a draw has no sample then. */
  aggregates: Map<string, number[]>;
}

/**
 * Runs the draws. In each draw every signpost takes exactly one number from the PRNG, in input
 * order, so adding evidence to one signpost never shifts the random numbers another one sees.
 */
export function simulate(
  signposts: readonly { progress: number; status: SignpostStatus }[],
  aggregate: (draw: readonly number[]) => Record<string, number | null>,
  options: SimulationOptions,
): Simulation {
  if (!Number.isInteger(options.seed)) throw new RangeError(`seed must be an integer, got ${options.seed}`);
  if (!Number.isInteger(options.draws) || options.draws < 1) {
    throw new RangeError(`draws must be a positive integer, got ${options.draws}`);
  }
  const random = mulberry32(options.seed);
  const samples: number[][] = signposts.map(() => []);
  const aggregates = new Map<string, number[]>();
  for (let d = 0; d < options.draws; d++) {
    const draw = signposts.map((s, i) => {
      const value = drawProgress(s.progress, s.status, random());
      samples[i]?.push(value);
      return value;
    });
    for (const [name, value] of Object.entries(aggregate(draw))) {
      if (value === null) continue;
      const list = aggregates.get(name);
      if (list) list.push(value);
      else aggregates.set(name, [value]);
    }
  }
  return { signposts: samples, aggregates };
}
