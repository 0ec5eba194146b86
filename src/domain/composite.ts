import { COMPOSITE_CATEGORIES, type CompositeCategory } from './catalog.js';
import type { CategoryScore } from './category.js';
import type { CompositeWeights } from './scoring-inputs.js';

export class InvalidWeightsError extends Error {
  override name = 'InvalidWeightsError';
}

/** Checks each weight is a number in [0,1] and not all are zero, then scales them to sum to 1. */
export function normaliseWeights(weights: CompositeWeights): CompositeWeights {
  for (const category of COMPOSITE_CATEGORIES) {
    const w: unknown = weights[category];
    if (typeof w !== 'number' || !Number.isFinite(w) || w < 0 || w > 1) {
      throw new InvalidWeightsError(`weight for ${category} must be a number in [0,1], got ${String(w)}`);
    }
  }
  const sum = weights.capabilities + weights.agents + weights.inputs;
  if (sum === 0) throw new InvalidWeightsError('at least one weight must be above 0');
  return {
    capabilities: weights.capabilities / sum,
    agents: weights.agents / sum,
    inputs: weights.inputs / sum,
  };
}

/**
 * Σw / Σ(w/x) over categories with w > 0. A weighted category at exactly 0 makes the mean 0:
 * the harmonic mean is a bottleneck, and nothing offsets a dimension with no progress at all.
 */
export function weightedHarmonicMean(scores: Record<CompositeCategory, number>, weights: CompositeWeights): number {
  let weightSum = 0;
  let inverseSum = 0;
  for (const category of COMPOSITE_CATEGORIES) {
    const w = weights[category];
    if (w === 0) continue;
    const x = scores[category];
    if (x === 0) return 0;
    weightSum += w;
    inverseSum += w / x;
  }
  return weightSum / inverseSum;
}

type Evidence = Pick<CategoryScore, 'score' | 'has_ab_evidence'>;

export type ScoreStatus = 'ok' | 'insufficient';

export interface GatedScore {
  value: number | null;
  status: ScoreStatus;
  /** Why the value is null; absent when status is ok. */
  reason?: string;
}

function insufficient(missing: readonly string[]): GatedScore {
  return { value: null, status: 'insufficient', reason: `no A/B evidence yet for: ${missing.join(', ')}` };
}

/** Weighted categories that have no A/B evidence at all (their score would be a guess, not a 0). */
function categoriesWithoutEvidence(categories: Record<string, Evidence>, needed: readonly string[]): string[] {
  return needed.filter((c) => !categories[c]?.has_ab_evidence);
}

/**
 * AGI proximity: the weighted harmonic mean of capabilities, agents and inputs. Insufficient (null,
 * with the categories named) while any category with weight above 0 has no A/B evidence.
 */
export function computeComposite(categories: Record<CompositeCategory, Evidence>, weights: CompositeWeights): GatedScore {
  const normalised = normaliseWeights(weights);
  const weighted = COMPOSITE_CATEGORIES.filter((c) => normalised[c] > 0);
  const missing = categoriesWithoutEvidence(categories, weighted);
  if (missing.length > 0) return insufficient(missing);
  const scores = {
    capabilities: categories.capabilities.score ?? 0,
    agents: categories.agents.score ?? 0,
    inputs: categories.inputs.score ?? 0,
  };
  return { value: weightedHarmonicMean(scores, normalised), status: 'ok' };
}

/**
 * The capabilities and agents weights renormalised between those two. A preset that weights
 * neither (all on inputs) still has a safety margin: the two then count equally.
 */
export function safetyMarginWeights(weights: CompositeWeights): { capabilities: number; agents: number } {
  const sum = weights.capabilities + weights.agents;
  if (sum === 0) return { capabilities: 0.5, agents: 0.5 };
  return { capabilities: weights.capabilities / sum, agents: weights.agents / sum };
}

/** security − (w_c·capabilities + w_a·agents); negative means capabilities outpace security. */
export function safetyMarginValue(scores: { security: number; capabilities: number; agents: number }, weights: CompositeWeights): number {
  const w = safetyMarginWeights(weights);
  return scores.security - (w.capabilities * scores.capabilities + w.agents * scores.agents);
}

/**
 * Safety margin, or insufficient (null, with the categories named) while security, or a
 * capabilities/agents category that carries weight in the mean, has no A/B evidence.
 */
export function computeSafetyMargin(
  categories: Record<'security' | 'capabilities' | 'agents', Evidence>,
  weights: CompositeWeights,
): GatedScore {
  const w = safetyMarginWeights(normaliseWeights(weights));
  const needed = ['security', ...(['capabilities', 'agents'] as const).filter((c) => w[c] > 0)];
  const missing = categoriesWithoutEvidence(categories, needed);
  if (missing.length > 0) return insufficient(missing);
  const scores = {
    security: categories.security.score ?? 0,
    capabilities: categories.capabilities.score ?? 0,
    agents: categories.agents.score ?? 0,
  };
  return { value: safetyMarginValue(scores, weights), status: 'ok' };
}
