import { CATEGORIES, type Category } from './catalog.js';
import { parseIsoDate } from './calendar.js';
import { computeCategoryScore, scoredSignposts, signpostWeight, weightedMean, type CategoryScore } from './category.js';
import {
  computeComposite,
  computeSafetyMargin,
  normaliseWeights,
  safetyMarginValue,
  weightedHarmonicMean,
  type GatedScore,
} from './composite.js';
import { computeSignpostProgress, type SignpostProgress } from './progress.js';
import type { CompositeWeights, Interval, MetricSpec, Observation, SignpostSpec } from './scoring-inputs.js';
import { findCorroboratedObservations, isUsable } from './tier-policy.js';
import { DEFAULT_DRAWS, DEFAULT_SEED, intervalFromSamples, simulate } from './uncertainty.js';

/** Recorded in every snapshot; bump when any formula or constant of the methodology changes. */
export const METHODOLOGY_VERSION = 1;

export interface IndexInput {
  catalog: { metrics: readonly MetricSpec[]; signposts: readonly SignpostSpec[] };
  observations: readonly Observation[];
  /** YYYY-MM-DD, inclusive: evidence published by the end of that UTC day counts. */
  as_of: string;
  /** Each in [0,1], not all 0; normalised to sum to 1. */
  weights: CompositeWeights;
  /** Seed of the interval simulation; defaults to DEFAULT_SEED. */
  seed?: number;
  /** Number of simulation draws; defaults to DEFAULT_DRAWS. */
  draws?: number;
}

export interface SignpostResult extends SignpostProgress {
  category: Category;
  monitor_only: boolean;
  interval: Interval;
}

export interface CategoryResult extends CategoryScore {
  interval: Interval | null;
}

export interface GatedResult extends GatedScore {
  interval: Interval | null;
}

export interface IndexResult {
  methodology_version: typeof METHODOLOGY_VERSION;
  as_of: string;
  seed: number;
  draws: number;
  /** The weights used, normalised to sum to 1. */
  weights: CompositeWeights;
  composite: GatedResult;
  categories: Record<Category, CategoryResult>;
  safety_margin: GatedResult;
  signposts: SignpostResult[];
  inputs: {
    /** Usable (approved, not retracted, A/B, published by as-of) observations on catalog signposts. */
    observations_used: number;
    /** Signposts whose value rests only on uncorroborated B-tier evidence. */
    provisional_count: number;
    signposts_with_evidence: number;
  };
}

/** Computes every signpost, category, the composite and the safety margin, each with a 90% interval. */
export function computeIndex(input: IndexInput): IndexResult {
  const { catalog, observations, as_of: asOf } = input;
  const asOfDay = parseIsoDate(asOf);
  const weights = normaliseWeights(input.weights);
  const seed = input.seed ?? DEFAULT_SEED;
  const draws = input.draws ?? DEFAULT_DRAWS;

  const metrics = new Map(catalog.metrics.map((m) => [m.code, m]));
  const bySignpost = new Map(catalog.signposts.map((s) => [s.code, [] as Observation[]]));
  for (const o of observations) bySignpost.get(o.signpost)?.push(o);
  const corroborated = findCorroboratedObservations(observations, catalog.signposts, catalog.metrics, asOf);

  const progress = catalog.signposts.map((signpost) => {
    const metric = metrics.get(signpost.metric);
    if (!metric) throw new Error(`signpost ${signpost.code}: unknown metric ${signpost.metric}`);
    const own = bySignpost.get(signpost.code) ?? [];
    return computeSignpostProgress({ signpost, metric, observations: own, asOf, corroborated });
  });
  const progressByCode = new Map(progress.map((p) => [p.code, p]));

  const categoryScores = Object.fromEntries(
    CATEGORIES.map((c) => [c, computeCategoryScore(c, catalog.signposts, progressByCode)]),
  ) as Record<Category, CategoryScore>;
  const composite = computeComposite(categoryScores, weights);
  const safetyMargin = computeSafetyMargin(categoryScores, weights);

  // Each draw recomputes the aggregates from perturbed signpost progress, with the same formulas.
  const indexed = catalog.signposts.map((s, index) => ({ ...s, index }));
  const members = Object.fromEntries(
    CATEGORIES.map((c) => [c, scoredSignposts(c, indexed).map((s) => ({ index: s.index, weight: signpostWeight(s) }))]),
  ) as Record<Category, { index: number; weight: number }[]>;
  const simulation = simulate(
    progress,
    (draw) => {
      const drawn: Record<string, number | null> = {};
      for (const c of CATEGORIES) {
        drawn[c] = weightedMean(members[c].map((m) => ({ value: draw[m.index] ?? 0, weight: m.weight })));
      }
      const score = (c: Category) => drawn[c] ?? 0;
      const core = { capabilities: score('capabilities'), agents: score('agents'), inputs: score('inputs') };
      drawn.composite = composite.value === null ? null : weightedHarmonicMean(core, weights);
      drawn.safety_margin = safetyMargin.value === null ? null : safetyMarginValue({ ...core, security: score('security') }, weights);
      return drawn;
    },
    { seed, draws },
  );
  const intervalOf = (name: string, point: number | null): Interval | null =>
    point === null ? null : intervalFromSamples(simulation.aggregates.get(name) ?? [point], point);

  const categories = Object.fromEntries(
    CATEGORIES.map((c) => [c, { ...categoryScores[c], interval: intervalOf(c, categoryScores[c].score) }]),
  ) as Record<Category, CategoryResult>;
  const signposts = catalog.signposts.map((s, i): SignpostResult => {
    const p = progress[i];
    if (!p) throw new Error(`signpost ${s.code} has no progress`);
    return {
      ...p,
      category: s.category,
      monitor_only: s.monitor_only,
      interval: intervalFromSamples(simulation.signposts[i] ?? [p.progress], p.progress),
    };
  });

  return {
    methodology_version: METHODOLOGY_VERSION,
    as_of: asOf,
    seed,
    draws,
    weights,
    composite: { ...composite, interval: intervalOf('composite', composite.value) },
    categories,
    safety_margin: { ...safetyMargin, interval: intervalOf('safety_margin', safetyMargin.value) },
    signposts,
    inputs: {
      observations_used: [...bySignpost.values()].flat().filter((o) => isUsable(o, asOfDay)).length,
      provisional_count: progress.filter((p) => p.status === 'provisional').length,
      signposts_with_evidence: progress.filter((p) => p.status !== 'no_evidence').length,
    },
  };
}
